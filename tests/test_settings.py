"""Production refuses unsafe settings, and `check --deploy` is clean when they are right."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import config.settings as configured

ROOT = Path(__file__).resolve().parents[1]
GOOD_FERNET_KEY = "dGhpcy1pcy1hLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmc="  # 32 bytes, base64
GOOD_KEY = "k3y-" + "x9Qz!7vLp2@Rm4#Tn8$Wb6%Yc1^Hd5&Jf0*Gs3(Ka7)Me" + "-Ladder"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; a deployment would not.
    clean_env = {k: v for k, v in os.environ.items() if k not in {
        "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE",
        "LADDER_KEY_ENCRYPTION_KEY", "LADDER_PUBLIC_URL", "LADDER_BASE_URL"}}
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**clean_env, **env}, capture_output=True, text=True, timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="ladder.example.nhs.uk")
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_manage(
        "check", DJANGO_ENV="production", SECRET_KEY="short", ALLOWED_HOSTS="ladder.example"
    )
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_ENV="production", SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "needs ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_in_production():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="ladder.example.nhs.uk",
        LADDER_KEY_ENCRYPTION_KEY=GOOD_FERNET_KEY, LADDER_PUBLIC_URL="https://ladder.example.nhs.uk",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_wants_the_credential_key_encryption_key_and_an_https_public_url(settings):
    from credentials.checks import credential_keys_configured

    settings.PRODUCTION = True
    settings.LADDER_KEY_ENCRYPTION_KEY = ""
    settings.LADDER_PUBLIC_URL = "http://ladder.example.nhs.uk"
    assert [e.id for e in credential_keys_configured()] == ["credentials.E001", "credentials.E002"]
    settings.LADDER_KEY_ENCRYPTION_KEY = GOOD_FERNET_KEY
    settings.LADDER_PUBLIC_URL = "https://ladder.example.nhs.uk"
    assert credential_keys_configured() == []
    settings.PRODUCTION = False
    settings.LADDER_KEY_ENCRYPTION_KEY = ""
    assert credential_keys_configured() == []  # the embedded default derives one

def test_passwords_are_hashed_with_argon2():
    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_celery_is_configured_for_reliable_jobs():
    assert configured.CELERY_TASK_SERIALIZER == "json"
    assert configured.CELERY_ACCEPT_CONTENT == ["json"]
    assert configured.CELERY_TASK_ACKS_LATE is True
    assert configured.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert configured.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert 0 < configured.CELERY_TASK_SOFT_TIME_LIMIT < configured.CELERY_TASK_TIME_LIMIT
    # Redis must not hand a task to a second worker while the first may still be running it.
    assert configured.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > (
        configured.CELERY_TASK_TIME_LIMIT
    )
    assert configured.CELERY_BEAT_SCHEDULE


def test_the_embedded_default_needs_no_services():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
            "django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
            "s.EMAIL_BACKEND, s.MEDIA_ROOT)"
        )],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if k not in {
            "DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "EMAIL_HOST", "LADDER_VAR_DIR"}},
    )
    engine, eager, email, media = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True"
    assert email.endswith("console.EmailBackend")
    assert media == str(ROOT / "var" / "media")


# --- Parallel test runs: one Redis database per pytest-xdist worker --------------------------


def test_each_parallel_test_worker_gets_its_own_redis_database(monkeypatch):
    monkeypatch.setattr(configured, "DJANGO_ENV", "test")
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    for_worker = configured._redis_url_for_test_worker

    assert for_worker("redis://127.0.0.1:6379/2") == "redis://127.0.0.1:6379/5"
    assert for_worker("redis://:secret@redis.internal:6380") == "redis://:secret@redis.internal:6380/3"
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    assert for_worker("redis://127.0.0.1:6379/2") == "redis://127.0.0.1:6379/2"
    monkeypatch.delenv("PYTEST_XDIST_WORKER")  # a serial run
    assert for_worker("redis://127.0.0.1:6379/2") == "redis://127.0.0.1:6379/2"
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    monkeypatch.setattr(configured, "DJANGO_ENV", "production")  # never outside the tests
    assert for_worker("redis://127.0.0.1:6379/2") == "redis://127.0.0.1:6379/2"


def test_this_workers_cache_and_broker_are_its_own_database(settings):
    if not settings.REDIS_URL:
        return  # the embedded default: no Redis at all
    assert settings.CACHES["default"]["LOCATION"] == settings.CELERY_BROKER_URL == settings.REDIS_URL
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    given = os.environ["REDIS_URL"].rstrip("/").rsplit("/", 1)[-1]
    base = int(given) if given.isdigit() else 0
    assert settings.REDIS_URL.endswith(f"/{base + int(worker.removeprefix('gw'))}")


def test_a_tests_own_cache_starts_empty_and_deletes_only_its_own_keys(settings):
    if not settings.REDIS_URL:
        return  # the embedded default: a local memory cache, this process's own
    from django.core.cache import cache, caches

    from tests.conftest import cache_of_its_own

    raw = caches["default"]._cache.get_client(write=True)
    cache.set("outside", 1, 60)
    outside = cache.make_key("outside")
    with cache_of_its_own(settings) as prefix:
        assert cache.get("outside") is None
        cache.set("inside", 2, 60)
        inside = cache.make_key("inside")
        assert inside.startswith(f"{prefix}:") and raw.exists(inside)
    assert not raw.exists(inside)
    assert raw.exists(outside) and cache.get("outside") == 1
    cache.delete("outside")


def test_processes_the_tests_start_do_not_add_the_offset_again():
    # A Celery worker or manage.py started by a test inherits PYTEST_XDIST_WORKER, and is
    # handed the worker's own URL: it must use that URL as it is.
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.REDIS_URL)",
        DJANGO_ENV="test", PYTEST_XDIST_WORKER="gw1", REDIS_URL="redis://127.0.0.1:6379/7",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "redis://127.0.0.1:6379/7"
