"""Inviting clients as use cases: reading addresses, personal links, reminders, withdrawing."""

import re
from datetime import timedelta

import pytest

from pib360 import clock, mail
from pib360.extensions import db
from pib360.models import Invitation, InvitationLink, OutboxMessage, Role, Share
from pib360.services import ServiceError, instruments, invitations, progress, responses, rounds
from pib360.services.invitations import Entry, Parsed, Problem, parse_csv, parse_lines
from pib360.services.responses import LinkGone
from tests.helpers import full_answers, make_invitation, make_round, make_user

INVALID = "geen geldig e-mailadres"
ALREADY = "al uitgenodigd"
NOT_OPEN = "Klanten kunnen alleen worden uitgenodigd zolang de ronde open is."


@pytest.fixture
def advisor(app):
    return make_user(email="anna@example.com", name="Anna Jansen")


@pytest.fixture
def feedback_round(advisor):
    return make_round(advisor)


def entries(*addresses: str) -> Parsed:
    return Parsed(entries=[Entry(n, address) for n, address in enumerate(addresses, start=1)])


def stored_invitations() -> list[Invitation]:
    db.session.expire_all()
    return list(db.session.execute(db.select(Invitation).order_by(Invitation.id)).scalars())


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def link_token(message: OutboxMessage) -> str:
    [token] = re.findall(r"http://localhost/s/(\S+)", message.body_text)
    return token


# Reading addresses


def test_lines_in_every_accepted_form(app):
    parsed = parse_lines(
        "piet@example.com\n"
        "\n"
        "  Karin de Vries <Karin.de.Vries@Example.COM>  \n"
        "\"Jan, Jr.\" <jan@example.com>\n"
        "Joost Bakker, joost@example.com\n"
        "Els; els@example.com\n"
        "<kees@example.com>\n"
    )
    assert parsed.entries == [
        Entry(1, "piet@example.com"),
        Entry(3, "karin.de.vries@example.com", "Karin de Vries"),
        Entry(4, "jan@example.com", "Jan, Jr."),
        Entry(5, "joost@example.com", "Joost Bakker"),
        Entry(6, "els@example.com", "Els"),
        Entry(7, "kees@example.com"),
    ]
    assert parsed.problems == []


def test_lines_that_are_no_address_are_reported_with_their_number(app):
    parsed = parse_lines("piet@example.com\nPiet Jansen\n\n  karin@ \nJoost, \nok@example.com")
    assert [entry.line for entry in parsed.entries] == [1, 6]
    assert parsed.problems == [
        Problem(2, "Piet Jansen", INVALID),
        Problem(4, "karin@", INVALID),
        Problem(5, "Joost,", INVALID),
    ]


def test_a_long_name_is_cut_to_200_characters(app):
    [entry] = parse_lines(f"{'x' * 250} <piet@example.com>").entries
    assert entry.name == "x" * 200


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_with_any_delimiter_and_a_header_row(app, delimiter):
    rows = [["naam", "e-mail"], ["Piet Jansen", "piet@example.com"],
            ["", "karin@example.com"], ["joost@example.com", "Joost"]]
    data = "\r\n".join(delimiter.join(row) for row in rows).encode()
    parsed = parse_csv(data)
    assert parsed.entries == [
        Entry(2, "piet@example.com", "Piet Jansen"),
        Entry(3, "karin@example.com"),
        Entry(4, "joost@example.com", "Joost"),
    ]
    assert parsed.problems == []


def test_csv_from_a_spreadsheet_with_a_byte_order_mark(app):
    data = "\ufeffPiet;PIET@example.com\n\n;\nKarin;karin@example.com\n".encode()
    parsed = parse_csv(data)
    assert parsed.entries == [Entry(1, "piet@example.com", "Piet"),
                              Entry(4, "karin@example.com", "Karin")]


def test_csv_rows_without_an_address_after_the_first_are_problems(app):
    parsed = parse_csv(b"Piet,piet@example.com\nKarin,Bakker\n")
    assert parsed.entries == [Entry(1, "piet@example.com", "Piet")]
    assert parsed.problems == [Problem(2, "Karin, Bakker", INVALID)]


def test_csv_that_is_not_utf8_is_refused_as_a_whole(app):
    with pytest.raises(ServiceError) as refused:
        parse_csv("Jos\xe9,jose@example.com\n".encode("latin-1"))
    assert refused.value.errors == {
        "upload": ["Sla het bestand op als CSV in UTF-8 en probeer het opnieuw."]}


# Inviting


