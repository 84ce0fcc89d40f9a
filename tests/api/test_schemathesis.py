"""schemathesis against the API's own OpenAPI schema, in-process (the WSGI app), with a token
of each of the six roles: no 5xx, every response as the schema documents it (status code,
content type, body), and every operation refused (401) without a token.

Examples per operation are bounded (MAX_EXAMPLES, or LADDER_API_FUZZ_EXAMPLES for a deeper run)
so the whole run stays within about two minutes."""

from __future__ import annotations

import json
import os
import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from programmes.models import Role

from ..access_entries.api import OBJECTS
from .conftest import token_for

MAX_EXAMPLES = int(os.environ.get("LADDER_API_FUZZ_EXAMPLES", 2))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# URL collection name -> the builder of one of Acme's objects there.
_OBJECTS_BY_PATH = {
    (
        "evidence" if name == "evidence" else "competencies" if name == "competency" else f"{name}s"
    ): build
    for name, build in OBJECTS.items()
}


def _schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def requests_keep_the_test_transaction():
    # The WSGI handler closes "old" database connections around each request; inside a test's
    # transaction that would close it. Django's test client does the same as this.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def generous_throttles(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": "100000/min", "api_user": "100000/min"},
    }


def _run(operation, headers: dict, real_ids: dict, calls: list) -> None:
    """Generate cases for one operation; send each without a token, then with each role's."""
    real_id = real_ids.get(operation.path.split("/{id}")[0])

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # report a failure as found, unshrunk
        suppress_health_check=list(HealthCheck),
    )
    def each_role_gets_a_documented_answer(case):
        refused = case.call()
        assert refused.status_code == 401, (operation.label, refused.status_code)
        for role_headers in headers.values():
            case.call_and_validate(headers=role_headers, checks=CHECKS)
        calls.append(1 + len(headers))
        if real_id is not None and "id" in (case.path_parameters or {}):
            case.path_parameters = {**case.path_parameters, "id": real_id}
            for role_headers in headers.values():
                case.call_and_validate(headers=role_headers, checks=CHECKS)
            calls.append(len(headers))

    each_role_gets_a_documented_answer()


def test_every_operation_conforms_to_the_schema_for_every_role(
    world, requests_keep_the_test_transaction, generous_throttles
):
    schema = _schema()
    headers = {
        role: {"Authorization": f"Bearer {token_for(world.person(role))}"} for role in Role.values
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 50
    # Random ids mostly miss; each case on an object's URL is also sent to a real one of Acme's,
    # so the random bodies meet real records (and their 400s and 403s).
    real_ids = {f"/api/v1/{name}": build(world).pk for name, build in _OBJECTS_BY_PATH.items()}
    started, calls = time.monotonic(), []
    for operation in operations:
        _run(operation, headers, real_ids, calls)
    took = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations, {sum(calls)} calls, {took:.0f} s")
