"""Numbers in URLs and query strings, bounded by what the database can hold.

Every id column is a 32-bit integer on PostgreSQL (and 64-bit on SQLite): looking up a
larger id made the database driver raise, a 500 instead of a 404. Werkzeug's `int`
converter also takes Unicode digits such as "٣" (as 3), so a page had more than one URL.
"""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map

from pib360.untrusted import parse_int

# The largest value of an integer column on every database we run on (PostgreSQL's int4).
MAX_ID = 2**31 - 1


class DatabaseInteger(IntegerConverter):
    """`<int:...>` for the whole app: ASCII digits, from 0 to MAX_ID; otherwise no match."""

    regex = r"[0-9]+"

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Make `<int:...>` bounded in every route; call before the routes are registered."""
    app.url_map.converters["int"] = DatabaseInteger


def query_int(name: str, default: int, low: int = 1, high: int = MAX_ID) -> int:
    """The integer query parameter `name` (`default` when absent); 404 when it is not one
    from `low` to `high`."""
    text = request.args.get(name)
    if text is None:
        return default
    value = parse_int(text, low, high)
    if value is None:
        abort(404)
    return value
