"""``{% cached_while_data_unchanged "name" vary_on... %} ... {% endcached_while_data_unchanged %}``:
the block's HTML kept in the "fragments" cache under the data version (core/data_version.py),
today's date, the language and the values given (say the acting membership's pk), so it is
rendered again after any commit that wrote to Ladder's tables, and at midnight (what is overdue
changes). Without a data version (SQLite), or inside a transaction (whose writes, not yet
committed, have not moved the version on and may be rolled back), it is rendered every time.

What goes inside must depend only on the data and the values given: no CSRF token, no CSP
nonce, no messages, nothing of the request but what is in the key. The view should hand over
its figures lazily (django.utils.functional.SimpleLazyObject), so a hit runs no query for them.
"""

from __future__ import annotations

import logging

from django import template
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.utils import make_template_fragment_key
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from core.data_version import data_version

register = template.Library()
logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60  # a fragment outlives no version change anyway; this frees the cache of old ones


class DataCacheNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        if "fragments" not in settings.CACHES:  # no such cache configured: render each time
            return self.nodelist.render(context)
        cache = caches["fragments"]
        if isinstance(cache, DummyCache):  # caching off (the test suite): not even the version read
            return self.nodelist.render(context)
        if connection.in_atomic_block:  # what it would keep may never be committed
            return self.nodelist.render(context)
        version = data_version(read_with=_read_with(context))
        if version is None:
            return self.nodelist.render(context)
        # The database's name too: two databases behind one cache (the benchmark's) may stand
        # at the same version with the same primary keys.
        vary = [connection.settings_dict["NAME"], version, timezone.localdate().isoformat(), get_language(),
                *(value.resolve(context) for value in self.vary_on)]
        key = make_template_fragment_key(self.name, vary)
        try:
            html = cache.get(key)
        except Exception:  # noqa: BLE001 (the cache is out of reach: the page renders without it)
            logger.warning("The fragments cache is out of reach; %s rendered without it", self.name, exc_info=True)
            return self.nodelist.render(context)
        if html is None:
            html = self.nodelist.render(context)
            try:
                cache.set(key, html, TIMEOUT)
            except Exception:  # noqa: BLE001
                logger.warning("The fragments cache is out of reach; %s not kept", self.name, exc_info=True)
        return html


def _read_with(context):
    """The acting membership, which carries the version read with it at the start of the request
    (core.access.memberships_for), on a GET or HEAD: a request that may have written since
    (committed, so the version moved on) reads the version afresh, or it would find the
    fragment kept under the old one, from before its own write."""
    request = getattr(context, "request", None)
    if request is None or request.method not in ("GET", "HEAD"):
        return None
    return getattr(request, "membership", None)


@register.tag
def cached_while_data_unchanged(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a quoted name, then what to vary on")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return DataCacheNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
