"""Who may use the framework pages: browse, import and export (competencies.frameworks).

Everyone signed in reads the national frameworks and their own organisation's; the object
pages here point at a framework of Acme's own, so the outsider gets 404 (that national ones
answer the outsider too is tested in tests/frameworks/test_views.py). Only training leads
import, into their own organisation, and set the validity of their own organisation's
frameworks (a national one answers them 403: tests/frameworks/test_validity.py).
"""

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_FOUND, OK, REDIRECT, SIGNED_IN, Entry, only


def acme_framework(world) -> dict:
    from competencies.frameworks import moodle_csv
    from competencies.frameworks.services import framework_import

    scale = moodle_csv.Scale(
        values=("Not yet competent", "Competent"),
        configuration=(
            moodle_csv.ScaleItemConfig(id=1, scale_default=True),
            moodle_csv.ScaleItemConfig(id=2, proficient=True),
        ),
    )
    parsed = moodle_csv.ParsedFramework(
        framework=moodle_csv.Framework(id_number="ACME-OWN", short_name="Acme's own", scale=scale),
        competencies=(
            moodle_csv.Competency(id_number="A1", short_name="Observations"),
            moodle_csv.Competency(id_number="A1.1", short_name="NEWS2", parent_id_number="A1"),
        ),
    )
    framework = framework_import(parsed=parsed, organisation=world.organisation)
    return {"pk": framework.pk}


ENTRIES: dict[str, Entry] = {
    "frameworks:list": SIGNED_IN,
    "frameworks:detail": Entry(
        anonymous=REDIRECT, members=OK, outsider=NOT_FOUND, kwargs=acme_framework
    ),
    "frameworks:export": Entry(
        anonymous=REDIRECT, members=OK, outsider=NOT_FOUND, kwargs=acme_framework
    ),
    # Only Acme's training leads set how long its own framework's sign-offs stay valid (the
    # outsider, a lead elsewhere, does not see the framework).
    "frameworks:validity": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=acme_framework),
    # The outsider is a training lead too: they may import into their own organisation.
    "frameworks:import": only(Role.TRAINING_LEAD),
    # No upload is waiting in these sessions, so even a training lead finds nothing there.
    "frameworks:import_preview": Entry(
        anonymous=REDIRECT,
        members=FORBIDDEN,
        outsider=NOT_FOUND,
        roles={Role.TRAINING_LEAD: NOT_FOUND},
        kwargs=lambda world: {"token": "0" * 32},
    ),
}
