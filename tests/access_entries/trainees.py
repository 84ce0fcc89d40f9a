"""Who may use the trainee, enrolment, contract, study-time and review pages (trainees app)."""

from programmes.models import Role  # noqa: F401

from ..access_table import Entry, only  # noqa: F401

ENTRIES: dict[str, Entry] = {
    "trainees:cohort_detail": Entry(
        anonymous=302, members=200, outsider=404,
        kwargs=lambda world: {"pk": world.cohort.pk},
    ),
}
