from django.contrib.auth import get_user_model
from django.core.management import call_command

from programmes.demo.people import ORGANISATIONS, PEOPLE
from programmes.models import Membership, Organisation, Role


def test_seed_demo_is_idempotent_and_covers_every_role(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Organisation.objects.count() == len(ORGANISATIONS)
    assert Membership.objects.count() == len(PEOPLE)
    for organisation in Organisation.objects.all():
        roles = set(organisation.memberships.values_list("role", flat=True))
        assert roles == set(Role.values), organisation
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    out = capsys.readouterr().out
    assert "lead.westmoor" in out and "trainee.highmoor" in out


def test_seed_demo_keeps_a_password_someone_changed(db):
    call_command("seed_demo")
    user = get_user_model().objects.get(username="manager.westmoor")
    user.set_password("my-own-new-password")
    user.save()
    call_command("seed_demo")
    user.refresh_from_db()
    assert user.check_password("my-own-new-password")
