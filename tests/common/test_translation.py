"""The Indonesian catalogue is complete and the committed .mo matches the .po."""

import gettext
import re
from pathlib import Path

import polib

import ovop

LOCALE = Path(ovop.__file__).parent / "locale" / "id" / "LC_MESSAGES"


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue) > 100


def test_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        entry.msgid
        for entry in catalogue
        if not entry.msgid_plural
        and not entry.msgctxt
        and compiled.gettext(entry.msgid) != entry.msgstr
    ]
    assert stale == [], "run `make messages` (or msgfmt) to recompile django.mo"


def test_placeholders_survive_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))

    pattern = re.compile(r"%\(\w+\)s")
    for entry in catalogue:
        translated = entry.msgstr or entry.msgstr_plural.get(0, "")
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(translated)), (
            entry.msgid
        )
