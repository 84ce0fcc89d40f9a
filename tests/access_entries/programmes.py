"""Who may use the programme, milestone and cohort pages (programmes app)."""

from programmes.models import Role

from ..access_table import Entry, only  # noqa: F401

ENTRIES: dict[str, Entry] = {
    "programmes:people": only(Role.TRAINING_LEAD, Role.PLANNER),
}
