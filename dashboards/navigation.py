"""The header menu: what each role may do, in the order they do it.

A feature adds its entry here with the roles that may use it; the access table in
tests/access_table.py must agree (a menu link that answers 403 is a bug).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from programmes.models import Role

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    # Roles whose menu starts with this item (after Home): what they come to Ladder to do.
    first_for: frozenset[str] = frozenset()


LEAD, MANAGER, MENTOR = Role.TRAINING_LEAD, Role.MANAGER, Role.MENTOR
LECTURER, PLANNER, TRAINEE = Role.LECTURER, Role.PLANNER, Role.TRAINEE


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


# Each role sees only what it uses (issue 16): a planner reads and exports, so Reports comes
# first and interviews, evidence and delegation are not offered; a trainee has no use for the
# framework catalogue; managers, mentors and lecturers reach trainees through their own lists.
MENU: tuple[NavItem, ...] = (
    NavItem("Home", "dashboards:home", ALL_ROLES),
    NavItem("Reports", "reports:list", _roles(LEAD, PLANNER), first_for=_roles(PLANNER)),
    NavItem("Programmes", "programmes:list", _roles(LEAD, PLANNER, LECTURER)),
    NavItem("Your trainees", "trainees:my_trainees", _roles(MANAGER)),
    NavItem("Your mentees", "trainees:my_mentees", _roles(MENTOR)),
    NavItem("Your record", "trainees:my_record", _roles(TRAINEE)),
    NavItem("Trainees", "trainees:list", _roles(LEAD, PLANNER)),
    # Managers log study time (the ward week, one save); leads and planners read where it goes.
    NavItem("Study time", "trainees:study_week", _roles(MANAGER)),
    NavItem("Study time", "trainees:study_time_by_ward", _roles(LEAD, PLANNER)),
    NavItem("Interviews", "interviews:my_interviews", _roles(LEAD, MANAGER)),
    NavItem("Your portfolio", "evidence:my_portfolio", _roles(TRAINEE)),
    NavItem("Evidence", "evidence:list", _roles(LEAD, MANAGER, MENTOR, TRAINEE)),
    # One entry for delegation: the delegated-tasks page leads on to readiness (who is signed
    # off for each task), what each worker may be delegated and assessing for partners.
    NavItem("Delegated tasks", "delegation:list", _roles(LEAD, MANAGER, MENTOR, TRAINEE)),
    NavItem("Partnerships", "delegation:partnerships", _roles(LEAD)),
    NavItem("Frameworks", "frameworks:list", _roles(LEAD, PLANNER, MENTOR, LECTURER)),
    NavItem("Courses", "profiles:courses", _roles(LEAD, PLANNER)),
    NavItem("Audit tools", "findings:audit_tools", _roles(LEAD)),
    NavItem("People", "programmes:people", _roles(LEAD, PLANNER)),
)


def items_for(role: str) -> list[NavItem]:
    """The role's menu, in order: Home, then what the role leads with, then the rest."""
    mine = [item for item in MENU if role in item.roles]
    return mine[:1] + [i for i in mine[1:] if role in i.first_for] + [
        i for i in mine[1:] if role not in i.first_for
    ]


def menu_for(role: str, current_path: str) -> list[dict]:
    items = []
    for item in items_for(role):
        url = reverse(item.url_name)
        current = current_path == url or (url != "/" and current_path.startswith(url))
        items.append({"label": item.label, "url": url, "current": current})
    return items


# The account page offers API tokens to the roles that use the API: those who read across
# the organisation and feed other systems.
API_TOKEN_ROLES = _roles(LEAD, PLANNER)
