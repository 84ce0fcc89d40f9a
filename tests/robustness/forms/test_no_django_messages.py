"""No form shows Django's own English messages ("Ensure this value has at most 200 characters
(it has 3001).", "Enter a valid URL."): each is said the NHS.UK way instead.

Every form the hostile-input suite reaches (tests/robustness/forms/targets.py, which
test_every_form_is_covered.py keeps complete) is sent a few kinds of wrong input: too long,
a well-formed address too long to keep, too precise, negative, a word where a number or date
belongs, nothing, a choice not offered.
The messages each bound form would show (through the template pack's nhs_messages, as the
pages draw them) must not be any of Django's defaults, which are read from Django's form
fields and validators in a fresh interpreter, before Ladder rewords some of them.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess  # nosec B404: runs this repository's own Python on a fixed script
import sys
from functools import cache
from unittest import mock

from django import forms
from django.db import transaction

from nhsuk_forms.templatetags.nhsuk_forms import _kind, nhs_messages

from .driver import find_form, login, resume, signed_in_session
from .targets import TARGETS
from .test_every_form_is_covered import NOT_POSTED, _form_classes

# Django's messages, formatted with 1 (the singular of "%(limit_value)d character") and with a
# marker number (every placeholder, plural), printed as JSON.
_DEFAULTS_SCRIPT = r"""
import copy
import json
from django.conf import settings
settings.configure(USE_I18N=False)
import django
django.setup()
from django import forms
from django.core import validators

class Every(dict):
    def __init__(self, value):
        self.value = value
    def __getitem__(self, key):
        return self.value

messages, todo = [], [forms.Field]
while todo:
    cls = todo.pop()
    todo.extend(cls.__subclasses__())
    messages += vars(cls).get("default_error_messages", {}).values()
for obj in vars(validators).values():
    if isinstance(obj, type):
        several = getattr(obj, "messages", None)
        messages += [getattr(obj, "message", None), *(several.values() if isinstance(several, dict) else ())]
seen = set()
for message in filter(None, messages):
    for number in (1, 987654321):
        seen.add((number, str(message % Every(number))))
# The password validators' messages ("This password is entirely numeric."), built by each.
from django.contrib.auth import password_validation as pv
for number in (1, 987654321):
    for validator in (pv.MinimumLengthValidator(number), pv.CommonPasswordValidator(),
                      pv.NumericPasswordValidator(), pv.UserAttributeSimilarityValidator()):
        seen.add((number, str(validator.get_error_message() % Every(number))))
print(json.dumps(sorted(seen)))
"""
_MARKER = "987654321"


@cache
def django_default_messages() -> list[re.Pattern]:
    """Django's default messages as patterns, their placeholders matching anything."""
    out = subprocess.run(  # nosec B603
        [sys.executable, "-c", _DEFAULTS_SCRIPT], capture_output=True, text=True, check=True
    ).stdout
    patterns = set()
    for number, text in json.loads(out):
        escaped = re.escape(text)
        # Django's messages hold no digits of their own, so each 1 (or marker) is a placeholder.
        patterns.add(escaped.replace(_MARKER, "(.+?)") if number != 1 else escaped.replace("1", "(.+?)"))
    return [re.compile(pattern) for pattern in sorted(patterns)]


def test_the_defaults_are_djangos_own_before_ladder_rewords_them():
    # The test of the test: numbers' messages are reworded in this process (nhsuk_forms.apps),
    # yet the list holds Django's originals, singular and plural.
    defaults = django_default_messages()

    def is_default(text):
        return any(p.fullmatch(text) for p in defaults)

    assert is_default("This field is required.")
    assert is_default("Ensure this value is less than or equal to 24.")
    assert is_default("Ensure this value has at most 200 characters (it has 3001).")
    assert is_default("Ensure that there are no more than 1 decimal place.")
    assert is_default("Enter a valid URL.") and is_default("Enter a valid date.")
    assert is_default("This password is too short. It must contain at least 10 characters.")
    assert is_default("This password is entirely numeric.")
    assert is_default("The password is too similar to the email address.")
    assert not is_default("Name must be 200 characters or fewer")


WRONG = {  # what every typed field gets; choices get a value not offered, or nothing
    "too long": "9" * 3001,
    # Well formed, so an email field passes it on: longer than the 254 characters a model keeps.
    "a long address": "x" * 250 + "@example.org",
    "too precise": "1.23456",
    "negative": "-1",
    "a word": "x",
    "nothing": "",
}
_TYPED = ("text", "textarea", "number", "email", "url", "search", "tel", "date", "password")


def _wrong_submission(form, value: str) -> dict:
    data = {}
    for field in form.fields.values():
        if field.kind == "hidden":
            data[field.name] = field.value
        elif field.kind in _TYPED:
            data[field.name] = value
        elif field.kind in ("checkbox", "radio", "select") and value:
            data[field.name] = "not-offered" if value != "x" else field.options[:1]
    if form.buttons:
        data[form.buttons[0][0]] = form.buttons[0][1]
    return data


def _shown_messages(form) -> list[str]:
    shown = [str(error) for error in form.non_field_errors()]
    for name in form.errors:
        if name in form.fields:
            bf = form[name]
            shown += nhs_messages(bf, _kind(bf.field.widget))
    return shown


def test_no_form_shows_a_django_default_message(world, client):
    defaults = django_default_messages()
    bound, leaks, classes = [], set(), set()
    original_init = forms.BaseForm.__init__

    def recording_init(self, data=None, *args, **kwargs):
        original_init(self, data, *args, **kwargs)
        if data is not None:
            bound.append(self)

    with mock.patch.object(forms.BaseForm, "__init__", recording_init):
        for target in TARGETS:
            with transaction.atomic():  # the page's set-up too: targets share some
                each = copy.deepcopy(world)  # and what a set-up adds to the world (add_partner)
                login(client, each, target.role)
                _, action, form = find_form(client, each, target)
                session = signed_in_session(client)
                send = client.post if target.method == "post" else client.get
                for how, value in WRONG.items():
                    with transaction.atomic():
                        resume(client, target.role, session)
                        bound.clear()
                        response = send(action, _wrong_submission(form, value))
                        assert response.status_code < 500, f"{target} with {how}: {response.status_code}"
                        for made in bound:
                            classes.add(f"{type(made).__module__}.{type(made).__qualname__}")
                            for text in _shown_messages(made):
                                if any(p.fullmatch(text) for p in defaults):
                                    leaks.add(f"{type(made).__qualname__} ({how}): {text}")
                        transaction.set_rollback(True)
                transaction.set_rollback(True)

    assert not leaks, "Django's default messages shown:\n" + "\n".join(sorted(leaks))
    assert not _form_classes() - classes - set(NOT_POSTED), "some form classes were not swept"
