"""Many clients submitting at once, against gunicorn with several workers."""

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

from pib360.extensions import db
from pib360.models import Invitation, Response
from pib360.services import instruments, progress, questionnaire, rounds
from tests.helpers import full_answers, make_invitation, make_round, make_user


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A client with its own cookies, speaking HTTP to the live server."""

    def __init__(self, base_url: str, follow_redirects: bool = True,
                 address: str | None = None):
        self.base_url = base_url
        handlers = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())]
        if not follow_redirects:  # a redirect then raises HTTPError with its 30x code
            handlers.append(_NoRedirect())
        self.opener = urllib.request.build_opener(*handlers)
        if address:  # as a proxy in front of pib360 would say (PIB360_PROXY_HOPS=1)
            self.opener.addheaders.append(("X-Forwarded-For", address))

    def get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> str:
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.base_url + path, data=body, timeout=60) as response:
            return response.read().decode()

    def token(self, path: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.get(path))[1]


def prepare(browser: Browser, token: str, instrument, answers) -> dict:
    """Open the link and save every page but the last; return the final submit form."""
    browser.get(f"/s/{token}")
    pages = questionnaire.pages(instrument)
    for page in pages[:-1]:
        data = {f"q-{item.id}": answers[item.id] for item in page.items}
        browser.post(f"/survey/{page.number}", {
            "csrf_token": browser.token(f"/survey/{page.number}"), "go": "next", **data})
    last = pages[-1]
    data = {f"q-{item.id}": answers[item.id] for item in last.items if item.id in answers}
    return {"path": f"/survey/{last.number}", "csrf_token": browser.token(f"/survey/{last.number}"),
            "go": "submit", **data}


def submit_together(jobs) -> list[str]:
    """POST every (browser, form) at the same moment; return the pages they got."""
    barrier = threading.Barrier(len(jobs))
    pages: list[str] = [""] * len(jobs)

    def run(index: int, browser: Browser, form: dict) -> None:
        form = dict(form)
        path = form.pop("path")
        barrier.wait()
        pages[index] = browser.post(path, form)

    threads = [threading.Thread(target=run, args=(i, b, f)) for i, (b, f) in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return pages


def test_fifty_clients_submitting_at_once_store_fifty_responses(app, live_server):
    feedback_round = make_round(make_user())
    instrument = instruments.for_round(feedback_round)
    tokens = [make_invitation(feedback_round, email=f"c{n}@example.com")[1] for n in range(50)]
    answers = {k: str(v) for k, v in full_answers(instrument, 5).items()}
    jobs = []
    for token in tokens:
        browser = Browser(live_server)
        jobs.append((browser, prepare(browser, token, instrument, answers)))
    pages = submit_together(jobs)
    assert all("anoniem ontvangen" in page for page in pages)
    db.session.commit()
    used = db.session.execute(db.select(Invitation.used)).scalars().all()
    assert used == [True] * 50
    rounds.close_round(feedback_round)  # whatever still waited moves into responses
    assert db.session.execute(db.select(db.func.count()).select_from(Response)).scalar() == 50


def test_one_link_submitted_ten_times_at_once_stores_one_response(app, live_server):
    feedback_round = make_round(make_user())
    instrument = instruments.for_round(feedback_round)
    _invitation, token = make_invitation(feedback_round)
    answers = {k: str(v) for k, v in full_answers(instrument, 3).items()}
    browser = Browser(live_server)
    form = prepare(browser, token, instrument, answers)
    pages = submit_together([(browser, form)] * 10)
    assert sum("anoniem ontvangen" in page for page in pages) == 1
    assert sum("waren al ontvangen" in page for page in pages) == 9
    db.session.commit()
    assert progress.response_counts([feedback_round.id]) == {feedback_round.id: 1}
