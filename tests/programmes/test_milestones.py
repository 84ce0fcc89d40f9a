"""Milestones: the programme's timeline, with late ones marked."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.models import Milestone, Role

from .helpers import Page, date_parts


def milestone_data(title="Role agreed with staff side", due=date(2026, 3, 1), done=None, **extra):
    return {
        "title": title,
        "description": "",
        **date_parts("due_on", due),
        **date_parts("done_on", done),
        **extra,
    }


def test_only_unfinished_overdue_milestones_are_late_and_finished_late_ones_say_by_how_much(client_as, world):
    today = timezone.localdate()
    services.milestone_update(
        milestone=world.milestone, due_on=today - timedelta(days=10)
    )  # not done, past due
    services.milestone_create(
        programme=world.programme,
        title="Done late",
        due_on=today - timedelta(days=30),
        done_on=today - timedelta(days=20),
    )
    services.milestone_create(
        programme=world.programme,
        title="Done early",
        due_on=today - timedelta(days=5),
        done_on=today - timedelta(days=40),
    )
    services.milestone_create(
        programme=world.programme, title="Next year", due_on=today + timedelta(days=365)
    )

    page = Page(
        client_as(Role.MANAGER).get(reverse("programmes:detail", kwargs={"pk": world.programme.pk}))
    )

    timeline = [(row["Milestone"], row["Status"]) for row in page.rows(data_testid="milestone")]
    # Earliest due first. Done after its due date is done, with the delay; only the unfinished
    # overdue one is late, and only it counts.
    assert timeline == [
        ("Done late", "Done (10 days late)"),
        ("Project team formed", "Late"),
        ("Done early", "Done"),
        ("Next year", "Upcoming"),
    ]
    assert page.text(data_testid="late-count") == "1 milestone is late."
    # A manager reads; no change links.
    assert (
        reverse("programmes:milestone_edit", kwargs={"pk": world.milestone.pk}) not in page.links()
    )


def test_a_lead_adds_a_milestone_done_before_it_was_due(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:milestone_create", kwargs={"pk": world.programme.pk})
    response = client.post(url, milestone_data(due=date(2026, 3, 1), done=date(2026, 2, 1)))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/programmes/{world.programme.pk}/#milestones")
    milestone = Milestone.objects.get(title="Role agreed with staff side")
    assert (milestone.programme, milestone.due_on, milestone.done_on) == (
        world.programme,
        date(2026, 3, 1),
        date(2026, 2, 1),
    )


def test_a_done_date_in_the_future_is_refused_by_the_field(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    tomorrow = timezone.localdate() + timedelta(days=1)
    url = reverse("programmes:milestone_create", kwargs={"pk": world.programme.pk})
    response = client.post(url, milestone_data(done=tomorrow))

    assert response.status_code == 200
    assert Page(response).error_for("id_done_on") == "Date done must be today or in the past"
    assert not Milestone.objects.filter(title="Role agreed with staff side").exists()


def test_a_milestone_without_a_due_date_is_refused(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:milestone_create", kwargs={"pk": world.programme.pk})
    response = client.post(url, milestone_data(due=None))
    assert response.status_code == 200
    assert Page(response).error_for("id_due_on") == "Enter due date"


def test_a_lead_marks_a_milestone_done(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:milestone_edit", kwargs={"pk": world.milestone.pk})
    page = Page(client.get(url))
    assert page.all(name="due_on_year")[0].attrs["value"] == "2026"

    response = client.post(
        url,
        milestone_data(title="Project team formed", due=date(2026, 1, 15), done=date(2026, 1, 20)),
    )

    assert response.status_code == 302
    world.milestone.refresh_from_db()
    assert world.milestone.done_on == date(2026, 1, 20)
    # Done after it was due: no longer late, but the delay is kept.
    assert not world.milestone.is_late(timezone.localdate())
    assert world.milestone.days_late == 5


def test_a_finished_late_milestone_does_not_count_as_late(client_as, world):
    today = timezone.localdate()
    services.milestone_update(
        milestone=world.milestone, due_on=today - timedelta(days=10), done_on=today - timedelta(days=5)
    )
    page = Page(
        client_as(Role.TRAINING_LEAD).get(
            reverse("programmes:detail", kwargs={"pk": world.programme.pk})
        )
    )
    assert page.all(data_testid="late-count") == []
    [row] = page.rows(data_testid="milestone")
    assert row["Status"] == "Done (5 days late)"


def test_a_done_date_years_before_the_due_date_is_refused_with_a_message(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:milestone_create", kwargs={"pk": world.programme.pk})
    response = client.post(url, milestone_data(due=date(2027, 3, 1), done=date(1999, 1, 1)))

    assert response.status_code == 200
    assert Page(response).error_for("id_done_on") == (
        "Date done must be no more than 2 years before the due date (1 March 2027). Check the year"
    )
    assert not Milestone.objects.filter(title="Role agreed with staff side").exists()


def test_a_due_date_decades_away_is_refused_with_a_message(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:milestone_edit", kwargs={"pk": world.milestone.pk})
    response = client.post(url, milestone_data(title="Project team formed", due=date(2060, 1, 15)))

    year = timezone.localdate().year
    assert response.status_code == 200
    assert Page(response).error_for("id_due_on") == (
        f"Due date must be between {year - 10} and {year + 10}. Check the year"
    )
    world.milestone.refresh_from_db()
    assert world.milestone.due_on == date(2026, 1, 15)


def test_deleting_asks_first_then_deletes_on_post(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:milestone_delete", kwargs={"pk": world.milestone.pk})

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Are you sure you want to delete this milestone?" in Page(confirm).root.text()
    assert Milestone.objects.filter(pk=world.milestone.pk).exists()

    response = client.post(url)
    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=world.milestone.pk).exists()


def test_an_outsider_cannot_touch_another_organisations_milestones(client_as, world):
    client = client_as("outsider")
    assert (
        client.post(
            reverse("programmes:milestone_delete", kwargs={"pk": world.milestone.pk})
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("programmes:milestone_edit", kwargs={"pk": world.milestone.pk}),
            milestone_data(),
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("programmes:milestone_create", kwargs={"pk": world.programme.pk}),
            milestone_data(),
        ).status_code
        == 404
    )
    assert Milestone.objects.filter(pk=world.milestone.pk, title="Project team formed").exists()
    assert not Milestone.objects.filter(title="Role agreed with staff side").exists()
