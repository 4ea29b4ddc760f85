"""Fuzz: every form of pib360 takes generated values without a 500 or a half-stored change.

Each form is posted the way its user would (logged in, with a valid CSRF token) with
values hypothesis generates: any Unicode including control characters and NUL, very long
strings, huge and negative numbers, mathtext, formula starts, empty values, a field sent
twice or text where a file belongs. Every response must be below 500; a submission that
was refused (anything but a redirect) must have stored nothing; no text stored anywhere
may hold a control character. Then the report files and the trend page of rounds with
hostile titles and advisor names must render, with no spreadsheet cell a formula.
"""

import csv
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import JSON, String, Text, func

from pib360.extensions import db, limiter
from pib360.models import Role, User
from pib360.services import cohorts, instruments, questionnaire
from tests.helpers import (
    PASSWORD,
    csrf_token,
    log_in,
    make_closed_round,
    make_invitation,
    make_round,
    make_user,
    post_form,
)

# A few examples per form keep the suite fast; PIB360_FUZZ_EXAMPLES=500 searches deeper.
EXAMPLES = int(os.environ.get("PIB360_FUZZ_EXAMPLES", "20"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
SPECIAL = [
    "", " ", "\x00", "\x00\x0b\x1f\x7f\x85", "$\\foo$", "$x^2_i$", "\\", "=1+1", "+1", "-1",
    "@SUM(1)", "\t=x", "\r=x", "٣", "²", "３", "0", "-0", str(2**63), str(-(2**63)), str(2**31),
    "9" * 50, "1" * 5000, "nan", "1e309", "<script>alert(1)</script>", "%(name)s", "{{ 7*7 }}",
    "' OR 1=1 --", "\u202e", "\ufeff", "\uffff", "a" * 100_001,
]
EMAILS = ["anna@example.com", "coach@example.com", "root@example.com", "pat@example.com",
          "nieuw@example.com", "Anna@Example.COM", "a@b", "@", "x" * 250 + "@example.com"]
DATES = ["9999-12-31", "0001-01-01", "2028-02-29", "2027-02-29", "2027-13-45",
         (date.today() + timedelta(days=30)).isoformat()]

any_text = st.text(st.characters(codec="utf-8"), max_size=60)  # HTTP carries no surrogates
texts = st.one_of(any_text, st.sampled_from(SPECIAL), st.integers().map(str),
                  st.text(st.characters(codec="utf-8"), min_size=1, max_size=3)
                  .map(lambda t: t * 700))
# Mostly one value; sometimes the field twice, which no browser sends.
values = st.one_of(texts, texts, texts, st.lists(texts, min_size=2, max_size=3))
emails = st.one_of(values, st.sampled_from(EMAILS), st.emails())
scale = st.one_of(st.sampled_from(["1", "4", "7", "na"]), values)


def lines(entry: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(entry, max_size=6).map("\n".join)


# Addresses email_validator takes, so that some invitations go out.
plain_emails = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12).map(
    lambda local: f"{local}@example.org")
address_lines = lines(st.one_of(
    texts, plain_emails, plain_emails, st.emails(), st.sampled_from(EMAILS),
    st.tuples(texts, plain_emails).map(lambda pair: f"{pair[0]} <{pair[1]}>"),
    st.tuples(texts, plain_emails).map(lambda pair: f"{pair[0]}, {pair[1]}"),
))
csv_files = st.one_of(
    st.binary(max_size=300),
    st.lists(st.lists(st.one_of(texts, plain_emails), max_size=3), max_size=6).map(
        lambda rows: "\n".join(";".join(row) for row in rows).encode("utf-8", "replace")),
    st.sampled_from([b'"' + b"x" * 140_000 + b"\n", b"a@example.com\x00;x\n", b"\xff\xfe\x00"]),
).flatmap(lambda data: st.tuples(st.just(data), st.sampled_from(
    ["klanten.csv", "klanten.txt", "virus.exe", "", "ÿ.csv"])))


# key: (e-mail address, role, name); long names make long mail subjects and chart labels.
USERS = {
    "advisor": ("anna@example.com", Role.ADVISOR, "Anna =$\\foo$ " + "ä" * 100),
    "coach": ("coach@example.com", Role.COACH, "C" * 120),
    "admin": ("root@example.com", Role.ADMIN, "Ada Admin"),
    "pat": ("pat@example.com", Role.ADVISOR, "Pat"),
    "victim": ("victim@example.com", Role.ADVISOR, "Vic"),
}


class World:
    """The users, their logged-in clients, the rounds and the group the forms act on, each
    made when a form first needs it."""

    def __init__(self, app, mailbox):
        self.app, self.mailbox = app, mailbox
        self._made: dict[str, object] = {}

    def _once(self, key: str, make: Callable[[], object]):
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def user_id(self, key: str) -> int:
        email, role, name = USERS[key]
        return self._once(key, lambda: make_user(email, role=role, name=name).id)

    def client(self, key: str) -> tuple:
        """A client of `key` (a user, or "client" for the survey) and its CSRF token."""
        return self._once(f"client:{key}", lambda: self._log_in(key))

    def _log_in(self, key: str) -> tuple:
        client = self.app.test_client()
        if key == "client":
            client.get(f"/s/{self.id('survey')}")
            return client, csrf_token(client, "/survey/1")
        self.user_id(key)
        log_in(client, USERS[key][0])
        return client, csrf_token(client, "/account/profile")

    def id(self, what: str):
        """The id of the draft or open round, the group or the victim; the survey's link."""
        return self._once(what, lambda: self._make(what))

    def _make(self, what: str):
        advisor = db.session.get(User, self.user_id("advisor"))
        if what == "draft":
            return make_round(advisor, status="draft", self_value=None).id
        if what == "open":
            return make_round(advisor, title="Open").id
        if what == "dated":
            return make_round(advisor, title="Dated",
                              deadline=date.today() + timedelta(days=5)).id
        if what == "survey":
            return make_invitation(make_round(advisor, title="Survey"))[1]
        if what == "cohort":
            return cohorts.create_cohort(db.session.get(User, self.user_id("coach")),
                                         "G" * 120).id
        return self.user_id(what)

    @property
    def reset_link(self) -> str:
        return self._once("reset", self._ask_for_reset_link)

    def _ask_for_reset_link(self) -> str:
        self.user_id("victim")
        post_form(self.app.test_client(), "/account/forgot-password",
                  {"email": "victim@example.com"}).close()  # the mail goes once it is closed
        [message] = self.mailbox.wait_for("victim@example.com")
        return self.mailbox.links(message)[0].replace("http://localhost", "")


@pytest.fixture
def world(app, mailbox):
    return World(app, mailbox)


def anonymous(app, page: str) -> tuple:
    client = app.test_client()
    return client, csrf_token(client, page)


@dataclass(frozen=True)
class Target:
    """A form: who posts it, where, and the strategy of its fields (given the path)."""

    who: str  # a key of World.clients, or "anonymous" (a new visitor each time)
    path: Callable[[World, st.DataObject], str]
    fields: Callable[[str], st.SearchStrategy]
    multipart: bool = False
    # A form that may store part of what was posted and show the rest as problems.
    keeps_problems: bool = False


def fixed(path: str):
    return lambda world, data: path


def form(**fields: st.SearchStrategy):
    """Any of `fields`, each left out or drawn."""
    return lambda path: st.fixed_dictionaries({}, optional=fields)


def self_page(world, data):
    number = data.draw(st.one_of(st.integers(1, 5), st.integers(0, 2**70)), label="page")
    return f"/rounds/{world.id('draft')}/self/{number}"


def survey_page(world, data):
    return f"/survey/{data.draw(st.one_of(st.integers(1, 5), st.integers(0, 2**70)))}"


def page_answers(path: str) -> st.SearchStrategy:
    """Answers to the questions of the page `path` ends in, sometimes to one it does not
    have; a scale answer is often one of the scale, so that some pages are complete."""
    page = questionnaire.page(instruments.current(), min(int(path.rsplit("/", 1)[1]), 99))
    answers = {f"q-{item.id}": scale if item.kind == "scale" else
               st.one_of(values, st.sampled_from(["expert", "x" * 2001])) for item in
               (page.items if page else ())}
    answers["go"] = st.one_of(st.sampled_from(["next", "previous", "stop", "submit", "end"]),
                              values)
    forged = st.sampled_from([{}, {}, {}, {"q-unknown": "3"}])
    return st.tuples(st.fixed_dictionaries({}, optional=answers), forged).map(
        lambda pair: pair[0] | pair[1])


def admin_path(action: str):
    def path(world, data):
        page = data.draw(st.one_of(st.none(), texts), label="?page")
        query = "" if page is None else f"?page={page}"
        return f"/admin/users/{world.id('victim')}/{action}{query}"

    return path


def reset_path(world, data):
    return data.draw(st.one_of(st.just(world.reset_link), any_text.map(
        lambda text: "/account/reset-password/" + text.replace("/", ""))), label="path")


# Often a valid value, so that the forms' successful paths are fuzzed too.
languages = st.one_of(st.sampled_from(["nl", "en"]), values)
passwords = st.one_of(st.just(PASSWORD), values)
new_passwords = st.one_of(st.just("een nieuw wachtwoord"), values)
TARGETS = {
    "login": Target("anonymous", fixed("/account/login"),
                    form(email=emails, password=passwords, remember=values)),
    "register": Target("anonymous", fixed("/account/register"), form(
        name=values, email=st.one_of(plain_emails, emails), password=passwords,
        confirm=passwords)),
    "forgot password": Target("anonymous", fixed("/account/forgot-password"),
                              form(email=emails)),
    "reset password": Target("anonymous", reset_path,
                             form(password=new_passwords, confirm=new_passwords)),
    "profile": Target("advisor", fixed("/account/profile"), form(name=values, language=languages)),
    "change password": Target("pat", fixed("/account/password"), form(
        current=passwords, password=new_passwords, confirm=new_passwords)),
    "language": Target("advisor", fixed("/account/language"),
                       form(language=languages, next=values)),
    "language, anonymous": Target("anonymous", fixed("/account/language"),
                                  form(language=languages, next=values)),
    "new round": Target("advisor", fixed("/rounds/new"), form(
        title=values, language=languages, message=values, auto_reminder=values,
        min_clients=st.one_of(st.integers(3, 50).map(str), values),
        deadline=st.one_of(st.sampled_from(DATES), values))),
    "self-assessment": Target("advisor", self_page, page_answers),
    "invite": Target("advisor", lambda world, data: f"/rounds/{world.id('open')}/invite",
                     form(addresses=st.one_of(address_lines, values),
                          upload=st.one_of(csv_files, values)),
                     multipart=True, keeps_problems=True),
    "survey": Target("client", survey_page, page_answers),
    "edit round": Target("advisor", lambda world, data: f"/rounds/{world.id('open')}/edit",
                         form(title=values, message=values)),
    "extend": Target("advisor", lambda world, data: f"/rounds/{world.id('dated')}/extend",
                     form(deadline=st.one_of(st.sampled_from(DATES), values))),
    "preview survey": Target(
        "advisor", lambda world, data: f"/rounds/{world.id('draft')}/preview/survey/"
        f"{data.draw(st.one_of(st.integers(1, 5), st.integers(0, 2**70)), label='page')}",
        page_answers),
    "share": Target("advisor", fixed("/sharing/"), form(email=emails)),
    "new group": Target("coach", fixed("/coach/groups/new"), form(name=values)),
    "invite to group": Target(
        "coach", lambda world, data: f"/coach/groups/{world.id('cohort')}/invite",
        form(addresses=st.one_of(address_lines, values)), keeps_problems=True),
    "role": Target("admin", admin_path("role"), form(
        role=st.one_of(st.sampled_from(["advisor", "coach", "admin"]), values))),
    "activate": Target("admin", admin_path("active"), form(
        active=st.one_of(st.sampled_from(["0", "1"]), values))),
    "invite coach": Target("admin", fixed("/admin/coaches/invite"), form(
        name=values, email=st.one_of(plain_emails, emails), language=languages)),
}


def row_counts() -> dict[str, int]:
    return {table.name: db.session.execute(db.select(func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables}


def stored_controls() -> list[tuple[str, str, str]]:
    """(table, column, value) of every stored text holding a control character."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        for row in db.session.execute(db.select(*columns)) if columns else ():
            for column, value in zip(columns, row, strict=True):
                text = json.dumps(value, ensure_ascii=False) if column.type.__class__ is JSON \
                    else value
                if isinstance(text, str) and CONTROL.search(text.replace("\\u0000", "\x00")):
                    found.append((table.name, column.name, text[:80]))
    return found


def prepare(app, world: World, target: Target, data: st.DataObject) -> Callable:
    """The target's form filled in with drawn values, to post; what it needs is made now."""
    limiter.reset()  # rate limits would soon answer every example with a 429
    path = target.path(world, data)
    if target.who == "anonymous":
        client, token = anonymous(app, path if "reset-password" in path else "/account/login")
    else:
        client, token = world.client(target.who)
    fields = data.draw(target.fields(path), label="fields")
    if target.multipart and isinstance(fields.get("upload"), tuple):
        content, name = fields["upload"]
        fields["upload"] = (io.BytesIO(content), name)
    return lambda: client.post(path, data={"csrf_token": token, **fields},
                               content_type="multipart/form-data" if target.multipart else None)


@pytest.mark.parametrize("name", TARGETS)
@FUZZ
@given(data=st.data())
def test_no_form_gives_a_500_or_stores_half(app, world, name, data):
    target = TARGETS[name]
    send = prepare(app, world, target, data)
    before = row_counts()
    response = send()
    response.close()  # mail the request queued is delivered now, as after a real response
    assert response.status_code < 500
    after = row_counts()
    if target.keeps_problems:
        # Whatever was stored is whole: each invitation with its link and its mail.
        added = {table: after[table] - before[table] for table in after}
        links = added["invitation_link"] + added["cohort_invitation"]
        assert added["invitation"] + added["cohort_invitation"] == added["outbox_message"]
        assert links == added["outbox_message"]
    elif response.status_code not in (302, 303):
        assert after == before, response.status_code
    assert stored_controls() == []


HOSTILE = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=120),
    st.sampled_from(["=HYPERLINK(\"http://evil.example\")", "@SUM(1)", "+31", "-1", "\t=1",
                     "\r=1", "$\\foo$", "$x^2_i$ \\ ^ _", "<b>&amp;</b>", "\x0b\x1f=1"]),
)


def cell(text: str) -> str:
    """`text` as a spreadsheet should show it (and openpyxl reads it back)."""
    text = re.sub(r"[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)
    text = "'" + text if text.startswith(FORMULA) else text
    return text.replace("\r\n", "\n").replace("\r", "\n")


@settings(FUZZ, max_examples=max(EXAMPLES // 10, 2))  # a PDF takes seconds (its charts)
@given(name=HOSTILE, title=HOSTILE.map(lambda text: text[:200]))
@example(name="=HYPERLINK(\"http://evil.example\")\x0b $\\foo$", title="@SUM(1)\t$x^2_i$ \\ ^ _")
def test_report_files_and_trend_of_a_hostile_round(app, name, title):
    # Stored as they are, as from before the forms dropped control characters (but NUL,
    # which PostgreSQL has never taken). A new advisor each time: a trend of its own.
    email = f"advisor{db.session.execute(db.select(func.count(User.id))).scalar()}@example.com"
    advisor = make_user(email, name=name)
    feedback_round = make_closed_round(advisor, self_scores=7, client_scores=(2, 3, 2),
                                       title=title)
    client = app.test_client()
    log_in(client, email)
    files = {}
    for kind in ("pdf", "csv", "xlsx"):
        response = client.get(f"/reports/{feedback_round.id}/report.{kind}")
        assert response.status_code == 200, kind
        files[kind] = response.get_data()
    assert files["pdf"].startswith(b"%PDF")
    workbook = load_workbook(io.BytesIO(files["xlsx"]))
    about = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert (about["Adviseur"] or "") == cell(name)
    assert (about["Feedbackronde"] or "") == cell(title)
    cells = [value for sheet in workbook for row in sheet.iter_rows(values_only=True)
             for value in row]
    assert [c for c in cells if isinstance(c, str) and c.startswith(FORMULA)] == []
    rows = csv.reader(io.StringIO(files["csv"].decode("utf-8-sig")), delimiter=";")
    cells = [value for row in rows for value in row]
    numbers = {c for c in cells if re.fullmatch(r"-?[0-9]+(,[0-9]+)?", c)}
    assert any(number.startswith("-") for number in numbers)  # a negative gap, as a number
    assert [c for c in cells if c.startswith(FORMULA) and c not in numbers] == []
    assert client.get(f"/trend/{advisor.id}").status_code == 200
