"""Machine-translation proxy URLs: recognise them and recover the city page they wrap.

Published links sometimes point at a translation service wrapping the city's own page; visitors
are better served by a link to that page beside the translated one. Stored URLs never change.
"""

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

# Query parameters the proxies add for themselves; anything else belongs to the wrapped page.
J_SERVER_PARAMS = {"slang", "tlang", "xmode", "xcharset", "xjsid", "xparam", "xpara"}
TRANSER_SUFFIX = ".hp.transer.com"
GOOGLE_HOST_SUFFIXES = (".translate.goog", ".translate.google.com")
# The last label of a wrapped host; the transer.com form appends its own labels after it.
TOP_LEVEL = {"jp", "com", "net", "org", "info", "biz", "tokyo", "osaka", "nagoya", "yokohama"}


def original_url(url):
    """Return the page a translation-proxy URL wraps, or None if `url` is not a proxy URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    # "j-server.com", not ".j-server.com": the seed has a host written "www15j-server.com".
    if host.endswith("j-server.com") and "/tl.cgi/" in parts.path:
        return _j_server(parts)
    if host.endswith(TRANSER_SUFFIX):
        return _transer(parts, host)
    if host.endswith(GOOGLE_HOST_SUFFIXES) or host == "translate.google.com":
        return _google(parts, host)
    return None


def _keep_query(query, dropped):
    return urlencode(
        [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not dropped(k)]
    )


def _j_server(parts):
    # .../ns/tl.cgi/https%3a//www.city.example.lg.jp/page.html?SLANG=ja&TLANG=en&...
    wrapped = unquote(parts.path.split("/tl.cgi/", 1)[1])
    if wrapped.startswith(("http:/", "https:/")) and not wrapped.startswith(
        ("http://", "https://")
    ):
        wrapped = wrapped.replace(":/", "://", 1)  # some proxies collapse the double slash
    inner = urlsplit(wrapped)
    if inner.scheme not in ("http", "https") or not inner.hostname:
        return None
    query = _keep_query(parts.query, lambda key: key.lower() in J_SERVER_PARAMS)
    return urlunsplit((inner.scheme, inner.netloc, inner.path or "/", query, ""))


def _transer(parts, host):
    # www.city.matsumoto.nagano.jp.e.arx.hp.transer.com/koho/1.html: the wrapped host, then the
    # service's language and site labels, then .hp.transer.com.
    labels = host[: -len(TRANSER_SUFFIX)].split(".")
    while labels and labels[-1] not in TOP_LEVEL:
        labels.pop()
    if len(labels) < 2:
        return None
    return urlunsplit((parts.scheme, ".".join(labels), parts.path or "/", parts.query, ""))


def _google(parts, host):
    params = parse_qsl(parts.query, keep_blank_values=True)
    wrapped = dict(params).get("u")
    if wrapped:  # translate.google.com/translate?sl=ja&tl=en&u=https://...
        inner = urlsplit(wrapped)
        return wrapped if inner.scheme in ("http", "https") and inner.hostname else None
    if host == "translate.google.com":
        return None
    # www-city-nara-lg-jp.translate.goog/path: the wrapped host with "." written "-" and "-"
    # written "--"; `/translate` on translate.google.com is the service's own endpoint.
    encoded = host.split(".translate.", 1)[0]
    labels = encoded.replace("--", "\0").split("-")
    wrapped_host = ".".join(label.replace("\0", "-") for label in labels)
    path = parts.path
    if host.endswith(".translate.google.com") and path.rstrip("/") == "/translate":
        path = "/"
    query = _keep_query(parts.query, lambda key: key.startswith("_x_tr_"))
    return urlunsplit((parts.scheme, wrapped_host, path or "/", query, ""))
