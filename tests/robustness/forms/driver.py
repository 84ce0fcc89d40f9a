"""Posts hostile input through a form exactly as a browser would, and checks what comes back."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from hypothesis import strategies as st

from tests.access_table import ANONYMOUS, PARTNER, entry_for

from ..hostile import MARKUP_PAYLOADS, RAW_MARKUP, hostile_text, random_bytes
from .pageforms import Field, PageForm, forms_on


@dataclass(frozen=True)
class Target:
    """A form a person fills in: on `page`, as `role`, sent (by `method`) to `action`."""

    action: str  # URL name the form is sent to
    page: str  # URL name of the page showing it (its arguments come from the access table)
    role: str  # who may fill it in; "anonymous" for the public account pages
    method: str = "post"
    # world -> a query string for the page ("?framework=3") or the page's URL arguments (a
    # dict, instead of the access table's): makes the records the page needs for the form.
    setup: object = None
    # When a page shows several forms sent to the same URL: the hidden field that tells them
    # apart, as (name, value) ("action", "more_evidence").
    hidden: tuple[str, str] | None = None

    def __str__(self) -> str:
        which = f"/{self.hidden[1]}" if self.hidden else ""
        return f"{self.action}{which}[{self.role}]"


def page_url(target: Target, world) -> str:
    made = target.setup(world) if target.setup else None
    if isinstance(made, dict):
        return reverse(target.page, kwargs=made)
    entry = entry_for(target.page)
    kwargs = entry.kwargs(world) if entry and entry.kwargs else None
    return reverse(target.page, kwargs=kwargs) + (made or "")


def find_form(client, world, target: Target) -> tuple[str, str, PageForm]:
    """(page URL, action URL, form) of the target's form on its page, as its role sees it."""
    return form_on_page(client, page_url(target, world), target)


def form_on_page(client, url: str, target: Target) -> tuple[str, str, PageForm]:
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} as {target.role}: {response.status_code}"
    html = response.content.decode()
    for form in forms_on(html, url):
        action = urljoin(url, form.action)
        if form.method == target.method and view_name(action) == target.action and _is_the_one(form, target):
            return url, action, form
    raise AssertionError(f"{url} shows {target.role} no {target.method} form to {target}")


def _is_the_one(form: PageForm, target: Target) -> bool:
    if target.hidden is None:
        return True
    name, value = target.hidden
    found = form.fields.get(name)
    return found is not None and found.kind == "hidden" and found.value == value


def view_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


# The partner organisation's people, beyond the standard cast: its training lead and its
# registered district nurse (tests/delegation/factories.add_partner, added to the world on
# first use).
NURSE = "nurse"


def login(client, world, role: str) -> None:
    if role == ANONYMOUS:
        return
    if role in (PARTNER, NURSE):
        from tests.delegation.factories import add_partner

        client.force_login(getattr(add_partner(world), role))
        return
    client.force_login(world.person(role))


def signed_in_session(client) -> str | None:
    """The key of the session `login` gave the client, to send again with `resume`."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def resume(client, role: str, session: str | None) -> None:
    """Inside a savepoint rolled back after each submission: sign the client in with the
    session `login` made before the savepoint, instead of logging in again (7-11 ms a
    submission). That session, as the form's page left it, is back as it was once the previous
    savepoint is rolled back, whatever a submission did to it; a submission that ended it or
    changed its key changed only the client's cookie, which is put back here. So every
    submission is sent as the first one was."""
    if role != ANONYMOUS and session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session


def as_loaded(form: PageForm) -> dict:
    """What the browser would send if the person pressed the form's first button unchanged."""
    data = {}
    for field in form.fields.values():
        if field.kind == "checkbox":
            data[field.name] = list(field.checked)
        elif field.kind != "file":
            data[field.name] = field.value
    if form.buttons:
        name, value = form.buttons[0]
        data[name] = value
    return data


# --- what is sent ---------------------------------------------------------------------------

