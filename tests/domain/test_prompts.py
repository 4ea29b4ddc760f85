"""The shipped reflection prompts, the PromptSet API, and the loader's validation."""

import dataclasses
import re
from pathlib import Path

import pytest

from pib360.domain.instrument import DIMENSIONS, LOCALES, ROLES
from pib360.domain.prompts import PromptError, Prompts
from pib360.domain.prompts_file import DEFAULT_PROMPTS_PATH, load_prompts

MINI_PROMPTS_PATH = Path(__file__).parent / "data" / "mini-prompts.toml"
SECTIONS = [("dimension", key) for key in DIMENSIONS] + [("role", key) for key in ROLES]


def prompts_for(prompt_set, kind: str, key: str, locale: str) -> Prompts:
    return getattr(prompt_set, f"for_{kind}")(key, locale)


def every_text(prompt_set, locale: str):
    """(where, kind of text, text) for every question and suggestion in `locale`."""
    for kind, key in SECTIONS:
        prompts = prompts_for(prompt_set, kind, key, locale)
        for question in prompts.questions:
            yield f"{key} ({locale})", "question", question
        for suggestion in prompts.suggestions:
            yield f"{key} ({locale})", "suggestion", suggestion


# --- the shipped prompts ----------------------------------------------------------------


@pytest.fixture(scope="module")
def prompt_set():
    return load_prompts()


def test_shipped_prompts_identity(prompt_set, instrument):
    assert (prompt_set.id, prompt_set.version) == ("pib360-prompts", "1.0")
    assert prompt_set.instrument_id == instrument.id


def test_shipped_prompts_are_loaded_once(prompt_set):
    assert load_prompts() is load_prompts() is prompt_set
    assert load_prompts(DEFAULT_PROMPTS_PATH) == prompt_set


@pytest.mark.parametrize(("kind", "key"), SECTIONS)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_dimension_and_role_has_prompts_within_the_counts(prompt_set, kind, key, locale):
    prompts = prompts_for(prompt_set, kind, key, locale)
    assert 3 <= len(prompts.questions) <= 4
    assert 2 <= len(prompts.suggestions) <= 4
    assert all(text.strip() for text in prompts.questions + prompts.suggestions)


def test_both_languages_offer_the_same_prompts(prompt_set):
    for kind, key in SECTIONS:
        dutch, english = (prompts_for(prompt_set, kind, key, locale) for locale in LOCALES)
        assert len(dutch.questions) == len(english.questions), key
        assert len(dutch.suggestions) == len(english.suggestions), key
        assert dutch != english, key


def test_dutch_addresses_the_advisor_formally(prompt_set):
    informal = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
    offenders = [text for _, _, text in every_text(prompt_set, "nl") if informal.search(text)]
    assert not offenders
    # Every Dutch question speaks to the advisor as "u".
    for where, kind, text in every_text(prompt_set, "nl"):
        if kind == "question":
            assert re.search(r"\b(u|uw|uzelf)\b", text), where


@pytest.mark.parametrize("locale", LOCALES)
def test_texts_are_finished_sentences(prompt_set, locale):
    for where, kind, text in every_text(prompt_set, locale):
        assert text == text.strip() and "  " not in text, (where, text)
        assert text[0].isupper(), (where, text)
        assert text.endswith("?" if kind == "question" else "."), (where, text)
        assert len(text) <= 200, (where, text)


def test_texts_are_not_repeated(prompt_set):
    texts = [text for locale in LOCALES for _, _, text in every_text(prompt_set, locale)]
    assert len(texts) == len(set(texts))


def test_lookups_refuse_unknown_keys(prompt_set):
    with pytest.raises(ValueError, match="unknown locale 'de'"):
        prompt_set.for_dimension("intimacy", "de")
    with pytest.raises(ValueError, match="unknown dimension 'expert'"):
        prompt_set.for_dimension("expert", "nl")
    with pytest.raises(ValueError, match="unknown role 'intimacy'"):
        prompt_set.for_role("intimacy", "en")


def test_prompt_set_is_immutable(prompt_set):
    with pytest.raises(dataclasses.FrozenInstanceError):
        prompt_set.version = "2"
    with pytest.raises(TypeError):
        prompt_set.prompts["intimacy", "nl"] = Prompts((), ())
    assert isinstance(prompt_set.for_role("expert", "en").questions, tuple)
    assert isinstance(hash(prompt_set), int)


# --- validation of prompts files --------------------------------------------------------

MINI = MINI_PROMPTS_PATH.read_text(encoding="utf-8")
QUESTION = '    { nl = "Vraag intimacy 3?", en = "Question intimacy 3?" },\n'
SUGGESTION = '    { nl = "Tip expert 2.", en = "Try expert 2." },\n'


