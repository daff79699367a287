"""The admin's own strings are all marked for translation and all translated into Japanese.

As the public site's completeness tests do for its pages: the admin's templates show no text
outside translation tags, and its Python modules pass no bare literal to what staff read.
"""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ADMIN_TEMPLATES = sorted((ROOT / "templates" / "admin").rglob("*.html"))
ADMIN_MODULES = sorted(
    {
        *(ROOT / "directory").glob("admin*.py"),
        *(ROOT / "directory" / "importexport").glob("*.py"),
        *(
            ROOT / "directory" / name
            for name in (
                "models.py",
                "validators.py",
                "linkcheck.py",
                "signin_lockout.py",
                "twofactor.py",
                "roles.py",
                "proxies.py",
            )
        ),
    }
)
# A letter of any script: text a reader reads, where digits and punctuation are not.
LETTER = re.compile(r"[^\W\d_]")
# Template syntax whose output is translated or is data: removed before looking at the rest.
TRANSLATED_OR_DATA = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}"
    # The body's class names, not text.
    r"|{%\s*block\s+bodyclass\s*%}.*?{%\s*endblock\s*%}"
    r"|{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}"
    r"|{#.*?#}|{{.*?}}|{%.*?%}",
    re.DOTALL,
)
TEXT_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}


class TemplateText(HTMLParser):
    """The text and readable attributes of a template, its translation tags taken out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        shown = set(TEXT_ATTRIBUTES)
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            shown.add("value")
        self.texts += [attrs[name] for name in shown if attrs.get(name)]

    def handle_data(self, data):
        self.texts.append(data)


def untranslated_text(source):
    parser = TemplateText()
    parser.feed(TRANSLATED_OR_DATA.sub(" ", source))
    return [" ".join(text.split()) for text in parser.texts if LETTER.search(text)]


@pytest.mark.parametrize("path", ADMIN_TEMPLATES, ids=lambda path: path.name)
def test_every_admin_template_shows_text_only_through_translation_tags(path):
    assert untranslated_text(path.read_text()) == [], f"{path.relative_to(ROOT)}: mark these"


def test_the_template_check_finds_text_left_outside_the_tags():
    source = (
        '{% load i18n %}<p title="Close">{% translate "Open" %} Broken {{ count }}</p>'
        '{% blocktranslate %}Fine{% endblocktranslate %}<input type="submit" value="Go"> → 3'
    )
    assert untranslated_text(source) == ["Close", "Broken", "Go"]


# What staff read: the message of these calls and exceptions, and these keywords and attributes.
MESSAGE_CALLS = {
    "message_user": slice(1, 2),
    "error": slice(1, 2),
    "success": slice(1, 2),
    "warning": slice(1, 2),
    "info": slice(1, 2),
    "add_message": slice(2, 3),
    "ValidationError": slice(0, 1),
    "ValueError": slice(0, None),
    "ImportFileError": slice(0, None),
    "PublishedTableError": slice(1, 2),
    "add_error": slice(1, 2),
}
MESSAGE_KEYWORDS = {
    "description",
    "short_description",
    "verbose_name",
    "verbose_name_plural",
    "label",
    "help_text",
    "empty_label",
    "title",
    "message",
}
MESSAGE_ATTRIBUTES = {
    "title",
    "message",
    "verbose_name",
    "verbose_name_plural",
    "short_description",
}


def bare_literals(node):
    """The literal text in an expression that no gettext call wraps."""
    if isinstance(node, ast.Call):
        # gettext's own, or a function's result (a name, a count) rather than a literal.
        return []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return bare_literals(node.left)
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) and LETTER.search(node.value) else []
    if isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return [ast.unparse(node)] if LETTER.search(literal) else []
    if isinstance(node, ast.BinOp | ast.BoolOp):
        parts = [node.left, node.right] if isinstance(node, ast.BinOp) else node.values
        return [text for part in parts for text in bare_literals(part)]
    if isinstance(node, ast.IfExp):
        return bare_literals(node.body) + bare_literals(node.orelse)
    if isinstance(node, ast.Dict):
        return [text for value in node.values for text in bare_literals(value)]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [text for element in node.elts for text in bare_literals(element)]
    return []


def unmarked(tree):
    """(line, text) of each literal a user would read that is not marked for translation."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = (
                node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            )
            if name in MESSAGE_CALLS:
                for arg in node.args[MESSAGE_CALLS[name]]:
                    found += [(node.lineno, text) for text in bare_literals(arg)]
            for keyword in node.keywords:
                if keyword.arg in MESSAGE_KEYWORDS:
                    found += [(node.lineno, text) for text in bare_literals(keyword.value)]
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(
                    isinstance(target, ast.Name) and target.id in MESSAGE_ATTRIBUTES
                    for target in statement.targets
                ):
                    found += [(statement.lineno, text) for text in bare_literals(statement.value)]
        elif isinstance(node, ast.FunctionDef) and node.name == "lookups":
            # A list filter's choices: (value, label), the label read by staff.
            for pair in ast.walk(node):
                if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                    found += [(pair.lineno, text) for text in bare_literals(pair.elts[1])]
    return sorted(found)


@pytest.mark.parametrize("path", ADMIN_MODULES, ids=lambda path: path.name)
def test_every_admin_message_label_and_error_is_marked_for_translation(path):
    found = unmarked(ast.parse(path.read_text()))
    assert found == [], f"{path.relative_to(ROOT)}: wrap these in gettext"


def test_the_module_check_finds_literals_left_unmarked():
    source = """
class Filter:
    title = "status"
    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("closed", "Closed")]
def action(self, request):
    self.message_user(request, f"{count} done", messages.SUCCESS)
    self.message_user(request, _("%(count)d done") % {"count": count})
    raise ValidationError("Bad code", code="format")
field = models.CharField(verbose_name="user", help_text=_("Who"))
"""
    assert [text for _line, text in unmarked(ast.parse(source))] == [
        "status",
        "Closed",
        "f'{count} done'",
        "Bad code",
        "user",
    ]


def admin_sources():
    return [str(path.relative_to(ROOT)) for path in [*ADMIN_TEMPLATES, *ADMIN_MODULES]]


# Words Japanese staff read as they are.
SAME_IN_JAPANESE = {"URL"}


def test_every_admin_string_has_a_japanese_translation_of_its_own():
    po = polib.pofile(str(ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"))
    sources = set(admin_sources())
    admin_entries = [
        entry for entry in po if any(path in sources for path, _line in entry.occurrences)
    ]
    assert len(admin_entries) > 150
    english = [
        entry.msgid
        for entry in admin_entries
        if entry.msgid not in SAME_IN_JAPANESE
        and (
            not entry.translated()
            or entry.fuzzy
            or entry.msgstr == entry.msgid
            or any(form in ("", entry.msgid) for form in entry.msgstr_plural.values())
        )
    ]
    assert english == []
