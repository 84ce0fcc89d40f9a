"""The standard cast, set up through the same services the app uses.

``world`` has one organisation ("Acme") with a person in every role, and an outsider: the
training lead of another organisation ("Other"), the most powerful role there, who must be
refused everything of Acme's.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.test import override_settings

from config.celery import app as celery_app
from programmes import services
from programmes.models import Organisation, Role
from trainees import services as trainee_services

PASSWORD = "correct-horse-battery"  # noqa: S105

# Each test run has its own Celery queue on the shared Redis, so a worker started by one run
# (another developer's, or a previous run that died) never takes another run's jobs.
celery_app.conf.task_default_queue = f"ladder-test-{uuid.uuid4().hex[:12]}"


# After each transactional test (live server, Celery worker, threads) Django empties every
# table with one TRUNCATE of all 74, then runs post_migrate to make the content types and
# permissions again. On PostgreSQL a TRUNCATE makes a new file for every table, and that took
# 3-4 s a test on the loaded 2-core machine; DELETE of the few rows a test made takes 0.1 s.
# Same end state: every table empty, in one transaction (Django's foreign keys are DEFERRABLE
# INITIALLY DEFERRED, so the order does not matter). The content types and permissions, which
# only describe the models, are kept rather than deleted and made again; post_migrate still
# runs and finds them in place. Sequences are reset (TRUNCATE) only when a test asks for it.
_KEPT_ON_FLUSH = frozenset({"django_content_type", "auth_permission"})
_truncating_flush = PostgresOperations.sql_flush


def _flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences:
        return _truncating_flush(self, style, tables, reset_sequences=True, allow_cascade=allow_cascade)
    return [
        f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')} {style.SQL_FIELD(self.quote_name(table))};"
        for table in tables
        if table not in _KEPT_ON_FLUSH
    ]


PostgresOperations.sql_flush = _flush_by_delete


@pytest.fixture(autouse=True)
def _celery_consumes_the_runs_own_queue():
    # start_worker(queues=[...]) narrows the app's consumed queues for good; put them back so
    # the next test's worker listens on this run's queue again.
    yield
    celery_app.amqp.queues._consume_from = None


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    # Uploads and reports made by tests never land in var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fast_password_hashing():
    return override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; the tests create many people. tests/test_settings.py checks
    # that the real configuration uses Argon2.
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@dataclass
class World:
    organisation: Organisation
    other_organisation: Organisation
    people: dict[str, object] = field(default_factory=dict)  # role -> User
    outsider: object = None
    # Acme's records: a programme with a milestone, a cohort the lecturer teaches, and a
    # trainee (the trainee user's own record, managed by the manager, mentored by the mentor)
    # actively enrolled on it.
    ward: object = None
    programme: object = None
    milestone: object = None
    cohort: object = None
    trainee: object = None
    enrolment: object = None
    # The outsider's organisation has its own programme, cohort, trainee and enrolment.
    other_programme: object = None
    other_cohort: object = None
    other_trainee: object = None
    other_enrolment: object = None

    def person(self, role: str):
        return self.people[role]


def make_person(organisation: Organisation, role: str, username: str):
    user = services.person_ensure(
        username=username,
        first_name=role.replace("_", " ").title(),
        last_name=organisation.name.split()[0],
        email=f"{username}@example.org",
        password=PASSWORD,
    )
    services.membership_grant(user=user, organisation=organisation, role=role)
    return user


# Test modules in which a test commits (a live server, a Celery worker, threads): their tests
# make the cast afresh, since a transaction held open around the module would hide it from them.
_TRANSACTIONAL_FIXTURES = frozenset(
    {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)
_modules_that_commit: set[str] = set()


def _commits(item) -> bool:
    if _TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(
        (marker.args and marker.args[0]) or marker.kwargs.get("transaction")
        or marker.kwargs.get("reset_sequences") or marker.kwargs.get("serialized_rollback")
    )


def pytest_collection_modifyitems(items):
    _modules_that_commit.update(item.module.__name__ for item in items if _commits(item))


@pytest.fixture
def world(module_world, db) -> World:
    """The standard cast, as each test finds it: made once per module and deep-copied for each
    test (as Django's setUpTestData does), each test in its own savepoint, so what one test
    writes or changes is undone before the next. Where a test commits, made afresh."""
    if module_world is None:
        return build_world()
    return copy.deepcopy(module_world)


@pytest.fixture(scope="module")
def module_world(request, django_db_setup, django_db_blocker):
    """The standard cast made once for a module, in a transaction held open around the module's
    tests and rolled back after the last; None in a module where a test commits.

    Each test still runs in its own savepoint inside it (the ``db`` fixture). A module that
    adds to it once does so under ``django_db_blocker.unblock()`` and
    ``fast_password_hashing()`` (tests/test_access.py)."""
    if request.module.__name__ in _modules_that_commit:
        yield None
        return
    with django_db_blocker.unblock(), transaction.atomic():
        with fast_password_hashing():  # the autouse fixture is per test, not active yet
            world = build_world()
        yield world
        transaction.set_rollback(True)


def build_world() -> World:
    acme = services.organisation_ensure(
        slug="acme", name="Acme Mental Health NHS Trust", kind=Organisation.Kind.NHS_TRUST
    )
    other = services.organisation_ensure(
        slug="other", name="Other Health Board", kind=Organisation.Kind.HEALTH_BOARD
    )
    world = World(organisation=acme, other_organisation=other)
    for role in Role.values:
        world.people[role] = make_person(acme, role, f"{role}.acme")
    world.outsider = make_person(other, Role.TRAINING_LEAD, "lead.other")
    _add_records(world)
    return world


def _add_records(world: World) -> None:
    lead = world.person(Role.TRAINING_LEAD)
    world.ward = services.clinical_area_ensure(organisation=world.organisation, name="Larch Ward")
    world.programme = services.programme_create(
        organisation=world.organisation, title="Inpatient assistant practitioner",
        setting="Inpatient mental health", clinical_areas=[world.ward],
        intended_benefits=["Improve service users' access to physical healthcare"],
    )
    world.milestone = services.milestone_create(
        programme=world.programme, title="Project team formed", due_on=date(2026, 1, 15)
    )
    world.cohort = services.cohort_create(
        programme=world.programme, name="Cohort 1", starts_on=date(2026, 1, 5),
        ends_on=date(2027, 12, 17), lecturers=[world.person(Role.LECTURER)],
    )
    world.trainee = trainee_services.trainee_create(
        organisation=world.organisation, actor=lead, first_name="Sam", last_name="Trainee",
        employee_number="E1001", band="3", job_title="Senior HCSW", clinical_area=world.ward,
        line_manager=world.person(Role.MANAGER), mentor=world.person(Role.MENTOR),
        user=world.person(Role.TRAINEE),
    )
    world.enrolment = trainee_services.enrolment_create(
        trainee=world.trainee, cohort=world.cohort, actor=lead, enrolled_on=date(2026, 1, 5),
        status="active",
    )
    world.other_programme = services.programme_create(
        organisation=world.other_organisation, title="Generic clinical HCSW"
    )
    world.other_cohort = services.cohort_create(
        programme=world.other_programme, name="Pilot", starts_on=date(2026, 2, 2),
        ends_on=date(2027, 2, 1),
    )
    world.other_trainee = trainee_services.trainee_create(
        organisation=world.other_organisation, actor=world.outsider, first_name="Alex",
        last_name="Elsewhere", employee_number="E1001",
    )
    world.other_enrolment = trainee_services.enrolment_create(
        trainee=world.other_trainee, cohort=world.other_cohort, actor=world.outsider,
        enrolled_on=date(2026, 2, 2), status="active",
    )


@pytest.fixture
def fragments_cached(settings):
    """The "fragments" cache on (a local memory one): the suite runs with it off, as its tests
    roll back and the data version (core/data_version.py) moves only at commit."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-fragments"},
    }


