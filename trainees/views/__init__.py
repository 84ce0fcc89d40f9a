"""The trainee-record screens: cohorts, trainees, enrolments (status, contract, study time,
reviews) and each role's own list. Short function views: access through the selectors (404 for
what the person may not see, 403 for what they may not do), a form, a service, a redirect."""

from .cohorts import cohort_detail, enrol
from .enrolments import (
    contract_edit,
    contract_sign,
    enrolment_detail,
    enrolment_transition,
    plan_edit,
    review_create,
    study_session_create,
)
from .mine import my_mentees, my_record, my_trainees, study_time_by_ward, study_week
from .people import trainee_create, trainee_detail, trainee_edit, trainee_list

__all__ = [
    "cohort_detail", "contract_edit", "contract_sign", "enrol", "enrolment_detail",
    "enrolment_transition", "my_mentees", "my_record", "my_trainees", "plan_edit",
    "review_create", "study_session_create", "study_time_by_ward", "study_week", "trainee_create",
    "trainee_detail", "trainee_edit", "trainee_list",
]