def test_invite_stores_each_client_and_queues_a_personal_link(feedback_round):
    result = invitations.invite(feedback_round, parse_lines(
        "Piet Jansen <piet@example.com>\nkarin@example.com"))
    assert result.invited == [Entry(1, "piet@example.com", "Piet Jansen"),
                              Entry(2, "karin@example.com")]
    assert result.problems == []
    piet, karin = stored_invitations()
    assert (piet.email, piet.name, karin.email, karin.name) == (
        "piet@example.com", "Piet Jansen", "karin@example.com", None)
    assert not piet.used and not piet.withdrawn and piet.reminders_sent == 0
    to_piet, to_karin = outbox()
    assert (to_piet.recipient, to_karin.recipient) == ("piet@example.com", "karin@example.com")
    assert (piet.message, karin.message) == (to_piet, to_karin)
    for message in (to_piet, to_karin):
        assert message.subject == "Anna Jansen vraagt om uw feedback"
        assert message.secret and message.group == f"round:{feedback_round.id}"
        assert "Anna Jansen vraagt u als klant om feedback" in message.body_text
    assert "Beste Piet Jansen," in to_piet.body_text
    # Each mail carries its own link to its own invitation; only its hash is stored.
    assert responses.invitation_for_token(link_token(to_piet)) == piet
    assert responses.invitation_for_token(link_token(to_karin)) == karin
    assert [len(piet.links), len(karin.links)] == [1, 1]
    assert link_token(to_piet) not in {link.token_hash for link in piet.links}


def test_each_client_receives_their_own_working_link(feedback_round, mailbox):
    invitations.invite(feedback_round, entries("piet@example.com", "karin@example.com"))
    assert mail.deliver().sent == 2
    for invitation in stored_invitations():
        [message] = mailbox.to(invitation.email)
        [link] = mailbox.links(message)
        token = link.removeprefix("http://localhost/s/")
        assert responses.invitation_for_token(token) == invitation
        assert message["Subject"] == "Anna Jansen vraagt om uw feedback"


def test_an_address_is_invited_once(feedback_round):
    invitations.invite(feedback_round, entries("piet@example.com"))
    result = invitations.invite(feedback_round, entries(
        "karin@example.com", "piet@example.com", "karin@example.com"))
    assert result.invited == [Entry(1, "karin@example.com")]
    assert result.problems == [Problem(2, "piet@example.com", ALREADY),
                               Problem(3, "karin@example.com", ALREADY)]
    assert [i.email for i in stored_invitations()] == ["piet@example.com", "karin@example.com"]
    assert len(outbox()) == 2


def test_a_round_has_at_most_200_invitations(feedback_round):
    db.session.add_all(Invitation(feedback_round=feedback_round, email=f"c{n}@example.com")
                       for n in range(197))
    db.session.commit()
    result = invitations.invite(feedback_round, entries(
        "a@example.com", "c5@example.com", "b@example.com", "c@example.com", "d@example.com"))
    # 197 + a, b, c = 200; c5 was invited before; d is one too many.
    assert [entry.email for entry in result.invited] == [
        "a@example.com", "b@example.com", "c@example.com"]
    assert result.problems == [
        Problem(2, "c5@example.com", ALREADY),
        Problem(5, "d@example.com", "een ronde kan maximaal 200 uitnodigingen hebben"),
    ]
    assert len(stored_invitations()) == 200
    assert len(outbox()) == 3


def test_the_advisors_own_and_their_coaches_mailboxes_are_refused(advisor, feedback_round):
    coach = make_user(email="carla@coaching.example", name="Carla Coach", role=Role.COACH)
    others_coach = make_user(email="otto@coaching.example", name="Otto", role=Role.COACH)
    someone = make_user(email="bert@example.com", name="Bert")
    db.session.add_all([Share(advisor=advisor, coach=coach),
                        Share(advisor=someone, coach=others_coach)])
    db.session.commit()
    result = invitations.invite(feedback_round, parse_lines(
        "Anna+feedback@Example.com\nnot an address\ncarla+360@coaching.example\n"
        "otto@coaching.example\npiet@example.com"))
    assert [entry.email for entry in result.invited] == [
        "otto@coaching.example", "piet@example.com"]
    # Problems from reading and from inviting, in the order of the lines.
    assert result.problems == [
        Problem(1, "anna+feedback@example.com",
                "dit is uw eigen adres: uw antwoorden zouden meetellen als die van een klant"),
        Problem(2, "not an address", INVALID),
        Problem(3, "carla+360@coaching.example",
                "dit is het adres van Carla Coach, die als uw coach uw rapporten leest"),
    ]
    assert [i.email for i in stored_invitations()] == [
        "otto@coaching.example", "piet@example.com"]


