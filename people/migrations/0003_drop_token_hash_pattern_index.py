"""Drop the LIKE-only index of Invitation.token_hash (core.schema.drop_pattern_indexes): a
link's hash is only ever looked up whole (people.selectors), which the unique index answers."""

from django.db import migrations

from core.schema import drop_pattern_indexes


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0002_drop_indexes_a_unique_index_covers"),
    ]

    operations = [
        drop_pattern_indexes("people_invitation", {"people_invitation_token_hash_6c55913f_like": "token_hash"}),
    ]
