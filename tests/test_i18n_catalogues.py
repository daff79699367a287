"""The gettext catalogues: one per language, complete, and in step with the templates and code."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils.translation import to_locale

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue(code):
    return polib.pofile(str(LOCALE / to_locale(code) / "LC_MESSAGES" / "django.po"))


def msgids(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The msgids makemessages finds now, run on a copy so the real catalogues stay untouched."""
    copy = tmp_path_factory.mktemp("sources")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("config", "directory", "templates"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    (copy / "locale").mkdir()
    cwd = Path.cwd()
    try:
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["en"], verbosity=0)
    finally:
        os.chdir(cwd)
    return msgids(polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(code):
    po = catalogue(code)
    assert po.metadata["Language"] == to_locale(code)
    assert "INTEGER" not in po.metadata["Plural-Forms"]
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"{code}: untranslated"
    assert fuzzy == [], f"{code}: fuzzy"
    assert po.percent_translated() == 100


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_in_the_templates_and_code_is_in_the_catalogue(code, extracted):
    missing = extracted - msgids(catalogue(code))
    assert not missing, f"{code}: run `make makemessages` and translate {sorted(missing)}"
    stale = msgids(catalogue(code)) - extracted
    assert not stale, f"{code}: no longer used, run `make makemessages`: {sorted(stale)}"


def test_the_extraction_leaves_the_admin_out_and_takes_the_public_strings(extracted):
    ids = {msgid for _context, msgid in extracted}
    assert "Language" in ids and "Kyushu-Okinawa" in ids
    assert "A local government code is six digits." not in ids
