"""What Ladder prints on the console: one line per refusal, one axes banner where it serves,
no kombu warning in the embedded default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse
from django.utils.log import configure_logging

from programmes.models import Role

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str, *, drop=("REDIS_URL",), **extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(  # noqa: S603 (our own code)
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**env, **extra},
    )


def test_a_403_is_printed_once_and_without_its_traceback(client_as, world, settings, capsys):
    # runserver runs with DEBUG on, when Django adds its own console handler to "django".
    settings.DEBUG = True
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)  # onto the captured stderr
    try:
        response = client_as(Role.TRAINEE).get(
            reverse("programmes:detail", kwargs={"pk": world.programme.pk})
        )
        assert response.status_code == 403
        printed = capsys.readouterr().err
    finally:
        with capsys.disabled():
            settings.DEBUG = False
            configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    assert printed.count("Forbidden (Permission denied)") == 1
    assert "Traceback" not in printed


def test_management_commands_do_not_print_the_axes_banner():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "AXES: BEGIN" not in result.stdout + result.stderr


def test_the_serving_process_prints_the_axes_banner_once():
    code = ("import sys; sys.argv=['manage.py', 'runserver']; import django; "
            "django.setup()")
    parent = _python(code, DJANGO_SETTINGS_MODULE="config.settings")
    child = _python(code, DJANGO_SETTINGS_MODULE="config.settings", RUN_MAIN="true")
    assert "AXES: BEGIN" not in parent.stderr  # the watcher that restarts the server
    assert child.stderr.count("AXES: BEGIN") == 1


def test_the_embedded_broker_draws_no_kombu_warning():
    result = _python(
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
        "django.setup(); from config.celery import app; "
        "c = app.connection_for_write(); print(c.as_uri()); c.release()",
        drop=("REDIS_URL", "DATABASE_URL", "DJANGO_ENV"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("memory://")
    assert "No hostname" not in result.stderr


def test_the_root_favicon_points_at_the_nhs_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("nhsuk/assets/images/favicon.ico")
