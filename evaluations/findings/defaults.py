"""What Ladder offers ready-made: a programme's starting code list and the physical healthcare
assessment audit. Both come from the inpatient assistant practitioner account (shared/domain
003): what trainees and managers said in their interviews, and the audits the trust held at
key stages of the foundation degree."""

from __future__ import annotations

# (name, description): the themes the trainee and manager findings of account 003 fall into.
DEFAULT_THEMES: tuple[tuple[str, str], ...] = (
    ("Job satisfaction", "The role as a source of job satisfaction."),
    ("Career progression", "A stepping stone to nurse training; an incentive to progress."),
    ("Remuneration", "Pay: some gain financially, others take a pay cut."),
    ("Clarity of responsibility", "Where professional responsibility and accountability rest."),
    ("Protected study time", "Whether protected study time is allocated, taken and covered."),
    ("Supporting registered staff", "The role supporting registered nurses and colleagues."),
    ("Staffing balance", "Keeping the right balance of staffing while the role is introduced."),
)

PHYSICAL_HEALTH_AUDIT_NAME = "Physical healthcare assessment audit"
PHYSICAL_HEALTH_AUDIT_DESCRIPTION = (
    "Care records sampled on each ward at key stages of the programme, to see whether service "
    "users' physical health needs are assessed and acted on."
)
PHYSICAL_HEALTH_AUDIT_CRITERIA: tuple[str, ...] = (
    "Observations recorded",
    "Early warning score calculated",
    "Escalation documented",
    "Physical health care plan in place",
)
