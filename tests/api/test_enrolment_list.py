"""The API's list of enrolments: not narrowed, it is read by a statement compiled once
(trainees.selectors.enrolment_list) and its rows represented without DRF's serializer work per
row (api.serializers.rows); it must answer exactly as the serializer over the ORM's rows does
(the narrowed list, which still goes that way), for everyone, on every page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.serializers.rows import represent_rows
from api.serializers.trainees import ContractSignatureSerializer, EnrolmentSerializer
from core.access import memberships_for
from programmes.models import Role
from trainees import services
from trainees.models import Enrolment
from trainees.selectors import enrolment_list, with_signature_count, with_study_hours

from ..trainees.helpers import add_history, add_trainee

pytestmark = pytest.mark.django_db


def _grow(world, n: int) -> None:
    manager = world.person(Role.MANAGER)
    for i in range(n):
        # Some names the same, so the pk decides between them as it does in the list's order.
        _, enrolment = add_trainee(
            world, first_name=f"Pat{i % 2}", last_name="Same" if i % 3 else f"Z{i}", employee_number=f"L{i:03d}",
            line_manager=manager if i % 2 else None,
        )
        if i % 2:
            add_history(world, enrolment, sessions=i % 4, reviews=0)
    services.contract_sign(contract=world.enrolment.contract, party="manager", user=manager,
                           allowed_parties={"manager"})


def _without_q(link: str | None) -> str | None:
    return link and link.replace("&q=", "").replace("?q=&", "?").replace("?q=", "")


@pytest.mark.parametrize("role", [*Role.values, "outsider"])
def test_the_list_is_the_serializer_s_over_the_orm_s_rows_on_every_page(world, api_as, role):
    _grow(world, 7)
    api = api_as(role)
    for query in ("", "?page=2&page_size=3", "?page=last&page_size=3", "?page_size=100"):
        fast = api.get(f"/api/v1/enrolments/{query}")
        # An empty name filter narrows nothing, and sends the list through the ORM and DRF.
        orm = api.get(f"/api/v1/enrolments/{query}{'&' if query else '?'}q=")
        assert fast.status_code == orm.status_code  # 404 past the end (a trainee's second page)
        if fast.status_code == 404:
            continue
        fast, orm = fast.json(), orm.json()
        assert fast["results"] == orm["results"] and fast["count"] == orm["count"]
        assert [list(row) for row in fast["results"]] == [list(row) for row in orm["results"]]  # in order
        assert (fast["next"], fast["previous"]) == (_without_q(orm["next"]), _without_q(orm["previous"]))
    for query in ("?page=99", "?page=0", "?page=x"):
        assert api.get(f"/api/v1/enrolments/{query}").status_code == 404


def test_the_list_shows_figures_and_keeps_its_queries(world, api_as):
    _grow(world, 4)
    api = api_as(Role.TRAINING_LEAD)
    api.get("/api/v1/enrolments/")
    with CaptureQueriesContext(connection) as queries:
        listed = api.get("/api/v1/enrolments/").json()
    # The token, the visible cohort ids, the page with its count.
    assert len(queries) == 3
    shown = {row["id"]: row for row in listed["results"]}
    assert shown[world.enrolment.pk]["signature_count"] == 1
    assert any(row["hours_taken"] == "7.0" and row["hours_lost"] == "3.5" for row in shown.values())
    assert listed["count"] == Enrolment.objects.filter(trainee__organisation=world.organisation).count()


def test_rows_are_represented_as_the_serializer_represents_instances(world):
    _grow(world, 4)

    rows = enrolment_list(membership=memberships_for(world.person(Role.TRAINING_LEAD))[0]).read(0, 100)
    instances = with_signature_count(with_study_hours(Enrolment.objects.filter(pk__in=[r["id"] for r in rows])))
    by_pk = {e.pk: e for e in instances}
    represented = represent_rows(EnrolmentSerializer, rows)
    expected = [EnrolmentSerializer(by_pk[row["id"]]).data for row in rows]
    assert len(rows) > 4 and represented == expected
    assert [list(row) for row in represented] == [list(row) for row in expected]


def test_a_serializer_whose_fields_are_not_columns_of_a_row_is_refused():
    with pytest.raises(TypeError, match="enrolment_id"):  # source contract.enrolment_id
        represent_rows(ContractSignatureSerializer, [])
