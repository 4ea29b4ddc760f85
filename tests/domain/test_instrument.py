"""The default instrument's content, the Instrument API, and the loader's validation."""

import dataclasses
import re
from collections import Counter

import pytest

from pib360.domain.instrument import DIMENSIONS, LOCALES, PERSPECTIVES, ROLES, InstrumentError
from pib360.domain.instrument_file import DEFAULT_INSTRUMENT_PATH, load_instrument
from tests.domain.support import MINI_PATH

# --- the default instrument -------------------------------------------------------------


def test_default_instrument_identity_and_scale(instrument):
    assert (instrument.id, instrument.version) == ("pib360", "1.0")
    assert (instrument.scale_min, instrument.scale_max) == (1, 7)
    assert list(instrument.scale_values) == [1, 2, 3, 4, 5, 6, 7]


def test_default_instrument_is_loaded_once(instrument):
    assert load_instrument() is load_instrument() is instrument
    assert load_instrument(DEFAULT_INSTRUMENT_PATH) == instrument


def test_every_dimension_and_role_is_well_covered(instrument):
    dimensions = Counter(item.dimension for item in instrument.scale_items)
    roles = Counter(item.role for item in instrument.scale_items)
    assert all(dimensions[d] >= 5 for d in DIMENSIONS), dimensions
    assert all(roles[r] >= 3 for r in ROLES), roles
    assert all(item.dimension for item in instrument.scale_items)


def test_questionnaire_stays_short(instrument):
    # Under ten minutes for a client: about 24-28 statements, one choice, two open questions.
    assert 24 <= len(instrument.scale_items) <= 28
    assert [item.id for item in instrument.text_items] == ["keep_doing", "do_differently"]
    assert instrument.choice_item.options == ROLES


def test_some_items_are_reverse_scored_in_every_dimension(instrument):
    for dimension in DIMENSIONS:
        reversed_items = [item for item in instrument.dimension_items(dimension) if item.reverse]
        assert 1 <= len(reversed_items) <= 2, dimension


def test_self_orientation_items_carry_no_role(instrument):
    # Their score runs against a role's higher-is-better direction.
    assert not any(item.role for item in instrument.dimension_items("self_orientation"))


def test_every_text_exists_in_both_voices_and_languages(instrument):
    for item in instrument.items:
        for perspective in PERSPECTIVES:
            for locale in LOCALES:
                assert item.text(perspective, locale).strip()


def test_items_speak_in_the_right_voice(instrument):
    for item in instrument.scale_items:
        assert "adviseur" in item.text("client", "nl"), item.id
        assert "advisor" in item.text("client", "en"), item.id
        assert "adviseur" not in item.text("self", "nl"), item.id
        assert re.search(r"\b(I|me|my)\b", item.text("self", "en")), item.id


def test_texts_are_not_repeated(instrument):
    texts = [
        item.text(p, loc) for item in instrument.items for p in PERSPECTIVES for loc in LOCALES
    ]
    assert len(texts) == len(set(texts))


def test_labels_for_the_report(instrument):
    assert instrument.scale_label(1, "nl") == "helemaal mee oneens"
    assert instrument.scale_label(7, "en") == "strongly agree"
    assert instrument.scale_label(4, "en") == "neutral"
    assert instrument.cannot_judge_label("nl") == "kan ik niet beoordelen"
    assert instrument.cannot_judge_label("en") == "cannot judge"
    names = [instrument.role_label(role, "nl") for role in ROLES]
    assert names == ["expert", "expert+", "gewaardeerd helper", "vertrouwde adviseur"]
    assert instrument.dimension_label("self_orientation", "nl") == "zelfgerichtheid"
    for key, locale in ((d, loc) for d in DIMENSIONS for loc in LOCALES):
        assert instrument.dimension_description(key, locale).endswith(".")
    for key, locale in ((r, loc) for r in ROLES for loc in LOCALES):
        assert instrument.role_description(key, locale).endswith(".")
    choice = instrument.choice_item
    assert choice.option_label("trusted_advisor", "nl").startswith("Vertrouwde adviseur")


def test_item_lookup(instrument):
    assert instrument.item("cr1").dimension == "credibility"
    assert instrument.item("nope") is None
    assert [item.id for item in instrument.role_items("trusted_advisor")] == [
        "in4",
        "cr5",
        "in5",
        "in6",
    ]


def test_lookups_refuse_unknown_keys(instrument):
    with pytest.raises(ValueError, match="unknown locale 'de'"):
        instrument.item("cr1").text("client", "de")
    with pytest.raises(ValueError, match="unknown perspective 'coach'"):
        instrument.item("cr1").text("coach", "nl")
    with pytest.raises(ValueError, match="unknown role 'guru'"):
        instrument.role_label("guru", "nl")
    with pytest.raises(ValueError, match="unknown dimension 'trust'"):
        instrument.dimension_items("trust")


def test_instrument_is_immutable(instrument):
    with pytest.raises(dataclasses.FrozenInstanceError):
        instrument.version = "2"
    with pytest.raises(TypeError):
        instrument.items[0].texts["client", "nl"] = "changed"
    assert isinstance(hash(instrument), int)


# --- validation of instrument files -----------------------------------------------------

MINI = MINI_PATH.read_text(encoding="utf-8")


