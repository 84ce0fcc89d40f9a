"""Who may use the partnership, partner assessment and delegation pages (delegation app).

The partner persona is Eastvale's training lead (tests/delegation/factories.add_partner): its
organisation accepted a partnership on Acme's programme and its district nurse delegated a
task to Acme's trainee. Pages a registered practitioner of the partner uses are tried as that
nurse in tests/delegation/test_delegations.py and test_partner_return.py.
"""

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Entry, only

NOT_LECTURER = {Role.LECTURER: FORBIDDEN}


def _partnership(world):
    return {"pk": world.partnership.pk}


def _programme(world):
    return {"pk": world.programme.pk}


def _evidence(world):
    return {"pk": world.partner_evidence.pk}


def _delegation(world):
    return {"pk": world.delegation.pk}


LEAD_ONLY = {Role.TRAINING_LEAD: OK}


def _registration(world):
    return {"pk": world.ward_nurse_membership.practitioner_registration.pk}

ENTRIES: dict[str, Entry] = {
    # A training lead's own organisation's partnerships, either side.
    "delegation:partnerships": only(Role.TRAINING_LEAD, partner=OK),
    "delegation:partnership_detail": only(
        Role.TRAINING_LEAD, outsider=NOT_FOUND, partner=OK, kwargs=_partnership
    ),
    # Only the organisation asked answers: the lead side is refused, the partner's GET is 405.
    "delegation:partnership_accept": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND, partner=NOT_ALLOWED,
        kwargs=_partnership,
    ),
    "delegation:partnership_decline": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND, partner=NOT_ALLOWED,
        kwargs=_partnership,
    ),
    # Either side ends it.
    "delegation:partnership_end": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND, partner=NOT_ALLOWED,
        roles={Role.TRAINING_LEAD: NOT_ALLOWED}, kwargs=_partnership,
    ),
    # Only the lead organisation names what the partner may assess.
    "delegation:partnership_competencies": only(
        Role.TRAINING_LEAD, outsider=NOT_FOUND, partner=FORBIDDEN, kwargs=_partnership
    ),
    "delegation:programme_partnerships": only(
        Role.TRAINING_LEAD, outsider=NOT_FOUND, partner=FORBIDDEN, kwargs=_programme
    ),
    # A training lead records their own staff's registrations: the lists are their own
    # organisation's (the outsider and the partner see theirs); Acme's records are Acme's.
    "delegation:registrations": only(Role.TRAINING_LEAD, partner=OK),
    "delegation:registration_create": only(Role.TRAINING_LEAD, partner=OK),
    "delegation:registration_edit": only(
        Role.TRAINING_LEAD, outsider=NOT_FOUND, partner=NOT_FOUND, kwargs=_registration
    ),
    # Practitioners' pages; Acme's mentor is a registered (ward) nurse, its manager is not.
    "delegation:assessments": only(Role.MENTOR, Role.MANAGER),
    # Acme's evidence is not "a partner's" to Acme's own people: 404 even for the registered.
    "delegation:assessment_detail": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=FORBIDDEN,
        roles={Role.MENTOR: NOT_FOUND, Role.MANAGER: NOT_FOUND}, kwargs=_evidence,
    ),
    "delegation:assessment_return": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=FORBIDDEN,
        roles={Role.MENTOR: NOT_FOUND, Role.MANAGER: NOT_FOUND}, kwargs=_evidence,
    ),
    "delegation:list": Entry(
        anonymous=REDIRECT, members=OK, outsider=OK, partner=OK, roles=NOT_LECTURER
    ),
    "delegation:create": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=FORBIDDEN, roles={Role.MENTOR: OK}
    ),
    "delegation:workers": only(Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER, partner=OK),
    # Both organisations see the delegation; the worker, their manager and mentor too.
    "delegation:detail": Entry(
        anonymous=REDIRECT, members=OK, outsider=NOT_FOUND, partner=OK, roles=NOT_LECTURER,
        kwargs=_delegation,
    ),
    "delegation:acknowledge": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND, partner=FORBIDDEN,
        roles={Role.TRAINEE: NOT_ALLOWED}, kwargs=_delegation,
    ),
    "delegation:end": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND, partner=NOT_ALLOWED,
        roles={Role.TRAINING_LEAD: NOT_ALLOWED}, kwargs=_delegation,
    ),
    "delegation:contact_create": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND, partner=FORBIDDEN,
        kwargs=_delegation,
    ),
}


# What the accepted partner's training lead gets on Acme's pages (where it differs from the
# outsider's 404): the programme, its cohorts, role profile, gap analysis and progress matrix
# are read (the matrix lists only the partner's own people: none); every page that changes
# Acme's records, and Acme's evaluation findings, audits and case study, is refused (403)
# now that the partner may know the programme exists.
_READS = (
    "programmes:detail", "trainees:cohort_detail", "profiles:role_profile", "profiles:gap_analysis",
    "evidence:matrix", "api:organisation-detail", "api:programme-detail", "api:milestone-detail",
    "api:cohort-detail", "api:role-profile-item-detail",
)
_REFUSED = (
    "programmes:edit", "programmes:milestone_create", "programmes:milestone_edit",
    "programmes:milestone_delete", "programmes:cohort_create", "programmes:cohort_edit",
    "trainees:enrol", "enrolment_import:upload", "enrolment_import:example",
    "profiles:role_profile_add", "profiles:role_profile_item_edit", "profiles:role_profile_item_remove",
    "findings:themes", "findings:theme_edit", "findings:theme_delete", "findings:coding",
    "findings:stage_findings", "findings:cohort_findings", "findings:audit_round_create",
    "findings:programme_audits", "findings:satisfaction", "findings:satisfaction_import",
    "findings:instrument_export", "reports:case_study_edit", "reports:case_study_preview",
    # Acme's evaluation plan and stages: core.access's one rule, a visible programme that is not
    # the partner's to evaluate (tests/interviews/test_one_access_path.py).
    "interviews:programme_plan", "interviews:cohort_stages", "interviews:stage_create",
    "interviews:stage_detail", "interviews:stage_edit", "api:stage-detail",
)
PARTNER_SEES: dict[str, int] = {
    **{name: OK for name in _READS}, **{name: FORBIDDEN for name in _REFUSED},
}
