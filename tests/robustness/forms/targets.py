"""Every form a person can send in Ladder, with the page that shows it and who fills it in.

tests/robustness/forms/test_every_form_is_covered.py fails when a form class in the code is
not reached through one of these, so a new form cannot be forgotten here.
"""

from __future__ import annotations

from programmes.models import Role
from tests.access_table import ANONYMOUS, PARTNER

from .driver import NURSE, Target

LEAD, MANAGER, MENTOR, TRAINEE = Role.TRAINING_LEAD, Role.MANAGER, Role.MENTOR, Role.TRAINEE


def _an_unenrolled_trainee(world):
    from trainees import services

    services.trainee_create(
        organisation=world.organisation, actor=world.person(LEAD), first_name="Robin",
        last_name="Waiting", employee_number="E2002",
    )


def _a_framework_to_choose(world):
    from tests.profiles.factories import make_framework

    framework = make_framework(competencies=[("N-1", "Recognise deterioration")])
    return f"?framework={framework.pk}"


def _a_framework(world):
    _a_framework_to_choose(world)
    return ""


def _an_answer_to_code(world):
    from tests.findings import factories as f

    stage = f.stage(world.cohort)
    f.interview(stage, f.instrument(world.organisation), enrolment=f.enrolment(world), consent=True,
                answers={"why_applied": "For job satisfaction.", "confidence": 4})
    f.theme(world.programme, "Job satisfaction")
    return {"stage_pk": stage.pk}


def _a_trainee_who_has_left(world):
    from tests.privacy.helpers import finish

    finish(world)  # only someone whose enrolments have ended may be erased
    return ""


def _a_competency_to_rate(world):
    from tests.access_entries.assessment import _competency

    _competency(world)  # in the trainee's role profile
    return ""


def _a_self_assessment_waiting(world):
    from tests.access_entries.assessment import _self_assessment

    _self_assessment(world)  # in the mentor's queue
    return ""


def _a_partner(world):
    from tests.delegation.factories import add_partner

    # Eastvale's accepted partnership on Acme's programme, its nurse's delegation to Acme's
    # trainee, Acme's mentor registered as a ward nurse: what the access entries' URLs point at.
    add_partner(world)
    return ""


def _a_trainee_without_a_login(world):
    from trainees import services

    trainee = services.trainee_create(
        organisation=world.organisation, actor=world.person(LEAD), first_name="Robin",
        last_name="Invited", employee_number="E2003", email="robin.invited@example.org",
    )
    return {"pk": trainee.pk}


