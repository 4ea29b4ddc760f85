"""Absolute links for e-mail, built from PIB360_BASE_URL, inside a request or not."""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The public address of `endpoint`, e.g. for a link in an e-mail.

    Built from the configured base URL rather than the request, so links are right from
    the command line (scheduled reminders) and behind a proxy alike.
    """
    base = urlsplit(current_app.config["PIB360_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
