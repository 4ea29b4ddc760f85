"""The development plan: focus points and actions after a report, the coach's comments and
private notes, and the next round's report measuring the plan.

Figures by hand (every item scores its dimension's value, `scored_answers`):
  spring: clients intimacy 3, 4, 5 (mean 4, sd 1); autumn: intimacy 6, 6, 7 (mean 6.33,
  sd 0.58). Welch: change 2.33, standard error sqrt(1/3 + 0.333/3) = 0.667, df = 3.2,
  t(0.95, 3.2) = 2.30, so the 90% interval is 2.33 +- 1.53 = 0.80 to 3.86: beyond the noise.
  Credibility 5, 6, 7 then 5, 6, 7: no change at all.
"""

from datetime import timedelta

from pib360.extensions import db
from pib360.models import CoachNote, DevelopmentPlan, FocusPoint, PlanAction, Role
from pib360.models.types import utcnow
from pib360.services import plans, reports, sharing
from tests.helpers import log_in, make_closed_round, make_user, post_form

SPRING = [{"credibility": c, "reliability": 5, "intimacy": i, "self_orientation": 3}
          for c, i in ((5, 3), (6, 4), (7, 5))]
AUTUMN = [{"credibility": c, "reliability": 5, "intimacy": i, "self_orientation": 3}
          for c, i in ((5, 6), (6, 6), (7, 7))]


def spring_round(advisor):
    return make_closed_round(advisor, self_scores=5, client_scores=SPRING, title="Voorjaar",
                             closed_at=utcnow() - timedelta(days=180))


def add(client, feedback_round, focus, intention="Ik vraag elke klant wat hem bezighoudt."):
    path = f"/plans/{feedback_round.id}"
    return post_form(client, f"{path}/focus", {"focus": focus, "intention": intention},
                     form_page=path)


def test_an_advisor_chooses_focus_points_writes_actions_and_marks_them_done(logged_in, advisor):
    feedback_round = spring_round(advisor)
    report = logged_in.get(f"/reports/{feedback_round.id}").get_data(as_text=True)
    assert f"/plans/{feedback_round.id}" in report  # the way from the report to the plan
    page = logged_in.get(f"/plans/{feedback_round.id}").get_data(as_text=True)
    assert "Voorgesteld op basis van uw rapport" in page
    # Intimacy is the clients' weakest dimension: suggested first.
    assert page.index('value="dimension:intimacy"') < page.index('value="dimension:credibility"')
    response = add(logged_in, feedback_round, "dimension:intimacy")
    assert response.status_code == 302
    point = db.session.execute(db.select(FocusPoint)).scalar_one()
    path = f"/plans/{feedback_round.id}"
    post_form(logged_in, f"{path}/focus/{point.id}/actions",
              {"text": "Bel Jan voor het kwartaaloverleg", "target_date": "2027-02-01"},
              form_page=path)
    action = db.session.execute(db.select(PlanAction)).scalar_one()
    post_form(logged_in, f"{path}/actions/{action.id}/done", {"done": "1"}, form_page=path)
    page = logged_in.get(path).get_data(as_text=True)
    assert "Bel Jan voor het kwartaaloverleg" in page and "✓ gedaan" in page
    assert "Ik vraag elke klant wat hem bezighoudt." in page
    assert "Vragen om over na te denken" in page  # the intimacy prompts


def test_at_most_three_focus_points_each_once(logged_in, advisor):
    feedback_round = spring_round(advisor)
    for focus in ("dimension:intimacy", "role:trusted_advisor", "dimension:credibility"):
        assert add(logged_in, feedback_round, focus).status_code == 302
    page = add(logged_in, feedback_round, "dimension:reliability")
    assert page.status_code == 422
    assert "maximaal drie focuspunten" in page.get_data(as_text=True)
    again = add(logged_in, feedback_round, "dimension:intimacy")
    assert again.status_code == 422
    assert "al in uw plan" in again.get_data(as_text=True)
    assert len(db.session.execute(db.select(FocusPoint)).scalars().all()) == 3


def test_bad_input_is_refused_in_dutch_and_nothing_is_stored(logged_in, advisor):
    feedback_round = spring_round(advisor)
    for focus, intention, message in (
        ("dimension:charisma", "Iets", "Kies een focuspunt uit de lijst."),
        ("item:nope", "Iets", "Kies een focuspunt uit de lijst."),
        ("dimension:intimacy", "", "Schrijf in één zin wat u van plan bent."),
        ("dimension:intimacy", "x" * 301, "Gebruik maximaal 300 tekens."),
    ):
        page = add(logged_in, feedback_round, focus, intention)
        assert page.status_code == 422
        assert message in page.get_data(as_text=True), focus
    assert db.session.execute(db.select(DevelopmentPlan)).scalars().all() == []


def test_a_plan_is_closed_once_the_next_round_has_measured_it(logged_in, advisor):
    spring = spring_round(advisor)
    assert add(logged_in, spring, "dimension:intimacy").status_code == 302
    make_closed_round(advisor, client_scores=AUTUMN, title="Najaar")
    response = add(logged_in, spring, "role:expert")
    assert response.status_code == 422
    assert "kan niet meer veranderen" in response.get_data(as_text=True)
    page = logged_in.get(f"/plans/{spring.id}").get_data(as_text=True)
    assert "Een focuspunt toevoegen" not in page and "Najaar" in page
    assert len(db.session.execute(db.select(FocusPoint)).scalars().all()) == 1


