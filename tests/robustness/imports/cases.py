"""The four CSV imports, each described once so the same hostile files go through all of them.

A case knows its upload page, a good file, how to count what it stores, and how to finish
the import in the browser (the enrolment and framework imports have a preview to confirm).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.urls import reverse

from competencies.models import Competency, Mapping
from evaluations.models import SatisfactionResult
from programmes import services as programme_services
from trainees.models import Enrolment

from ..forms.driver import view_name
from ..forms.pageforms import forms_on


@dataclass(frozen=True)
class ImportCase:
    name: str
    url: Callable  # world -> upload URL
    good_csv: str  # header and rows, every row importable
    rows: int  # how many records the good file stores
    stored: Callable  # () -> count of the records this import makes
    fields: dict = field(default_factory=dict)  # the upload form's other fields
    setup: Callable | None = None  # world -> None: what the good file refers to
    finish: Callable | None = None  # (client, response) -> the response after confirming

    def __str__(self) -> str:
        return self.name


def _confirm_on_preview(confirm_view: str):
    """Follow the upload to its preview page and press the button that posts to confirm_view
    (not "cancel": only the form's fields are sent, not its buttons)."""

    def finish(client, response):
        if response.status_code != 302:
            return response
        preview_url = response["Location"]
        preview = client.get(preview_url)
        assert preview.status_code < 500
        for form in forms_on(preview.content.decode(), preview_url):
            action = urljoin(preview_url, form.action)
            if form.method == "post" and view_name(action) == confirm_view:
                return client.post(action, {name: f.value for name, f in form.fields.items()})
        return preview  # the preview lists problems instead of offering to import

    return finish


def _national_frameworks(world):
    from tests.profiles.factories import make_framework

    make_framework(id_number="CC-2015", short_name="Care Certificate",
                   competencies=[("CC5", "Person-centred"), ("CC13", "Health and safety")])
    make_framework(organisation=world.organisation, id_number="ACME-IAP", short_name="IAP",
                   competencies=[("IAP-1", "Physical health"), ("IAP-2", "Observations")])


def _oak_ward(world):
    oak = programme_services.clinical_area_ensure(organisation=world.organisation, name="Oak Ward")
    programme_services.programme_update(programme=world.programme, clinical_areas=[world.ward, oak])


def _moodle_csv() -> str:
    from tests.frameworks.helpers import FRAMEWORK_ROW, competency_row, csv_file

    return csv_file(FRAMEWORK_ROW, competency_row("C1", name="Duty of care"),
                    competency_row("C1.1", parent="C1", name="Raise concerns"),
                    competency_row("C2", name="Privacy and dignity"))


def _enrolment_csv() -> str:
    from tests.trainee_import.helpers import csv_bytes, good_row

    return csv_bytes([good_row(1), good_row(2), good_row(3)]).decode()


CASES = [
    ImportCase(
        name="enrolments",
        url=lambda world: reverse("enrolment_import:upload", kwargs={"cohort_pk": world.cohort.pk}),
        good_csv=_enrolment_csv(),
        rows=3,
        stored=lambda: Enrolment.objects.count(),
        finish=_confirm_on_preview("enrolment_import:confirm"),
    ),
    ImportCase(
        name="moodle-framework",
        url=lambda world: reverse("frameworks:import"),
        good_csv=_moodle_csv(),
        rows=3,
        stored=lambda: Competency.objects.count(),
        fields={"encoding": "utf-8", "delimiter": "comma"},
        finish=_confirm_on_preview("frameworks:import_preview"),
    ),
    ImportCase(
        name="mappings",
        url=lambda world: reverse("profiles:mapping_import"),
        good_csv=(
            "source_framework,source_id_number,target_framework,target_id_number,strength,note\n"
            "ACME-IAP,IAP-1,CC-2015,CC13,equivalent,Ward safety\n"
            "ACME-IAP,IAP-2,CC-2015,CC5,partial,\n"
        ),
        rows=2,
        stored=lambda: Mapping.objects.count(),
        setup=_national_frameworks,
    ),
    ImportCase(
        name="satisfaction",
        url=lambda world: reverse("findings:satisfaction_import",
                                  kwargs={"programme_pk": world.programme.pk}),
        good_csv=(
            "ward,period_start,period_end,responses,score,source,questions\n"
            "Larch Ward,2026-03-01,2026-03-31,24,87.5,Local survey,Helped?|Recommend?\n"
            "Oak Ward,2026-03-01,2026-03-31,11,60,,\n"
        ),
        rows=2,
        stored=lambda: SatisfactionResult.objects.count(),
        setup=_oak_ward,
    ),
]
