"""Links to one object each, for long lists: reverse() once per view, not once per row.

reverse() walks the URLconf's patterns and checks its arguments on every call: a list that
links each of its rows (the cohort page, the progress matrix) spent longer reversing than
writing the rows. A URL with one integer argument is the same text around the number whatever
the number, so the text around it is worked out once and the number put in between."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

# A number the rest of any of our URLs never contains, to find where the argument goes.
_MARKER = 987654321


def url_with_pk(viewname: str, pk: int, *, kwarg: str | None = None) -> str:
    """reverse(viewname, args=[pk]) (or kwargs={kwarg: pk}) for a URL whose one argument is
    an integer (an ``<int:…>`` path converter): the same URL, the pattern reversed once per
    view name, script prefix and URLconf (both of which reverse() reads for the request)."""
    head, tail = _around_the_argument(viewname, kwarg, get_script_prefix(), get_urlconf())
    return f"{head}{int(pk)}{tail}"


def urls_with_pk(viewname: str, *, kwarg: str | None = None) -> Callable[[int], str]:
    """url_with_pk for the rows of one list: the URL of each pk, the script prefix and URLconf
    (thread-local reads) looked up once for the list rather than once a row."""
    head, tail = _around_the_argument(viewname, kwarg, get_script_prefix(), get_urlconf())
    return lambda pk: f"{head}{int(pk)}{tail}"


@lru_cache(maxsize=128)
def _around_the_argument(viewname: str, kwarg: str | None, prefix: str, urlconf) -> tuple[str, str]:
    # ``prefix`` is part of the key only: reverse() reads the same script prefix itself.
    url = reverse(viewname, urlconf=urlconf, **({"kwargs": {kwarg: _MARKER}} if kwarg else {"args": [_MARKER]}))
    head, marker, tail = url.partition(str(_MARKER))
    if not marker or str(_MARKER) in tail:
        raise ValueError(f"{viewname} does not put its one argument in its URL once")
    return head, tail