_DATE_PARTS = {"_day": ("1", "15", "28"), "_month": ("1", "6", "12"), "_year": ("2025", "2026", "2027")}


def _plausible(field: Field) -> st.SearchStrategy:
    """A value the form would probably accept, so hostile text in other fields gets stored."""
    if field.options:
        if field.kind == "checkbox":
            return st.lists(st.sampled_from(field.options), unique=True, max_size=3)
        return st.sampled_from(field.options)
    for suffix, values in _DATE_PARTS.items():
        if field.name.endswith(suffix):
            return st.sampled_from(values)
    if field.kind == "number" or "hours" in field.name or field.name.endswith("number"):
        return st.sampled_from(("1", "3", "7.5"))
    if field.kind == "email" or "email" in field.name:
        return st.just("someone@example.org")
    if field.kind == "hidden":
        return st.just(field.value)
    # Markup is valid text: it must be stored as typed and shown escaped.
    return st.sampled_from(MARKUP_PAYLOADS)


def _file() -> st.SearchStrategy:
    names = st.sampled_from(("data.csv", "../../etc/passwd", '<img src=x onerror=alert(1)>.csv',
                             "\u202etxt.exe", "a" * 300 + ".csv", "file.pdf"))
    contents = st.one_of(random_bytes, hostile_text.map(lambda b: b + b"\n" + b))
    return st.builds(lambda name, body: SimpleUploadedFile(name, body), names, contents)


@st.composite
def submissions(draw, form: PageForm) -> dict:
    data: dict = {}
    # A third of the submissions are all plausible, so that the markup in them gets saved and
    # its display is checked; the rest mix in hostile values to exercise validation.
    modes = ("keep", "plausible", "plausible", "hostile", "hostile", "wrong type", "omit")
    if draw(st.integers(0, 2)) == 0:
        modes = ("keep", "plausible", "plausible")
    for field in form.fields.values():
        if field.name == "csrfmiddlewaretoken":  # sent as a browser would (the client skips checks)
            data[field.name] = field.value
            continue
        if field.kind == "file":
            if draw(st.booleans()):
                data[field.name] = draw(_file())
            continue
        how = draw(st.sampled_from(modes))
        if how == "keep" and (field.value or not field.options):
            data[field.name] = field.value
        elif how in ("plausible", "keep"):
            data[field.name] = draw(_plausible(field))
        elif how == "hostile":
            data[field.name] = draw(hostile_text)
        elif how == "wrong type":  # several values for one, or a file where text belongs
            data[field.name] = draw(st.one_of(st.lists(hostile_text, min_size=2, max_size=3), _file()))
    if form.buttons:
        name, value = draw(st.sampled_from(form.buttons))
        data[name] = value
    return data


# --- what must come back --------------------------------------------------------------------

def assert_no_raw_markup(response, where: str) -> None:
    if "html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode(errors="replace")
    found = [m for m in RAW_MARKUP if m in html]
    assert not found, f"{where} renders input as markup: {found}"


def assert_errors_beside_fields(response, where: str) -> None:
    html = response.content.decode(errors="replace")
    if "nhsuk-form-group--error" in html:
        assert "nhsuk-error-message" in html, f"{where}: a field is marked wrong without a message"


def check_submission(client, *, method: str, action: str, data: dict) -> None:
    send = client.post if method == "post" else client.get
    response = send(action, data)
    where = f"{method.upper()} {action}"
    assert response.status_code < 500, f"{where} answered {response.status_code}"
    assert_no_raw_markup(response, where)
    if response.status_code == 200:
        assert_errors_beside_fields(response, where)
    # The page that shows what was saved: where the form led (a re-shown form was checked).
    if response.status_code in (301, 302, 303) and response["Location"].startswith("/"):
        url = response["Location"]
        after = client.get(url)
        assert after.status_code < 500, f"GET {url} after {where} answered {after.status_code}"
        assert_no_raw_markup(after, f"GET {url} after {where}")
