"""One access path to a stage, for pages, findings and the API alike, with core.access's one
rule: what the person cannot see is 404; what they see but may not use is 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from core.access import memberships_for
from evaluations.interviews.selectors import get_stage_for
from programmes.models import Role
from programmes.selectors import get_cohort_for

from ..api.conftest import client_with_token, token_for
from ..programmes.helpers import partner_organisation

pytestmark = pytest.mark.django_db


def _acting(user):
    return memberships_for(user)[0]


def test_a_partner_sees_the_cohort_but_is_refused_its_evaluation(world, midway):
    _, _, partner_lead = partner_organisation(world)
    partner = _acting(partner_lead)
    assert get_cohort_for(membership=partner, pk=world.cohort.pk) == world.cohort
    with pytest.raises(PermissionDenied):
        get_cohort_for(membership=partner, pk=world.cohort.pk, evaluation=True)
    with pytest.raises(PermissionDenied):
        get_stage_for(membership=partner, pk=midway.pk)


def test_an_outsider_cannot_tell_a_stage_exists(world, midway):
    with pytest.raises(Http404):
        get_stage_for(membership=_acting(world.outsider), pk=midway.pk)
    with pytest.raises(Http404):
        get_stage_for(membership=_acting(world.outsider), pk=midway.pk + 1000)


def test_a_planner_reads_a_stage_and_is_refused_changing_it(world, midway):
    planner = _acting(world.person(Role.PLANNER))
    assert get_stage_for(membership=planner, pk=midway.pk) == midway
    with pytest.raises(PermissionDenied):
        get_stage_for(membership=planner, pk=midway.pk, write=True)
    lead = _acting(world.person(Role.TRAINING_LEAD))
    assert get_stage_for(membership=lead, pk=midway.pk, write=True) == midway


def test_pages_and_api_give_a_partner_the_same_answer_for_a_stage(world, midway, client):
    _, _, partner_lead = partner_organisation(world)
    client.force_login(partner_lead)
    pages = [
        reverse("interviews:stage_detail", kwargs={"pk": midway.pk}),
        reverse("findings:stage_findings", kwargs={"stage_pk": midway.pk}),
        reverse("interviews:cohort_stages", kwargs={"cohort_pk": world.cohort.pk}),
    ]
    assert {url: client.get(url).status_code for url in pages} == {url: 403 for url in pages}
    api = client_with_token(token_for(partner_lead))
    assert api.get(f"/api/v1/stages/{midway.pk}/").status_code == 403
    assert api.post(f"/api/v1/stages/{midway.pk}/open/").status_code == 403