def block(header: str, key: str | None = None) -> str:
    """The text of a section of the mini file (from its header), or of one list in it."""
    section = re.search(rf"\[{re.escape(header)}\]\n.*?(?=\n\n|\Z)", MINI, re.S).group()
    if key is None:
        return section
    return re.search(rf"^{key} = \[\n.*?^\]\n?", section + "\n", re.S | re.M).group()


def write_variant(tmp_path, old: str, new: str) -> Path:
    """A copy of the mini prompts file with `old` (which must occur once) replaced by `new`."""
    assert MINI.count(old) == 1, old
    path = tmp_path / "broken.toml"
    path.write_text(MINI.replace(old, new), encoding="utf-8")
    return path


def test_the_mini_prompts_file_loads():
    mini = load_prompts(MINI_PROMPTS_PATH)
    assert (mini.id, mini.version, mini.instrument_id) == ("mini-prompts", "0.1", "mini")
    assert mini.for_role("expert", "en").suggestions == ("Try expert 1.", "Try expert 2.")
    assert mini.for_dimension("intimacy", "nl").questions[2] == "Vraag intimacy 3?"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('id = "mini-prompts"', 'id = "mini-prompts', r"not valid TOML"),
        ('id = "mini-prompts"', 'id = "mini prompts"', r"top level: id 'mini prompts' must be"),
        ('version = "0.1"', "version = 0.1", r"top level: 'version' must be a quoted string"),
        ('instrument = "mini"\n', "", r"top level: missing 'instrument'"),
        ('instrument = "mini"', "instrument = 1", r"top level: 'instrument' must be a string"),
        ('instrument = "mini"', 'instrument = "mini"\nauthor = "me"', r"top level: unknown key"),
        (
            "[dimensions.intimacy]",
            "[dimensions.closeness]",
            r"dimensions: unknown dimension 'closeness'; expected one of credibility, ",
        ),
        ("[roles.expert_plus]", "[roles.partner]", r"roles: unknown role 'partner'"),
        (block("roles.trusted_advisor"), "", r"roles: missing role 'trusted_advisor'"),
        (
            block("roles.trusted_advisor"),
            '[roles]\ntrusted_advisor = "Vertrouw mij."',
            r"roles: 'trusted_advisor' must be a table, not 'Vertrouw mij.'",
        ),
        (QUESTION, "", r"dimensions.intimacy: 2 questions; expected 3 to 4"),
        (QUESTION, QUESTION * 3, r"dimensions.intimacy: 5 questions; expected 3 to 4"),
        (SUGGESTION, "", r"roles.expert: 1 suggestions; expected 2 to 4"),
        (SUGGESTION, SUGGESTION * 4, r"roles.expert: 5 suggestions; expected 2 to 4"),
        (
            block("roles.expert", "questions"),
            'questions = "Weet u het?"\n',
            r"roles.expert: 'questions' must be a list, not 'Weet u het\?'",
        ),
        (
            block("dimensions.reliability", "suggestions"),
            "",
            r"dimensions.reliability: missing 'suggestions'",
        ),
        (
            '{ nl = "Vraag intimacy 3?", en = "Question intimacy 3?" }',
            '{ nl = "Vraag intimacy 3?" }',
            r"dimensions.intimacy.questions\[2\]: missing translation 'en'",
        ),
        (
            'nl = "Tip expert 2."',
            'nl = " "',
            r"roles.expert.suggestions\[1\]: empty translation 'nl'",
        ),
        (
            'en = "Question intimacy 3?"',
            'de = "Frage intimacy 3?"',
            r"dimensions.intimacy.questions\[2\]: unknown locale 'de'; expected one of nl, en",
        ),
        (
            'en = "Question intimacy 3?"',
            "en = 3",
            r"dimensions.intimacy.questions\[2\]: 'en' must be a string, not 3",
        ),
        (
            QUESTION,
            '    "Vraag intimacy 3?",\n',
            r"dimensions.intimacy.questions\[2\]: must be a table with nl and en",
        ),
        (
            "[roles.expert]\nquestions",
            "[roles.expert]\nquestion",
            r"roles.expert: unknown key 'question'; expected questions, suggestions",
        ),
    ],
)
def test_bad_prompts_file_names_file_and_entry(tmp_path, old, new, message):
    path = write_variant(tmp_path, old, new)
    with pytest.raises(PromptError, match=re.escape(str(path)) + ": " + message):
        load_prompts(path)


def test_a_prompt_error_is_a_value_error(tmp_path):
    with pytest.raises(ValueError):
        load_prompts(write_variant(tmp_path, 'id = "mini-prompts"', 'id = ""'))


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.toml"):
        load_prompts(tmp_path / "nowhere.toml")
