"""Lists every URL pattern of a URLconf by its namespaced name, and builds a URL for each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Sample values for URL arguments that Django's admin uses; our own URLs get theirs from the
# access table, built from the test world.
ADMIN_SAMPLE_KWARGS = {
    "object_id": "1", "id": "1", "app_label": "programmes", "content_type_id": "1",
}


@dataclass(frozen=True)
class NamedPattern:
    name: str | None  # "namespace:name", or None for an unnamed pattern
    route: str
    namespace: str = ""


def walk(urlconf=None) -> list[NamedPattern]:
    found: list[NamedPattern] = []

    def visit(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}{pattern.namespace}:"
                visit(pattern.url_patterns, ns, route)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                found.append(NamedPattern(name=name, route=route, namespace=namespace))

    visit(get_resolver(urlconf).url_patterns, "", "")
    return found


def missing_entries(patterns: list[NamedPattern], entry_for) -> list[str]:
    """Patterns the access table says nothing about (unnamed ones can never be listed).

    Django's admin has one unnamed pattern per model: a redirect from the old change-page
    address to the named one, which the admin entries cover.
    """
    return [
        p.name or f"(unnamed pattern {p.route!r})"
        for p in patterns
        if (p.name is None and p.namespace != "admin:")
        or (p.name is not None and entry_for(p.name) is None)
    ]


def url_for(pattern: NamedPattern, kwargs: dict | None) -> str:
    if kwargs is None and pattern.name.startswith("admin:"):
        # Django's admin: fill each argument of the route from the samples.
        names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern.route)
        kwargs = {}
        for converter_name, regex_name in names:
            arg = converter_name or regex_name
            if arg not in ADMIN_SAMPLE_KWARGS:
                raise AssertionError(f"Add a sample value for {arg!r} to ADMIN_SAMPLE_KWARGS")
            kwargs[arg] = ADMIN_SAMPLE_KWARGS[arg]
    return reverse(pattern.name, kwargs=kwargs or {})
