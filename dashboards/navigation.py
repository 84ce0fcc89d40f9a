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


MENU: tuple[NavItem, ...] = (
    NavItem("Home", "dashboards:home", ALL_ROLES),
    NavItem("Programmes", "programmes:list", ALL_ROLES - {Role.TRAINEE}),
    NavItem("Your trainees", "trainees:my_trainees", frozenset({Role.MANAGER})),
    NavItem("Your mentees", "trainees:my_mentees", frozenset({Role.MENTOR})),
    NavItem("Your record", "trainees:my_record", frozenset({Role.TRAINEE})),
    NavItem("Trainees", "trainees:list", ALL_ROLES - {Role.TRAINEE}),
    NavItem("Study time", "trainees:study_time_by_ward",
            frozenset({Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER})),
    NavItem("Interviews", "interviews:my_interviews",
            frozenset({Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER})),
    NavItem("Your portfolio", "evidence:my_portfolio", frozenset({Role.TRAINEE})),
    NavItem("Evidence", "evidence:list", ALL_ROLES),
    NavItem("Delegation", "evidence:delegation", ALL_ROLES - {Role.TRAINEE}),
    NavItem("Delegated tasks", "delegation:list", ALL_ROLES - {Role.LECTURER}),
    NavItem("Partnerships", "delegation:partnerships", frozenset({Role.TRAINING_LEAD})),
    NavItem("Frameworks", "frameworks:list", ALL_ROLES),
    NavItem("Courses", "profiles:courses", frozenset({Role.TRAINING_LEAD, Role.PLANNER})),
    NavItem("Audit tools", "findings:audit_tools", frozenset({Role.TRAINING_LEAD})),
    NavItem("Reports", "reports:list", frozenset({Role.TRAINING_LEAD, Role.PLANNER})),
    NavItem("People", "programmes:people", frozenset({Role.TRAINING_LEAD, Role.PLANNER})),
)


def menu_for(role: str, current_path: str) -> list[dict]:
    items = []
    for item in MENU:
        if role not in item.roles:
            continue
        url = reverse(item.url_name)
        current = current_path == url or (url != "/" and current_path.startswith(url))
        items.append({"label": item.label, "url": url, "current": current})
    return items
