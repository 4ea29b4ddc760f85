"""Input from outside made safe to store: integers in range, text without control characters.

Pure: no Flask, no database. The forms (see pib360.forms), the questionnaire's answers,
the address lists and the URL converter (see pib360.routing) all parse with these, so text
and numbers from a request reach the database only through them.
"""

import re

# C0 and C1 control characters and DEL. PostgreSQL refuses NUL in text; XML, and so XLSX,
# refuses the rest of C0; none of them can be typed, they only come pasted or forged.
# U+FFFE and U+FFFF are not characters at all, and XML refuses them too.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\t\n\r]")


def plain_text(text: str, multiline: bool = False) -> str:
    """`text` without control characters; tab, line feed and carriage return are kept when
    `multiline`, and become spaces otherwise."""
    text = _CONTROLS.sub("", text)
    return text if multiline else _LINE_BREAKS.sub(" ", text)


def parse_int(text: str | None, low: int, high: int) -> int | None:
    """`text` as an integer from `low` (at least 0) to `high`, or None.

    Only ASCII digits, no sign or spaces: `str.isdigit()` and `int()` also take "٣" or
    "３", and `int()` refuses thousands of digits with an error rather than a None.
    """
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(high)):
        return None
    value = int(text)
    return value if low <= value <= high else None
