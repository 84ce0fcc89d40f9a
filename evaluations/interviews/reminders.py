"""Weekly reminder emails for interviews that are due, run daily by Celery beat (tasks.py).

Each pending interview of an open stage is reminded at most once a week: the rows are chosen
and locked with ``SELECT ... FOR UPDATE SKIP LOCKED``, the emails are sent, and
``last_reminded_at`` is set in that same transaction, so two workers running the job at once
pick different rows and nobody is emailed twice. An email that fails to send is not marked, so
it is tried again on the next run. Done and cancelled interviews are never reminded.

Only the people who chose interview reminders "as they happen" get these emails; the others
hear of their interviews in their weekly digest (dashboards). The choice, and the weekly record
that nobody is told of the same interview twice in a week by either way, are read through
core.reminders: dashboards sits on a higher floor and registers them there.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core import reminders

from ..models import Interview, Stage
from .due import interview_title

logger = logging.getLogger(__name__)

REMINDER_INTERVAL = timedelta(days=7)
BATCH_SIZE = 500  # rows locked per run; the next day's run picks up any rest


def base_url() -> str:
    """Where Ladder is served, for links in emails (LADDER_BASE_URL)."""
    return getattr(settings, "LADDER_BASE_URL", "") or "http://localhost:8000"


def _due_reminders(now: datetime):
    wanting = reminders.wanting_each_item(kind=reminders.INTERVIEWS)
    interviews = Interview.objects.all() if wanting is None else Interview.objects.filter(responsible_id__in=wanting)
    return (
        interviews.select_for_update(skip_locked=True, of=("self",))
        .filter(
            status__in=(Interview.Status.DUE, Interview.Status.DRAFT),
            stage__status=Stage.Status.OPEN,
            responsible__isnull=False,
            responsible__is_active=True,
        )
        .exclude(responsible__email="")
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_INTERVAL))
        .select_related(
            "stage", "stage__cohort", "stage__cohort__programme", "enrolment__trainee",
            "manager", "responsible",
        )
        .order_by("pk")[:BATCH_SIZE]
    )


def reminder_email(interview: Interview, today) -> EmailMessage:
    person = interview.responsible
    title = interview_title(interview, person.pk)
    due = interview.stage.due_on
    when = date_format(due, "j F Y")
    overdue = " It is overdue." if due < today else ""
    progress = (
        "You have saved a draft: finish it and complete the interview."
        if interview.status == Interview.Status.DRAFT
        else "Arrange and hold it, then record the answers in Ladder."
    )
    link = base_url().rstrip("/") + reverse("interviews:interview_detail", kwargs={"pk": interview.pk})
    cohort = interview.stage.cohort
    body = (
        f"Hello {person.first_name or person.get_username()},\n\n"
        f"This is a reminder from Ladder.\n\n{title}: due by {when}.{overdue}\n\n"
        f"Stage: {interview.stage.name}, {cohort.name} ({cohort.programme.title})\n"
        f"{progress}\n\n"
        f"Open the interview:\n{link}\n\n"
        "You will get this reminder once a week until the interview is done.\n"
    )
    return EmailMessage(
        subject=f"Interview due by {when}: {title}",
        body=body,
        to=[person.email],
    )


def interview_reminders_send(now: datetime | None = None) -> int:
    """Email the responsible person about each pending interview of an open stage not reminded
    in the last 7 days, if they chose interview reminders as they happen, and mark it reminded.
    Returns how many emails were sent.

    Cost: one query for who wants them, one locking query for the batch, one claim per email,
    one update, and the emails."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent: list[int] = []
    with transaction.atomic():
        interviews = list(_due_reminders(now))
        if not interviews:
            return 0
        with get_connection() as connection:
            for interview in interviews:
                try:
                    with transaction.atomic():  # a failed email releases the week's claim
                        key = reminders.item_key(
                            reverse("interviews:interview_detail", kwargs={"pk": interview.pk}),
                            interview_title(interview, interview.responsible_id),
                        )
                        if not reminders.claim(user_id=interview.responsible_id, key=key, today=today):
                            continue  # already told this week (the digest, before a change of mind)
                        message = reminder_email(interview, today)
                        message.connection = connection
                        message.send()
                except Exception:  # one bad address must not stop the others
                    logger.exception("Interview reminder %s could not be sent", interview.pk)
                else:
                    sent.append(interview.pk)
        Interview.objects.filter(pk__in=sent).update(last_reminded_at=now)
    logger.info("Sent %s interview reminders", len(sent))
    return len(sent)
