"""Every form, driven with hostile input through its real URL: never a 500, never markup.

The answer, and after a redirect the page it led to (where the saved input shows), must not
contain the payloads' markup unescaped; a re-shown form marks each wrong field with a message.
Each example runs in a savepoint that is rolled back, so examples do not pile up data.
"""

from __future__ import annotations

import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from .driver import check_submission, find_form, login, resume, signed_in_session, submissions
from .targets import TARGETS

# Ten examples a form keeps the suite near two minutes on a shared machine; set
# LADDER_FUZZ_EXAMPLES higher for a deeper run.
FUZZ = settings(
    max_examples=int(os.environ.get("LADDER_FUZZ_EXAMPLES", 10)), deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_hostile_input_never_breaks_a_form(target, world, client):
    login(client, world, target.role)
    _, action, form = find_form(client, world, target)
    session = signed_in_session(client)

    @FUZZ
    @given(data=submissions(form))
    def send(data):
        with transaction.atomic():
            resume(client, target.role, session)
            check_submission(client, method=target.method, action=action, data=data)
            transaction.set_rollback(True)

    send()
