"""Hypothesis strategies for hostile input: what a careless paste or a deliberate attacker sends.

Values are bytes, not str, so that lone surrogates and other encodings (Latin-1, UTF-16) reach
the server as the invalid UTF-8 a real client could send; Django's test client passes bytes
through its multipart encoder untouched.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Markup a page must never render as markup. The checks look for these exact fragments in
# the HTML: escaped, they read as "&lt;script&gt;..." and cannot match.
MARKUP_PAYLOADS = (
    '<script>alert("ladder")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "<b onmouseover=alert(1)>bold</b>",
    "javascript:alert(1)",
    "{{ 7|add:7 }} {% csrf_token %}",
)
RAW_MARKUP = ("<script>alert(", "<img src=x onerror", "<svg onload", "<b onmouseover")

SQL_FRAGMENTS = (
    "'; DROP TABLE trainees_trainee; --",
    "1 OR 1=1",
    "\" OR \"\"=\"",
    "%",
    "_",
    "\\",
    "1; SELECT pg_sleep(10)",
)
CONTROL = ("\x00", "\x01", "\x07", "\x1b[31m", "\r\n", "\u202e", "\u200b", "\ufeff", "\ud800")
NUMBERS = ("-1", "0", "1e309", "NaN", "inf", "99999999999999999999999999", "-0", "1.5", "0x10",
           "١٢", "+", "")
DATE_PARTS = ("0", "1", "29", "30", "31", "32", "13", "0001", "1900", "2026", "9999", "10000",
              "-2026", "99999999999")
DATES = ("0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "31/12/2026", "yesterday")

# A large paste: bigger than any sensible field, small enough to keep the suite quick.
HUGE = "A" * 100_000


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "surrogatepass" if encoding == "utf-8" else "replace")


@st.composite
def _encoded(draw, text_strategy) -> bytes:
    text = draw(text_strategy)
    encoding = draw(st.sampled_from(("utf-8", "utf-8", "utf-8", "latin-1", "utf-16", "cp1252")))
    return _encode(text, encoding)


_fixed = st.sampled_from(
    MARKUP_PAYLOADS + SQL_FRAGMENTS + CONTROL + NUMBERS + DATE_PARTS + DATES + (HUGE,)
)
# Any code point, surrogates and control characters included.
_random = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
_mixed = st.lists(st.one_of(_fixed, _random), min_size=1, max_size=4).map("".join)

hostile_str = st.one_of(_fixed, _fixed, _random, _mixed)
hostile_text = _encoded(hostile_str)
encodings = st.sampled_from(("utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"))
random_bytes = st.binary(max_size=2_000)
