"""The cohort page leads back to its programme, for those who may see programme pages."""

from __future__ import annotations

import pytest

from programmes.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER, Role.LECTURER])
def test_the_cohort_page_links_back_to_its_programme(client_as, world, role):
    page = client_as(role).get(f"/cohorts/{world.cohort.pk}/").content.decode()
    assert (
        f'<a class="nhsuk-back-link" href="/programmes/{world.programme.pk}/">'
        f"Back to {world.programme.title}</a>"
    ) in page


def test_a_trainee_is_not_sent_to_a_programme_page_they_may_not_see(client_as, world):
    page = client_as(Role.TRAINEE).get(f"/cohorts/{world.cohort.pk}/").content.decode()
    assert f"/programmes/{world.programme.pk}/" not in page
