"""The programmes app's pages, one module per thing they work on."""

from .cohorts import cohort_create, cohort_edit
from .milestones import milestone_create, milestone_delete, milestone_edit
from .people import people
from .programmes import (
    code_of_practice,
    programme_create,
    programme_detail,
    programme_edit,
    programme_list,
)

__all__ = [
    "code_of_practice",
    "cohort_create",
    "cohort_edit",
    "milestone_create",
    "milestone_delete",
    "milestone_edit",
    "people",
    "programme_create",
    "programme_detail",
    "programme_edit",
    "programme_list",
]
