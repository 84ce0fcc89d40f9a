"""The data version (core/data_version.py) and the fragments cached under it: any committed
write, by any path, moves the version on, and a cached home page shows the change on the very
next request; nothing else moves it, and one person's fragment is never another's.

These tests commit (the version moves at commit), so each has its own database state."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.data_version import data_version, install_triggers, watched_tables
from core.models import DataVersion
from programmes.models import Milestone, Organisation, Role
from trainees.models import Trainee

pytestmark = pytest.mark.django_db(transaction=True)



def test_every_path_of_writing_moves_the_version_on_at_commit(world):
    organisation = world.organisation
    start = data_version()
    organisation.save()  # the ORM, one row
    assert data_version() == start + 1
    Organisation.objects.filter(pk=organisation.pk).update(description="Changed in bulk")
    assert data_version() == start + 2
    Milestone.objects.bulk_create([Milestone(programme=world.programme, title="Bulk", due_on=world.cohort.starts_on)])
    assert data_version() == start + 3
    with connection.cursor() as cursor:
        cursor.execute("UPDATE programmes_organisation SET name = name WHERE id = %s", [organisation.pk])
    assert data_version() == start + 4
    Milestone.objects.filter(title="Bulk").delete()
    assert data_version() == start + 5


def test_a_transaction_moves_it_once_and_only_when_it_commits(world):
    start = data_version()
    with transaction.atomic():
        world.organisation.save()
        world.programme.save()
        # Not yet: another connection would still see the old data, and so the old number.
        assert data_version() == start
    assert data_version() == start + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        world.organisation.save()
        raise RuntimeError("rolled back")
    assert data_version() == start + 1


def test_reading_and_signing_in_do_not_move_it(world, client):
    start = data_version()
    list(Trainee.objects.all())
    client.force_login(world.person(Role.MANAGER))  # a session row written: not watched
    assert client.get("/").status_code == 200
    assert data_version() in (start, start + 1)  # the sign-in's last_login is a watched write
    settled = data_version()
    client.get("/")
    assert data_version() == settled


def test_every_ladder_table_is_watched_and_installing_again_changes_nothing(world):
    tables = watched_tables()
    for table in ("trainees_trainee", "trainees_enrolment", "competencies_evidence", "core_formdraft", "auth_user"):
        assert table in tables
    for table in ("django_session", "auditlog_logentry", "core_dataversion"):
        assert table not in tables
    install_triggers()
    start = data_version()
    world.organisation.save()
    assert data_version() == start + 1  # still one step a commit, not two


def _main(response) -> str:
    """The page's main content (the header around it carries a fresh CSRF token each time)."""
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


@pytest.mark.usefixtures("fragments_cached")
def test_a_cached_home_page_shows_a_change_made_in_bulk_on_the_next_request(world, client_as):
    manager = client_as(Role.MANAGER)
    with CaptureQueriesContext(connection) as rendered:
        first = _main(manager.get("/"))
    assert "Sign Sam Trainee&#x27;s learning contract" in first
    with CaptureQueriesContext(connection) as from_cache:
        again = _main(manager.get("/"))
    assert again == first
    assert len(from_cache) < len(rendered) - 3  # no query for the figures
    Trainee.objects.filter(first_name="Sam").update(first_name="Samuel")  # no signal sent
    changed = _main(manager.get("/"))
    assert "Sign Samuel Trainee&#x27;s learning contract" in changed
    assert "Sign Sam Trainee" not in changed


@pytest.mark.usefixtures("fragments_cached")
def test_the_version_is_read_with_the_memberships_not_by_a_statement_of_its_own(world, client_as):
    manager = client_as(Role.MANAGER)
    with CaptureQueriesContext(connection) as rendered:
        manager.get("/")
    with CaptureQueriesContext(connection) as from_cache:
        manager.get("/")
    for captured in (rendered, from_cache):
        reading = [query["sql"] for query in captured if "core_dataversion" in query["sql"]]
        assert len(reading) == 1 and "programmes_membership" in reading[0]


@pytest.mark.usefixtures("fragments_cached")
def test_each_person_gets_their_own_fragment(world, client_as):
    manager_home = client_as(Role.MANAGER).get("/").content.decode()
    mentor_home = client_as(Role.MENTOR).get("/").content.decode()
    assert "Your trainees" in manager_home and "Your trainees" not in mentor_home
    assert "Evidence to assess" in mentor_home and "Evidence to assess" not in manager_home


def test_the_version_does_not_repeat_when_its_row_is_made_again(world):
    world.organisation.save()
    before = data_version()
    DataVersion.objects.all().delete()  # as a flush empties every table
    assert data_version() is None  # nothing is cached meanwhile
    install_triggers()  # the next migrate (a flush sends post_migrate too) makes it again
    assert data_version() > before


@pytest.mark.usefixtures("fragments_cached")
def test_a_page_rendered_inside_a_transaction_is_not_kept(world, client_as):
    """Its writes have not moved the version on yet and may be rolled back: kept, the page
    would show what never happened, under a version still current."""
    manager = client_as(Role.MANAGER)
    with pytest.raises(RuntimeError), transaction.atomic():
        Trainee.objects.filter(first_name="Sam").update(first_name="Uncommitted")
        assert "Sign Uncommitted Trainee" in _main(manager.get("/"))
        raise RuntimeError("rolled back")
    assert "Sign Sam Trainee&#x27;s learning contract" in _main(manager.get("/"))