@contextmanager
def cache_of_its_own(settings) -> Iterator[str]:
    """The default cache under a key prefix of its own, so it starts empty; on leaving, only
    the keys under that prefix are deleted and the prefix before is back. Never cache.clear():
    on Redis it is a FLUSHDB of the database that is also the Celery broker (a running worker's
    queue). Yields the prefix."""
    before = settings.CACHES
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {**before, "default": {**before["default"], "KEY_PREFIX": prefix}}
    try:
        yield prefix
    finally:
        default = caches["default"]
        if isinstance(default, RedisCache):  # a local memory cache goes with the process
            client = default._cache.get_client(write=True)
            if keys := list(client.scan_iter(match=f"{prefix}:*")):
                client.delete(*keys)
        settings.CACHES = before


@pytest.fixture
def own_cache(settings) -> Iterator[str]:
    """The test's cache_of_its_own: what another test cached is not seen, and nothing is left."""
    with cache_of_its_own(settings) as prefix:
        yield prefix


@pytest.fixture
def client_as(client, world):
    """client_as(role) -> a test client logged in as that person of Acme (or "outsider")."""

    def login(who: str):
        user = world.outsider if who == "outsider" else world.person(who)
        client.force_login(user)
        return client

    return login


def partner_with(programme, organisation, *, proposer=None, accepter=None, **fields):
    """An accepted partnership of ``organisation`` on ``programme``, made as people make it:
    proposed by the lead organisation, accepted by the partner."""
    partnership = services.partnership_propose(
        programme=programme, organisation=organisation, actor=proposer, **fields
    )
    return services.partnership_accept(partnership=partnership, actor=accepter)
