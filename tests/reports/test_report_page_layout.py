"""The report pages put their back link where every other page does: above the main content,
so it comes before any success message and the heading."""

from __future__ import annotations

import pytest

from programmes.models import Role
from reports.models import ReportJob

pytestmark = pytest.mark.django_db


def _before_main(page: str, link: str) -> bool:
    return link in page and page.index(link) < page.index('<main class="nhsuk-main-wrapper"')


def test_the_case_study_page_leads_back_to_its_programme(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    page = client.get(f"/programmes/{world.programme.pk}/case-study/").content.decode()
    assert _before_main(
        page,
        f'<a class="nhsuk-back-link" href="/programmes/{world.programme.pk}/">'
        f"Back to {world.programme.title}</a>",
    )


def test_the_preview_and_job_pages_keep_their_back_links_above_the_content(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    preview = client.get(f"/programmes/{world.programme.pk}/case-study/preview/").content.decode()
    assert _before_main(preview, ">Back to editing</a>")
    job = ReportJob.objects.create(
        organisation=world.organisation, kind=ReportJob.Kind.CASE_STUDY, programme=world.programme,
        requested_by=world.person(Role.TRAINING_LEAD),
    )
    assert _before_main(client.get(f"/reports/{job.pk}/").content.decode(), ">Reports</a>")


def test_the_case_study_says_how_many_competencies_of_each_kind_the_role_needs(client_as, world):
    from competencies.models import RoleProfileItem

    from ..evidence.factories import make_competency, make_framework, make_profile

    framework = make_framework(short_name="Care Certificate")
    make_profile(world.programme, [
        (make_competency(framework), 1, RoleProfileItem.Kind.CORE),
        (make_competency(framework), 1, RoleProfileItem.Kind.CORE),
        (make_competency(framework), 1, RoleProfileItem.Kind.ROLE_SPECIFIC),
    ])
    preview = client_as(Role.TRAINING_LEAD).get(
        f"/programmes/{world.programme.pk}/case-study/preview/"
    ).content.decode()
    assert "The role needs 3 competencies: 2 core and 1 role-specific." in preview
