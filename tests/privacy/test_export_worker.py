"""A real Celery worker puts the export together; the page shows it ready to download."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from config.celery import app as celery_app
from privacy.models import PrivacyEvent
from programmes.models import Role


def _wait_for(event: PrivacyEvent, seconds: float = 90) -> PrivacyEvent:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        event.refresh_from_db()
        if not event.is_pending:
            return event
        time.sleep(0.2)
    raise AssertionError(f"export still {event.status} after {seconds}s")


@pytest.mark.django_db(transaction=True)
def test_a_worker_puts_the_export_together_and_the_lead_downloads_it(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.person(Role.TRAINING_LEAD))
    page_url = reverse("privacy:personal_data", kwargs={"pk": world.trainee.pk})
    with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING"):
        response = client.post(reverse("privacy:export", kwargs={"pk": world.trainee.pk}))
        assert response["Location"] == page_url
        event = _wait_for(PrivacyEvent.objects.get())
    assert event.status == PrivacyEvent.Status.DONE, event.failure_reason
    page = client.get(page_url).content.decode()
    link = reverse("privacy:export_download", kwargs={"pk": world.trainee.pk, "event_pk": event.pk})
    assert link in page and "hx-trigger" not in page  # finished: the page stops polling
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(link).streaming_content)))
    assert json.loads(archive.read("record.json"))["trainee"]["last_name"] == "Trainee"
