"""seed_demo on an empty database: refused in production without --force, random passwords
there, and its output when committed. The demo's contents are in tests/demo/, which loads it
once for the package."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from programmes.demo.people import logins_table


def test_seed_demo_refuses_production_without_force(db, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


def test_in_production_every_demo_login_gets_a_random_password_printed_once(db, settings, capsys):
    from cryptography.fernet import Fernet

    from programmes.demo.people import DEMO_PASSWORD

    settings.PRODUCTION = True
    settings.LADDER_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()  # production needs one
    call_command("seed_demo", "--force")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD not in out
    users = get_user_model().objects.filter(email__endswith="@example.org")
    assert users.count() > 20
    printed = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in {u.username for u in users}:
            printed[parts[0]] = parts[1]
    assert set(printed) == {u.username for u in users}  # the superuser included
    assert "admin" in printed
    for user in users:
        assert not user.check_password(DEMO_PASSWORD)
        assert user.check_password(printed[user.username])
    assert len(set(printed.values())) == len(printed)

    call_command("seed_demo", "--force")  # idempotent, and the passwords are not shown again
    again = capsys.readouterr().out
    assert not any(password in again for password in printed.values())
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(printed["admin"])


@pytest.mark.django_db(transaction=True)  # committed, so the demo's emails are really sent
def test_seed_demo_prints_no_email_and_ends_with_the_logins(settings, capsys):
    # `make run` prints email to the console: the demo's own notifications went there, before
    # the logins table, and pushed it off the screen.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    call_command("seed_demo", "--address", "http://127.0.0.1:8210/")

    out = capsys.readouterr().out
    assert "Subject:" not in out and "Content-Type" not in out and "delegated" not in out
    assert re.search(r"^The demo made \d+ notification emails as it went; none was sent or printed\.$", out, re.M)
    assert out.rstrip().endswith(logins_table().rstrip() + "\nLadder is at http://127.0.0.1:8210/")
    from delegation.models import Delegation  # the story that sends them was told

    assert Delegation.objects.exists()
    # Seeding again makes none, and says nothing of email.
    call_command("seed_demo", "--quiet")
    assert "email" not in capsys.readouterr().out