def test_the_next_report_opens_with_the_progress_on_each_focus_point(logged_in, advisor):
    spring = spring_round(advisor)
    add(logged_in, spring, "dimension:intimacy")
    add(logged_in, spring, "dimension:credibility")
    autumn = make_closed_round(advisor, client_scores=AUTUMN, title="Najaar")
    page = logged_in.get(f"/reports/{autumn.id}").get_data(as_text=True)
    progress = page[page.index("Uw focuspunten van"):page.index("In het kort")]
    intimacy = progress[progress.index("Intimiteit"):progress.index("Geloofwaardigheid")]
    assert "4,0" in intimacy and "6,3" in intimacy
    assert "vooruit, meer dan de onzekerheid" in intimacy
    credibility = progress[progress.index("Geloofwaardigheid"):]
    assert "6,0" in credibility and "binnen de onzekerheid" in credibility
    trend = logged_in.get("/trend/").get_data(as_text=True)
    assert "Focuspunten" in trend and "Intimiteit" in trend


def test_the_coach_reads_the_plan_comments_and_keeps_private_notes(app, logged_in, advisor,
                                                                   mailbox):
    coach = make_user("carel@example.com", Role.COACH, "Carel Coach")
    other = make_user("olga@example.com", Role.COACH, "Olga Other")
    spring = spring_round(advisor)
    add(logged_in, spring, "dimension:intimacy")
    for reader in (coach, other):
        sharing.share_with_coach(advisor, reader.email)
    carel, olga = app.test_client(), app.test_client()
    log_in(carel, coach.email)
    log_in(olga, other.email)
    path = f"/plans/{spring.id}"
    page = carel.get(path).get_data(as_text=True)
    assert "Ontwikkelplan van Anna Jansen" in page and "Een focuspunt toevoegen" not in page
    assert post_form(carel, f"{path}/comments", {"text": "Mooi gekozen, Anna."},
                     form_page=path).status_code == 302
    assert post_form(carel, f"{path}/focus", {"focus": "role:expert", "intention": "x"},
                     form_page=path).status_code == 404  # a coach does not change the plan
    assert "Mooi gekozen, Anna." in logged_in.get(path).get_data(as_text=True)
    assert "Mooi gekozen, Anna." not in olga.get(path).get_data(as_text=True)
    notes = f"/coach/advisors/{advisor.id}/notes"
    assert post_form(carel, notes, {"text": "Vraag naar het kwartaaloverleg."},
                     form_page=notes).status_code == 302
    assert "Vraag naar het kwartaaloverleg." in carel.get(notes).get_data(as_text=True)
    assert "Vraag naar het kwartaaloverleg." not in olga.get(notes).get_data(as_text=True)
    assert logged_in.get(notes).status_code in (403, 404)  # the advisor never reads them
    # The dashboard's headline figures: trust quotient, largest gap, the focus points.
    dashboard = carel.get("/coach/").get_data(as_text=True)
    assert "Intimiteit" in dashboard and "0 van 0 acties gedaan" in dashboard
    # Revoked: the plan, the comments and the notes are gone for that coach at once.
    share = next(s for s in sharing.shares_of(advisor) if s.coach_id == coach.id)
    sharing.revoke(advisor, share.id)
    assert carel.get(path).status_code == 404
    assert carel.get(notes).status_code == 404
    assert db.session.execute(db.select(CoachNote)).scalars().all() != []


def test_progress_rows_have_the_figures_of_both_rounds(app, advisor):
    spring = spring_round(advisor)
    plans.add_focus_point(advisor, spring, "dimension", "intimacy", "x")
    autumn = make_closed_round(advisor, client_scores=AUTUMN, title="Najaar")
    measured = reports.content(autumn, "nl").progress
    (row,) = measured.rows
    assert measured.previous_round_id == spring.id
    assert round(row["before"], 2) == 4.0 and round(row["after"], 2) == 6.33
    assert round(row["change_low"], 2) == 0.80 and round(row["change_high"], 2) == 3.86
    assert row["beyond_noise"] and row["improved"]


def test_the_pdf_opens_with_the_progress_and_ends_with_the_prompts(logged_in, advisor,
                                                                   tmp_path):
    import subprocess

    spring = spring_round(advisor)
    add(logged_in, spring, "dimension:intimacy")
    autumn = make_closed_round(advisor, client_scores=AUTUMN, title="Najaar")
    response = logged_in.get(f"/reports/{autumn.id}/report.pdf")
    (tmp_path / "report.pdf").write_bytes(response.get_data())
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    assert "Uw focuspunten van „Voorjaar”" in pages[1]  # right after the cover
    line = next(line for line in pages[1].splitlines() if line.strip().startswith("Intimiteit"))
    assert "4,0" in line and "6,3" in line and "+2,3" in line
    assert "vooruit" in line  # the verdict (wrapped in its cell)
    assert "Reflectievragen pib360-prompts, versie" in text.split("Van feedback naar groei")[-1]