@pytest.mark.parametrize("state", ["draft", "closed", "past deadline"])
def test_only_an_open_round_invites(advisor, state):
    feedback_round = make_round(advisor, status="draft" if state == "draft" else "open")
    if state == "closed":
        feedback_round.close(clock.utcnow())
    elif state == "past deadline":
        feedback_round.deadline = clock.local_today() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(ServiceError) as refused:
        invitations.invite(feedback_round, entries("piet@example.com"))
    assert refused.value.errors == {None: [NOT_OPEN]}
    assert stored_invitations() == [] and outbox() == []


def test_invite_stores_nothing_when_it_fails_halfway(feedback_round, monkeypatch):
    queue = mail.queue
    queued = []

    def queue_once(*args, **kwargs):
        if queued:
            raise RuntimeError("template missing")
        queued.append(args[0])
        return queue(*args, **kwargs)

    monkeypatch.setattr(mail, "queue", queue_once)
    with pytest.raises(RuntimeError):
        invitations.invite(feedback_round, entries("piet@example.com", "karin@example.com"))
    assert queued == ["piet@example.com"]
    assert stored_invitations() == [] and outbox() == []
    assert db.session.execute(db.select(InvitationLink)).first() is None


# Reminding


def invite_days_ago(feedback_round, days: float, *addresses: str) -> list[Invitation]:
    invitations.invite(feedback_round, entries(*addresses))
    invited = [i for i in stored_invitations() if i.email in addresses]
    for invitation in invited:
        invitation.invited_at = clock.utcnow() - timedelta(days=days)
    db.session.commit()
    return invited


def reminders() -> list[OutboxMessage]:
    return [m for m in outbox() if m.subject.startswith("Herinnering")]


def test_remind_goes_to_clients_who_have_not_answered_with_a_new_link(feedback_round):
    instrument = instruments.for_round(feedback_round)
    piet, karin, joost, els = invite_days_ago(
        feedback_round, 3, "piet@example.com", "karin@example.com", "joost@example.com",
        "els@example.com")
    responses.submit(karin, full_answers(instrument))
    invitations.withdraw(feedback_round, joost.id)
    els.reminders_sent = 3
    invite_days_ago(feedback_round, 1, "new@example.com")  # invited yesterday
    db.session.commit()
    now = clock.utcnow()
    assert invitations.remind(feedback_round, now) == 1
    [reminder] = reminders()
    assert reminder.recipient == "piet@example.com"
    assert reminder.subject == "Herinnering: Anna Jansen vraagt om uw feedback"
    assert reminder.secret and reminder.group == f"round:{feedback_round.id}"
    piet = db.session.get(Invitation, piet.id)
    assert piet.reminders_sent == 1 and len(piet.links) == 2
    # The new link and the first one both lead to the invitation.
    first_mail = next(m for m in outbox() if m.recipient == "piet@example.com" and
                      not m.subject.startswith("Herinnering"))
    for message in (first_mail, reminder):
        assert responses.invitation_for_token(link_token(message)) == piet
    assert db.session.get(type(feedback_round), feedback_round.id).last_reminder_at == now


def test_reminders_at_most_once_per_48_hours(feedback_round):
    invite_days_ago(feedback_round, 10, "piet@example.com")
    start = clock.utcnow()
    assert invitations.remind(feedback_round, start) == 1
    with pytest.raises(ServiceError) as refused:
        invitations.remind(feedback_round, start + timedelta(hours=48) - timedelta(seconds=1))
    assert refused.value.errors == {
        None: ["De vorige herinnering ging minder dan 48 uur geleden weg."]}
    assert len(reminders()) == 1
    assert invitations.next_reminder_at(feedback_round) == start + timedelta(hours=48)
    assert invitations.remind(feedback_round, start + timedelta(hours=48)) == 1
    assert len(reminders()) == 2


def test_a_client_invited_less_than_48_hours_ago_gets_no_reminder_yet(feedback_round):
    now = clock.utcnow()
    [piet] = invite_days_ago(feedback_round, 2, "piet@example.com")
    [karin] = invite_days_ago(feedback_round, 1.99, "karin@example.com")
    piet.invited_at = now - timedelta(hours=48)
    db.session.commit()
    assert invitations.remind(feedback_round, now) == 1
    assert [m.recipient for m in reminders()] == ["piet@example.com"]
    # The scheduler's reminder before the deadline goes to every client who has not answered.
    assert invitations.remind(feedback_round, now + timedelta(hours=1), automatic=True) == 2


