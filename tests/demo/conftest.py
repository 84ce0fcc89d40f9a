"""The demo (seed_demo) as the tests of this package find it: loaded once, not once a test.

Seeding the demo from nothing makes some 30,000 queries through the services (a minute and more
on the loaded 2-core machine); the tests here only read it, or seed it again to show nothing
changes. Seeding an empty database (in production, committed) is tested outside this package,
in tests/test_seed_demo_from_nothing.py: no test here may commit.
"""

from __future__ import annotations

import shutil

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from ..conftest import _modules_that_commit, fast_password_hashing


@pytest.fixture(scope="package")
def package_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the package, in a transaction held open around its tests and
    rolled back after the last (as tests/conftest.py module_world); yields the folder holding
    the files it saved (the case study's logo)."""
    committing = sorted(name for name in _modules_that_commit if name.startswith(f"{__package__}."))
    if committing:
        raise pytest.UsageError(f"{committing} commit in a test: the held-open demo would be emptied under them")
    media = tmp_path_factory.mktemp("demo-media")  # the per-test MEDIA_ROOT is not set yet
    with django_db_blocker.unblock(), transaction.atomic():
        with fast_password_hashing(), override_settings(MEDIA_ROOT=media):
            call_command("seed_demo", "--quiet")
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def demo(package_demo, db, settings) -> None:
    """The demo as each test finds it, in the test's own savepoint (what it changes is undone),
    its files copied into the test's own MEDIA_ROOT as if the test had seeded it."""
    shutil.copytree(package_demo, settings.MEDIA_ROOT, dirs_exist_ok=True)
