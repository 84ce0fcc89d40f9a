"""What every whole journey does at each step: a screenshot, and axe on the page as it stands."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..conftest import PASSWORD
from .axe import assert_accessible


@dataclass
class Journey:
    page: object
    live_server: object
    screenshot: Callable
    steps: list[str] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return f"{self.live_server.url}{path}"

    def step(self, name: str) -> None:
        """Screenshot the page, then check it with axe (a failure names the step's page)."""
        self.steps.append(name)
        self.screenshot(self.page, name)
        assert_accessible(self.page)

    def log_in(self, username: str) -> None:
        page = self.page
        page.goto(self.url("/"))
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()

    def log_out(self) -> None:
        self.page.get_by_role("button", name="Log out").click()

    def menu(self, label: str) -> None:
        """Follow a link of the header menu by its visible name."""
        self.page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name=label, exact=True
        ).click()

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()


def choose_files(page, label: str, files) -> None:
    """Choose files as a person does: the NHS.UK file upload's button (named by its label)
    opens the browser's file chooser. files: paths, or Playwright file payload dicts."""
    button = page.get_by_role("button", name=re.compile(f"^{re.escape(label)}"))
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(files)


def fill_date(scope, legend: str, value: date) -> None:
    """Fill the day, month and year boxes of the NHS.UK date input named by its legend."""
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))