def test_no_more_than_three_reminders_per_client(feedback_round):
    [piet] = invite_days_ago(feedback_round, 10, "piet@example.com")
    start = clock.utcnow()
    sent = [invitations.remind(feedback_round, start + timedelta(days=2 * n)) for n in range(4)]
    assert sent == [1, 1, 1, 0]
    assert db.session.get(Invitation, piet.id).reminders_sent == 3
    assert len(reminders()) == 3


def test_no_reminder_when_everyone_answered_or_the_round_is_not_open(feedback_round, advisor):
    instrument = instruments.for_round(feedback_round)
    [piet] = invite_days_ago(feedback_round, 10, "piet@example.com")
    responses.submit(piet, full_answers(instrument))
    with pytest.raises(ServiceError) as refused:
        invitations.remind(feedback_round)
    assert refused.value.errors == {None: [
        "Iedereen die u hebt uitgenodigd, heeft geantwoord: er is niemand om te herinneren."]}
    nobody_invited = make_round(advisor, title="Empty")
    assert invitations.remind(nobody_invited) == 0
    draft = make_round(advisor, title="Draft", status="draft")
    with pytest.raises(ServiceError) as refused:
        invitations.remind(draft)
    assert refused.value.errors == {None: [
        "Herinneringen kunnen alleen worden verstuurd zolang de ronde open is."]}
    assert reminders() == []
    db.session.expire_all()
    assert feedback_round.last_reminder_at is None and draft.last_reminder_at is None


# Withdrawing


def test_a_withdrawn_invitations_links_stop_working_and_its_draft_is_erased(feedback_round):
    instrument = instruments.for_round(feedback_round)
    invitation, token = make_invitation(feedback_round)
    other, other_token = make_invitation(feedback_round, email="other@example.com")
    responses.save_draft(invitation, {instrument.scale_items[0].id: 3})
    returned = invitations.withdraw(feedback_round, invitation.id)
    assert returned.id == invitation.id
    invitation = db.session.get(Invitation, invitation.id)
    assert invitation.withdrawn and invitation.draft is None
    with pytest.raises(LinkGone):
        responses.check_usable(responses.invitation_for_token(token))
    with pytest.raises(LinkGone):
        responses.usable_invitation(invitation.session_key)
    # The others' links still work; the withdrawn one still counts as invited.
    responses.check_usable(responses.invitation_for_token(other_token))
    counts = progress.of_round(feedback_round)
    assert (counts.invited, counts.withdrawn) == (2, 1)


def test_a_response_given_before_withdrawing_stays(feedback_round):
    instrument = instruments.for_round(feedback_round)
    clients = [make_invitation(feedback_round, email=f"c{n}@example.com")[0] for n in range(4)]
    for n, invitation in enumerate(clients):
        responses.submit(invitation, full_answers(instrument, n + 1))
    # Three moved as a batch; the fourth waits on its invitation.
    for invitation in clients:
        invitations.withdraw(feedback_round, invitation.id)
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 4}
    rounds.close_round(feedback_round)
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 4}


def test_withdrawing_another_rounds_or_an_unknown_invitation_is_not_found(
        advisor, feedback_round):
    other_round = make_round(make_user(email="bert@example.com"), title="Bert's")
    theirs, token = make_invitation(other_round)
    with pytest.raises(LookupError):
        invitations.withdraw(feedback_round, theirs.id)
    with pytest.raises(LookupError):
        invitations.withdraw(feedback_round, theirs.id + 1000)
    assert not db.session.get(Invitation, theirs.id).withdrawn
    responses.check_usable(responses.invitation_for_token(token))


def test_withdrawing_needs_an_open_round(feedback_round):
    invitation, token = make_invitation(feedback_round)
    feedback_round.close(clock.utcnow())
    db.session.commit()
    with pytest.raises(ServiceError) as refused:
        invitations.withdraw(feedback_round, invitation.id)
    assert refused.value.errors == {None: [
        "Uitnodigingen kunnen alleen worden ingetrokken zolang de ronde open is."]}
    assert not stored_invitations()[0].withdrawn


def test_a_line_or_csv_row_can_ask_for_the_clients_mail_in_another_language():
    lines = parse_lines("John <john@example.com> [EN]\njan@example.com [nl]\npiet@example.com")
    assert [(e.email, e.name, e.language) for e in lines.entries] == [
        ("john@example.com", "John", "en"), ("jan@example.com", None, "nl"),
        ("piet@example.com", None, None)]
    rows = parse_csv(b"name;email;language\nJohn;john@example.com;en\nPiet;piet@example.com;\n")
    assert [(e.email, e.language) for e in rows.entries] == [
        ("john@example.com", "en"), ("piet@example.com", None)]
