"""Schema.org JSON-LD for city pages, so search engines and maps know each desk."""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe


def city_json_ld(city, request):
    """schema.org data for a city's desks: the city as an organisation, its departments."""
    return {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": city.name,
        "alternateName": city.name_ja,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": city.name_ja,
            "addressRegion": city.prefecture.name,
            "addressCountry": "JP",
        },
        "department": [
            {
                "@type": "GovernmentOrganization",
                "name": department.name,
                **({"url": department.url} if department.url else {}),
                **({"email": department.email} if department.email else {}),
            }
            for department in city.departments.all()
        ],
        "url": request.build_absolute_uri(city.get_absolute_url()),
    }


# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    """A non-executed `<script type="application/ld+json">` block, escaped like `json_script`."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
