"""Every form class in Ladder's code is reached by the hostile-input suite.

Each target's form is sent once with markup in every field while Django's BaseForm records
which form classes were bound to the submitted data; every form class defined in the apps
must be among them (or listed below with the reason it is not). A new form that no target
reaches fails here, so it gets a target in targets.py.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from unittest import mock

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from .driver import check_submission, find_form, login
from .targets import TARGETS

APPS = ("core", "programmes", "trainees", "competencies", "evaluations", "people", "delegation",
        "credentials", "reports", "dashboards", "nhsuk_forms", "privacy", "api")

# Form classes no target binds, and why that is acceptable.
NOT_POSTED = {
    # Reached only through an emailed one-time link; Django's own SetPasswordForm validation.
    "dashboards.forms.NhsSetPasswordForm": "needs a valid password-reset token",
    # The Django admin's, for superusers only (no role reaches it); its number rule is tested in
    # tests/delegation/test_registrations.py.
    "delegation.admin.PractitionerRegistrationAdminForm": "the Django admin's own form",
}


def _form_classes() -> set[str]:
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if "forms" in info.name and "migrations" not in info.name:
                importlib.import_module(info.name)

    found, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in APPS:
            found.add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def _every_text_field_holds_markup(form) -> dict:
    data = {}
    for field in form.fields.values():
        if field.kind == "file":
            data[field.name] = SimpleUploadedFile("<b>.csv", b'"<script>alert(1)</script>",x\n')
            continue
        data[field.name] = field.options[0] if field.options else (
            field.value or '"><script>alert("ladder")</script>'
        )
    if form.buttons:
        data[form.buttons[0][0]] = form.buttons[0][1]
    return data


def test_every_form_class_is_bound_by_some_target(world, client):
    bound: set[str] = set()
    original_init = forms.BaseForm.__init__

    def recording_init(self, data=None, *args, **kwargs):
        if data is not None:
            bound.add(f"{type(self).__module__}.{type(self).__qualname__}")
        original_init(self, data, *args, **kwargs)

    with mock.patch.object(forms.BaseForm, "__init__", recording_init):
        for target in TARGETS:
            with transaction.atomic():
                # A world of its own: what a set-up adds to it (add_partner) is rolled back.
                each = copy.deepcopy(world)
                login(client, each, target.role)
                _, action, form = find_form(client, each, target)
                check_submission(client, method=target.method, action=action,
                                 data=_every_text_field_holds_markup(form))
                transaction.set_rollback(True)

    missing = _form_classes() - bound - set(NOT_POSTED)
    assert not missing, f"No target in tests/robustness/forms/targets.py sends: {sorted(missing)}"


def test_the_form_class_list_finds_the_apps_forms():
    # The test of the test: the walk over the apps sees forms in nested packages too.
    classes = _form_classes()
    assert "trainees.forms.TransitionForm" in classes
    assert "competencies.profiles.forms.MappingForm" in classes
    assert "trainees.enrolment_import.forms.EnrolmentImportForm" in classes
