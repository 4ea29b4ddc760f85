"""SVG charts as responses of their own, so pages keep a strict content security policy."""

from flask import Response


def svg_response(data: bytes) -> Response:
    """An SVG image with a policy of its own: matplotlib writes inline styles, nothing runs."""
    response = Response(data, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    )
    return response