TARGETS: list[Target] = [
    # Accounts and dashboards
    Target("login", "login", ANONYMOUS),
    Target("password_reset", "password_reset", ANONYMOUS),
    Target("password_change", "password_change", LEAD),
    Target("dashboards:switch", "dashboards:switch", LEAD),
    Target("dashboards:reminders", "dashboards:reminders", TRAINEE),
    Target("dashboards:reminders", "dashboards:reminders", MENTOR),
    Target("dashboards:due", "dashboards:due", MANAGER, method="get"),
    Target("dashboards:due", "dashboards:due", LEAD, method="get"),
    # Programmes
    Target("programmes:list", "programmes:list", LEAD, method="get"),
    Target("programmes:create", "programmes:create", LEAD),
    Target("programmes:edit", "programmes:edit", LEAD),
    Target("programmes:milestone_create", "programmes:milestone_create", LEAD),
    Target("programmes:milestone_edit", "programmes:milestone_edit", LEAD),
    Target("programmes:milestone_delete", "programmes:milestone_delete", LEAD),
    Target("programmes:cohort_create", "programmes:cohort_create", LEAD),
    Target("programmes:cohort_edit", "programmes:cohort_edit", LEAD),
    # Trainees and enrolments
    Target("trainees:cohort_detail", "trainees:cohort_detail", LEAD, method="get"),
    Target("trainees:enrol", "trainees:enrol", LEAD, setup=_an_unenrolled_trainee),
    Target("trainees:list", "trainees:list", LEAD, method="get"),
    Target("trainees:create", "trainees:create", LEAD),
    Target("trainees:edit", "trainees:edit", LEAD),
    Target("trainees:study_session_create", "trainees:enrolment_detail", LEAD),
    Target("trainees:study_session_create", "trainees:enrolment_detail", TRAINEE),
    Target("trainees:review_create", "trainees:enrolment_detail", MANAGER),
    Target("trainees:enrolment_transition", "trainees:enrolment_detail", LEAD),
    Target("trainees:contract_sign", "trainees:enrolment_detail", MANAGER),
    Target("trainees:contract_edit", "trainees:contract_edit", LEAD),
    Target("trainees:plan_edit", "trainees:plan_edit", LEAD),
    Target("trainees:study_time_by_ward", "trainees:study_time_by_ward", LEAD, method="get"),
    # Imports through the browser
    Target("enrolment_import:upload", "enrolment_import:upload", LEAD),
    Target("enrolment_import:confirm", "enrolment_import:preview", LEAD),
    Target("frameworks:import", "frameworks:import", LEAD),
    Target("frameworks:validity", "frameworks:validity", LEAD),
    Target("profiles:mapping_import", "profiles:mapping_import", LEAD),
    Target("findings:satisfaction_import", "findings:satisfaction_import", LEAD),
    # Role profiles, mappings, courses
    Target("profiles:role_profile_add", "profiles:role_profile_add", LEAD, method="get",
           setup=_a_framework),
    Target("profiles:role_profile_add", "profiles:role_profile_add", LEAD,
           setup=_a_framework_to_choose),
    Target("profiles:mappings", "profiles:mappings", LEAD, method="get", setup=_a_framework),
    Target("profiles:mappings", "profiles:mappings", LEAD, setup=_a_framework_to_choose),
    Target("profiles:role_profile_item_edit", "profiles:role_profile_item_edit", LEAD),
    Target("profiles:role_profile_item_remove", "profiles:role_profile_item_remove", LEAD),
    Target("profiles:mapping_remove", "profiles:mapping_remove", LEAD),
    Target("profiles:course_create", "profiles:course_create", LEAD),
    Target("profiles:course_edit", "profiles:course_edit", LEAD),
    # Evidence
    Target("evidence:list", "evidence:list", LEAD, method="get"),
    Target("evidence:create", "evidence:create", TRAINEE),
    Target("evidence:edit", "evidence:edit", TRAINEE),
    Target("evidence:sign_off", "evidence:detail", MENTOR),
    Target("evidence:return", "evidence:detail", MENTOR),
    Target("evidence:reply", "evidence:detail", MENTOR),
    Target("evidence:matrix", "evidence:matrix", LEAD, method="get"),
    Target("evidence:delegation", "evidence:delegation", LEAD, method="get"),
    # Self-assessment, the assessor's queue, reassessment, withdrawal and sign-off statements
    Target("assessment:self_assess", "assessment:self_assess", TRAINEE, setup=_a_competency_to_rate),
    Target("assessment:self_assessment", "assessment:self_assessment", MENTOR, hidden=("action", "confirm")),
    Target("assessment:self_assessment", "assessment:self_assessment", MENTOR,
           hidden=("action", "more_evidence")),
    Target("assessment:queue", "assessment:queue", MENTOR, setup=_a_self_assessment_waiting),
    Target("assessment:reassess", "assessment:reassess", MENTOR),
    Target("assessment:withdraw", "assessment:withdraw", MENTOR),
    Target("assessment:withdraw", "assessment:withdraw", LEAD),
    Target("assessment:policy", "assessment:policy", LEAD),
    # Interviews
    Target("interviews:instrument_edit", "interviews:instrument_edit", LEAD),
    Target("interviews:programme_plan", "interviews:programme_plan", LEAD),
    Target("interviews:stages_defaults", "interviews:cohort_stages", LEAD),
    Target("interviews:stage_create", "interviews:stage_create", LEAD),
    Target("interviews:stage_edit", "interviews:stage_edit", LEAD),
    Target("interviews:stage_open", "interviews:stage_detail", LEAD),
    Target("interviews:interview_record", "interviews:interview_record", LEAD),
    # Findings
    Target("findings:themes", "findings:themes", LEAD),
    Target("findings:coding", "findings:coding", LEAD, setup=_an_answer_to_code),
    Target("findings:theme_edit", "findings:theme_edit", LEAD),
    Target("findings:audit_tools", "findings:audit_tools", LEAD),
    Target("findings:audit_round_create", "findings:audit_round_create", LEAD),
    Target("findings:satisfaction", "findings:satisfaction", LEAD),
    # Case study
    Target("reports:case_study_edit", "reports:case_study_edit", LEAD),
    Target("reports:request_case_study", "reports:case_study_preview", LEAD),
    # Reports, exports and personal data
    Target("reports:export", "reports:export", LEAD),
    Target("reports:request_cohort_progress", "evidence:matrix", LEAD),
    Target("privacy:erase", "privacy:erase", LEAD, setup=_a_trainee_who_has_left),
    # People and invitations
    Target("people:invite", "people:invite", LEAD),
    Target("people:invite_trainee", "people:invite_trainee", LEAD, setup=_a_trainee_without_a_login),
    Target("people:role_give", "people:person", LEAD),
    Target("people:accept", "people:accept", ANONYMOUS),  # the emailed link, a fresh invitation
    # Partnerships, registered practitioners and delegation
    Target("delegation:programme_partnerships", "delegation:programme_partnerships", LEAD),
    Target("delegation:partnership_competencies", "delegation:partnership_competencies", LEAD,
           setup=_a_partner),
    Target("delegation:partnership_end", "delegation:partnership_detail", LEAD, setup=_a_partner),
    Target("delegation:partnership_end", "delegation:partnership_detail", PARTNER, setup=_a_partner),
    Target("delegation:registration_create", "delegation:registration_create", LEAD),
    Target("delegation:registration_edit", "delegation:registration_edit", LEAD, setup=_a_partner),
    Target("delegation:create", "delegation:create", MENTOR, setup=_a_partner),  # a ward nurse
    Target("delegation:contact_create", "delegation:detail", NURSE, setup=_a_partner),
    Target("delegation:end", "delegation:detail", LEAD, setup=_a_partner),
    Target("delegation:end", "delegation:detail", NURSE, setup=_a_partner),
    # Credentials
    Target("credentials:suspend", "credentials:suspend", LEAD),
    # Personal API tokens
    Target("api_tokens:list", "api_tokens:list", LEAD),
]