def write_variant(tmp_path, old: str, new: str, count: int = 1):
    """A copy of the mini instrument with `old` replaced by `new` (`count` times)."""
    assert MINI.count(old) >= count, old
    path = tmp_path / "broken.toml"
    path.write_text(MINI.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'dimension = "reliability"',
            'dimension = "trustworthiness"',
            r"items\[2\] 'b1': unknown dimension 'trustworthiness'",
        ),
        ('role = "expert_plus"', 'role = "partner"', r"items\[2\] 'b1': unknown role 'partner'"),
        (
            'id = "a2"',
            'id = "a1"',
            r"items\[1\] 'a1': duplicate id 'a1' \(first used by items\[0\]\)",
        ),
        (
            'en = "My advisor b1."',
            'de = "Mein Berater b1."',
            r"items\[2\] 'b1': unknown locale client.de",
        ),
        (
            'client = { nl = "Mijn adviseur b1.", en = "My advisor b1." }',
            'client = { nl = "Mijn adviseur b1." }',
            r"items\[2\] 'b1': missing translation client.en",
        ),
        ('en = "My advisor b1."', 'en = " "', r"items\[2\] 'b1': missing translation client.en"),
        ("max = 7", "max = 1", r"scale: bad scale 1..1"),
        ("min = 1", "min = 0", r"scale: bad scale 0..7"),
        ("max = 7", 'max = "7"', r"scale: 'max' must be an integer"),
        ("min = 1", "min = 1.5", r"scale: 'min' must be an integer"),
        ('7 = "strongly agree"', '9 = "strongly agree"', r"scale.labels.en: bad scale value '9'"),
        (
            '7 = "helemaal mee eens"',
            '6 = "mee eens"',
            r"scale.labels.nl: missing translation for scale value 7",
        ),
        (
            'cannot_judge = { nl = "kan ik niet beoordelen", en = "cannot judge" }',
            'cannot_judge = { nl = "kan ik niet beoordelen" }',
            r"scale: missing translation cannot_judge.en",
        ),
        ("intimacy = {", "closeness = {", r"dimensions: unknown dimension 'closeness'"),
        ("expert_plus = { nl", "partner = { nl", r"roles: unknown role 'partner'"),
        (
            'en = { name = "expert", description = "Answers." }',
            'en = { name = "expert" }',
            r"roles.expert.en: missing 'description'",
        ),
        ('kind = "text"', 'kind = "essay"', r"items\[8\] 'keep': unknown kind 'essay'"),
        (
            'dimension = "reliability"',
            'dimenson = "reliability"',
            r"items\[2\] 'b1': unknown key 'dimenson'",
        ),
        ("reverse = true", 'reverse = "yes"', r"items\[1\] 'a2': 'reverse' must be true or false"),
        (
            'role = "trusted_advisor"\n',
            'role = "trusted_advisor"\ndimension = "self_orientation"\n',
            r"items\[6\] 'e1': a self_orientation item cannot also carry role 'trusted_advisor'",
        ),
        ('role = "trusted_advisor"\n', "", r"items\[6\] 'e1': a scale item needs"),
        ('options = ["expert",', 'options = ["guru",', r"items\[7\] 'pick': unknown role 'guru'"),
        (
            'option_labels.expert_plus = { nl = "expert+", en = "expert+" }\n',
            "",
            r"items\[7\] 'pick'.option_labels: missing option 'expert_plus'",
        ),
        ('kind = "text"', 'kind = "choice"', r"items\[8\] 'keep': missing 'options'"),
        ('version = "0.1"', "version = 0.1", r"top level: 'version' must be a quoted string"),
        ('id = "mini"', 'id = "mini test"', r"top level: id 'mini test' must be non-empty"),
        ('id = "mini"', 'id = "mini"\nauthor = "me"', r"top level: unknown key 'author'"),
        ('[[items]]\nid = "a1"', '[[items]]\nkind = "scale"\nid = ', r"not valid TOML"),
    ],
)
def test_bad_instrument_file_names_file_and_entry(tmp_path, old, new, message):
    path = write_variant(tmp_path, old, new)
    with pytest.raises(InstrumentError, match=re.escape(str(path)) + ": " + message):
        load_instrument(path)


def test_an_instrument_error_is_a_value_error(tmp_path):
    with pytest.raises(ValueError):
        load_instrument(write_variant(tmp_path, 'id = "mini"', 'id = ""'))


def test_two_choice_items_are_refused(tmp_path):
    path = write_variant(
        tmp_path,
        'kind = "text"',
        'kind = "choice"\noptions = ["expert"]\noption_labels.expert = { nl = "e", en = "e" }',
    )
    with pytest.raises(InstrumentError, match="items: more than one choice item"):
        load_instrument(path)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.toml"):
        load_instrument(tmp_path / "nowhere.toml")


def test_an_uploaded_text_names_the_line_of_its_problem():
    from pib360.domain.instrument_file import parse_instrument_text

    text = DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8")
    lines = text.splitlines()
    cases = {
        '4 = "neutraal"': ('4 = "neutraal', None),  # TOML syntax: the line itself
        '[scale.labels.en]': ('[scale.labels.en]\n0 = "none"', "[scale.labels.en]"),
        'role = "expert_plus"': ('role = "expert_pluss"', None),
    }
    for old, (new, header) in cases.items():
        broken = text.replace(old, new, 1)
        with pytest.raises(InstrumentError) as raised:
            parse_instrument_text(broken, "upload.toml")
        if header is not None:
            assert raised.value.line == lines.index(header) + 1
        elif old.startswith("role"):
            # The offending item's [[items]] header, the nearest one above the change.
            changed = lines.index(next(line for line in lines if line.startswith(old)))
            headers = [n for n, line in enumerate(lines[:changed]) if line == "[[items]]"]
            assert raised.value.line == headers[-1] + 1
        else:
            assert raised.value.line == lines.index(old) + 1
    assert parse_instrument_text(text, "upload.toml").version == "1.0"
