"""The pages the benchmark times: one line each, (label, URL, role). A URL is a URL name
(reversed with the pk of the seeded object named in ``arg``) or a literal path; a URL that does
not resolve is reported as "n/a" rather than failing, so a row can be added before its page
exists."""

from __future__ import annotations

from dataclasses import dataclass

from programmes.models import Role


@dataclass(frozen=True)
class Page:
    label: str
    url: str  # "namespace:name" or "/a/literal/path/"
    role: str
    arg: str | None = None  # an attribute of bench.seed.Seeded whose pk goes in the URL


PAGES: tuple[Page, ...] = (
    Page("Dashboard: training lead", "dashboards:home", Role.TRAINING_LEAD),
    Page("Dashboard: line manager", "dashboards:home", Role.MANAGER),
    Page("Dashboard: mentor", "dashboards:home", Role.MENTOR),
    Page("Dashboard: lecturer", "dashboards:home", Role.LECTURER),
    Page("Dashboard: planner", "dashboards:home", Role.PLANNER),
    Page("Dashboard: trainee", "dashboards:home", Role.TRAINEE),
    Page("Cohort page", "trainees:cohort_detail", Role.TRAINING_LEAD, arg="featured_cohort"),
    Page("Progress matrix", "evidence:matrix", Role.TRAINING_LEAD, arg="featured_cohort"),
    Page("Findings page", "findings:cohort_findings", Role.TRAINING_LEAD, arg="featured_cohort"),
    Page("API list: enrolments", "/api/v1/enrolments/", Role.TRAINING_LEAD),
)
