"""Reminders as they happen, for the people who chose that instead of the weekly digest.

Each person chooses on their account page which kinds of reminder they get and how
(ReminderPreference; no row: every kind, in one weekly digest). Two senders serve the
"as they happen" people, one email per item:

- evaluations' daily interview reminders (the interviews kind), which live on a lower floor
  and ask through core.reminders (PreferencePolicy below, registered in apps.py);
- ``reminders_send_as_they_happen`` here for the other kinds (reviews, contracts and
  milestones; expiring competence; evidence waiting), run by Celery beat through the day.

Every item told, in the digest or alone, is claimed in DigestEntry for its week first (unique),
so nobody hears of the same item twice in a week, even after changing their choice mid-week or
with two workers running at once.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import reminders as core_reminders
from programmes.models import Membership

from .digest import _items, monday_of, preference_for
from .models import DigestEntry, ReminderPreference

logger = logging.getLogger(__name__)
Kind = ReminderPreference.Kind
# Interviews are told by evaluations' own reminder task (it asks PreferencePolicy).
SENT_HERE = (Kind.REVIEWS, Kind.EXPIRING, Kind.EVIDENCE)


class PreferencePolicy:
    """core.reminders' policy: the preferences and the weekly record of what was told."""

    def wanting_each_item(self, *, kind: str) -> set[int]:
        # In Python rather than a JSON "contains" lookup, which SQLite (the embedded default)
        # lacks; only the people who chose "as they happen" are read.
        rows = ReminderPreference.objects.filter(
            frequency=ReminderPreference.Frequency.IMMEDIATE
        ).values_list("user_id", "kinds")
        return {user_id for user_id, kinds in rows if kind in (kinds or [])}

    def claim(self, *, user_id: int, key: str, today: date) -> bool:
        return entry_claim(user_id=user_id, key=key, week=monday_of(today))


def entry_claim(*, user_id: int, key: str, week: date) -> bool:
    """Record the item as told this week; False when it already was (by any sender)."""
    try:
        with transaction.atomic():
            DigestEntry.objects.create(user_id=user_id, week=week, key=key)
    except IntegrityError:
        return False
    return True


def _email(user, kind: str, item) -> EmailMessage:
    labels = dict(Kind.choices)
    due = f" (due {item.due:%-d %b %Y})" if item.due else ""
    body = "\n".join([
        f"Hello {user.first_name or user.get_username()},",
        "",
        f"{labels[kind]}: {item.title}{due}",
        *([item.detail] if item.detail else []),
        "",
        f"{settings.LADDER_BASE_URL}{item.url}",
        "",
        "You get reminders as they happen. Change which reminders you get, or have one weekly "
        "digest instead, on your account page.",
    ])
    return EmailMessage(subject=f"Ladder: {item.title}", body=body, to=[user.email])


def reminders_send_for(*, user, today: date | None = None) -> int:
    """One email for each item of the kinds this person ticked (but interviews) that they have
    not been told of this week. Nothing for people who chose the weekly digest. Returns how
    many emails were sent."""
    today = today or timezone.localdate()
    preference = preference_for(user)
    if preference.frequency != ReminderPreference.Frequency.IMMEDIATE or not user.email:
        return 0
    kinds = {k for k in preference.kinds if k in SENT_HERE}
    if not kinds:
        return 0
    week = monday_of(today)
    sent = 0
    with get_connection() as connection:
        for membership in Membership.objects.active().filter(user=user).select_related("organisation", "user"):
            for kind, item in _items(membership, kinds):
                try:
                    with transaction.atomic():  # a failed email releases its claim
                        key = core_reminders.item_key(item.url, item.title)
                        if not entry_claim(user_id=user.pk, key=key, week=week):
                            continue
                        message = _email(user, kind, item)
                        message.connection = connection
                        message.send()
                except Exception:  # one bad address or item must not stop the others
                    logger.exception("Reminder to user %s could not be sent", user.pk)
                else:
                    sent += 1
    return sent


def reminders_send_as_they_happen(*, today: date | None = None) -> int:
    """Every "as they happen" person's new items. Returns the number of emails sent."""
    from django.contrib.auth import get_user_model

    people = (
        get_user_model()
        .objects.filter(
            is_active=True,
            reminder_preference__frequency=ReminderPreference.Frequency.IMMEDIATE,
            pk__in=Membership.objects.active().values("user_id"),
        )
        .exclude(email="")
    )
    return sum(reminders_send_for(user=user, today=today) for user in people)
