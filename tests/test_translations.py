"""Every user-facing string has a Dutch translation: Dutch is the default language."""

import re

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from pib360 import ROOT

CATALOG = ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages `make translations` would extract from the code and templates today."""
    pot = tmp_path_factory.mktemp("babel") / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
        "-k", "lazy_gettext", "--no-location", "-o", str(pot), str(ROOT),
    ])
    with pot.open("rb") as file:
        return [message for message in read_po(file) if message.id]


@pytest.fixture(scope="module")
def dutch():
    with CATALOG.open("rb") as file:
        return read_po(file, locale="nl")


def _key(message):
    return message.id[0] if isinstance(message.id, tuple) else message.id


def _strings(value) -> tuple:
    return value if isinstance(value, tuple | list) else (value,)


def test_extraction_finds_the_strings_of_code_and_templates(extracted):
    ids = {_key(m) for m in extracted}
    assert "The e-mail address or password is not correct." in ids  # Python (auth views)
    assert "Forgot your password?" in ids  # a template
    assert "Remember me on this device" in ids  # a lazy form label


def test_every_string_has_a_dutch_translation(extracted, dutch):
    missing, empty, fuzzy = [], [], []
    for message in extracted:
        translated = dutch.get(message.id, message.context)
        if translated is None:
            missing.append(_key(message))
        elif translated.fuzzy:
            fuzzy.append(_key(message))
        elif not all(_strings(translated.string)):
            empty.append(_key(message))
    hint = "run `make translations`, translate in messages.po, then `pybabel compile`"
    assert missing == [], f"not in messages.po ({hint}): {missing}"
    assert empty == [], f"no Dutch translation yet: {empty}"
    assert fuzzy == [], f"fuzzy (unchecked) translations: {fuzzy}"


def test_translations_keep_the_placeholders_of_the_original(extracted, dutch):
    wrong = []
    for message in extracted:
        translated = dutch.get(message.id, message.context)
        if translated is None:
            continue
        expected = {p for original in _strings(message.id) for p in PLACEHOLDER.findall(original)}
        for string in _strings(translated.string):
            if string and set(PLACEHOLDER.findall(string)) != expected:
                wrong.append((_key(message), string))
    assert wrong == []


def test_placeholder_check_notices_a_dropped_or_renamed_placeholder():
    assert set(PLACEHOLDER.findall("Welkom, %(naam)s")) != {"name"}
    assert set(PLACEHOLDER.findall("Welkom")) != {"name"}
    assert PLACEHOLDER.findall("%(count)d accounts, %(pct).1f%%") == ["count", "pct"]
