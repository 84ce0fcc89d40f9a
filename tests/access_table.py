"""Who may use every URL of Ladder: the table the access test walks.

Every URL pattern needs an entry here; a pattern without one fails tests/test_access.py, so
each feature must declare who may use what it adds. An entry gives the status code of a GET
for each actor: anonymous, each role of the organisation that owns the data ("Acme"), and an
outsider (the training lead of another organisation), plus the URL's arguments, built from
the test world so that object URLs point at Acme's objects (an outsider must get 404 there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from programmes.models import Role

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405
ANONYMOUS, OUTSIDER = "anonymous", "outsider"
ROLES = tuple(Role.values)
ACTORS = (ANONYMOUS, *ROLES, OUTSIDER)


@dataclass(frozen=True)
class Entry:
    anonymous: int
    members: int  # every role of Acme, unless listed in `roles`
    outsider: int
    roles: dict[str, int] = field(default_factory=dict)
    kwargs: Callable | None = None  # world -> URL kwargs

    def expected(self, actor: str) -> int:
        if actor == ANONYMOUS:
            return self.anonymous
        if actor == OUTSIDER:
            return self.outsider
        return self.roles.get(actor, self.members)


def only(*roles: str, anonymous: int = REDIRECT, outsider: int | None = None, kwargs=None) -> Entry:
    """A page for the listed roles; everyone else signed in gets 403. The outsider is one of
    the roles (a training lead) of another organisation: on a list page they see their own
    organisation's (200 when training leads are listed), on an object page 404."""
    outsider_status = outsider
    if outsider_status is None:
        outsider_status = OK if Role.TRAINING_LEAD in roles else FORBIDDEN
    return Entry(
        anonymous=anonymous,
        members=FORBIDDEN,
        outsider=outsider_status,
        roles={role: OK for role in roles},
        kwargs=kwargs,
    )


PUBLIC = Entry(anonymous=OK, members=OK, outsider=OK)
SIGNED_IN = Entry(anonymous=REDIRECT, members=OK, outsider=OK)
# Pages that send a signed-in person elsewhere (the login page -> their dashboard).
PUBLIC_REDIRECTS_MEMBERS = Entry(anonymous=OK, members=REDIRECT, outsider=REDIRECT)
POST_ONLY_PUBLIC = Entry(anonymous=NOT_ALLOWED, members=NOT_ALLOWED, outsider=NOT_ALLOWED)

# Django admin is for superusers only: nobody in the cast is staff, so every admin page sends
# them to the admin login, which itself answers.
ADMIN_DEFAULT = Entry(anonymous=REDIRECT, members=REDIRECT, outsider=REDIRECT)
ADMIN_EXCEPTIONS = {
    "admin:login": PUBLIC,
}

def _merge(*tables: dict[str, Entry]) -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for table in tables:
        twice = set(merged) & set(table)
        assert not twice, f"URL names declared twice in the access table: {twice}"
        merged.update(table)
    return merged


def _load() -> dict[str, Entry]:
    # One module per area under access_entries/, found by name, so a feature adds its entries
    # in a module of its own without editing this file or another area's.
    import importlib
    import pkgutil

    from . import access_entries

    modules = sorted(name for _, name, _ in pkgutil.iter_modules(access_entries.__path__))
    return _merge(*(
        importlib.import_module(f"{access_entries.__name__}.{name}").ENTRIES for name in modules
    ))


def entry_for(name: str) -> Entry | None:
    table = _load()
    if name in table:
        return table[name]
    if name.startswith("admin:"):
        return ADMIN_EXCEPTIONS.get(name, ADMIN_DEFAULT)
    return None
