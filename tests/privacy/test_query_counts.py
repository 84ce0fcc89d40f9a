"""Gathering a person's record, and erasing it, costs the same number of queries whether they
have one of everything or six (pinned at both sizes)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from privacy import services
from privacy.selectors import subject_access_record
from programmes.models import Role

from .helpers import finish, rich_record

pytestmark = pytest.mark.django_db

# The trainee; their login; memberships; enrolments (with cohort and programme); status
# history; contracts; signatures; study sessions; reviews; evidence; claims (with competency
# and framework); files; comments; self-assessments; competence decisions; interviews (with
# stage and instrument); answers (with
# question); codings (with theme); report jobs; privacy events; the drafts by and about them;
# three kinds of login records; the audit trail of their records; the changes they made; the
# other people named.
RECORD_QUERIES = 27
# Locking the trainee and the checks (3); the record, as above, and the login (28); full_clean
# and save of the trainee and the login (11); memberships and login records (4); one UPDATE per
# kind of row (self-assessments and competence decisions included), and the evidence files,
# report files and earlier exports (16); the audit trail's
# bulk update (one per 500 entries) and actor emails (2); the erasure's own audit entry and
# event, with their checks (9); revoking their credentials and erasing their copies, in a
# savepoint (4); the drafts by and about them (1); the login's password taken away, so its
# stored hash read and the person's API tokens revoked (api.receivers: 2).
ERASE_QUERIES = 80


@pytest.mark.parametrize("size", [1, 6])
def test_the_record_is_gathered_in_a_fixed_number_of_queries(world, size):
    rich_record(world, size=size)
    subject_access_record(trainee=world.trainee)  # content types are cached after the first use
    with CaptureQueriesContext(connection) as ctx:
        record = subject_access_record(trainee=world.trainee)
    assert record.count("evidence") == size and record.count("interviews") == size
    assert record.count("study_sessions") == 2 * size
    assert len(ctx.captured_queries) == RECORD_QUERIES, "\n".join(q["sql"][:120] for q in ctx.captured_queries)


@pytest.mark.parametrize("size", [1, 6])
def test_erasure_costs_the_same_whatever_the_size_of_the_record(world, size, django_capture_on_commit_callbacks):
    rich_record(world, size=size)
    finish(world)
    subject_access_record(trainee=world.trainee)
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        services.trainee_erase(trainee=world.trainee, actor=world.person(Role.TRAINING_LEAD))
    assert len(ctx.captured_queries) == ERASE_QUERIES, "\n".join(q["sql"][:120] for q in ctx.captured_queries)


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_personal_data_page_costs_the_same_with_1_or_8_exports(world, client_as):
    from django.urls import reverse

    from privacy.models import PrivacyEvent

    def add_exports(n):
        for _ in range(n):
            PrivacyEvent.objects.create(
                organisation=world.organisation, trainee=world.trainee, kind=PrivacyEvent.Kind.EXPORT,
                actor=world.person(Role.TRAINING_LEAD), file_name="export.zip",
            )

    client = client_as(Role.TRAINING_LEAD)
    url = reverse("privacy:personal_data", kwargs={"pk": world.trainee.pk})
    add_exports(1)
    client.get(url)
    at_1 = _page_queries(client, url)
    add_exports(7)
    assert _page_queries(client, url) == at_1 == PAGE_QUERIES


# The session, the user and their memberships (the request's own: 3); the trainee; the events
# with who made them; the open enrolments; earlier erasures or pending exports.
PAGE_QUERIES = 7
