"""The weekly digest: one email per person with what is due for them in each organisation and
role, of the kinds they chose, never the same item twice in a week (DigestEntry). People who
chose "as they happen" get no digest but an email per item (dashboards/reminders.py); those
who chose the digest get no per-item email. Sent by Celery beat (dashboards.send_weekly_digest)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from competencies.assessment.selectors import expiring_for
from competencies.evidence import due as evidence_due
from core.reminders import item_key
from evaluations.interviews import due as interview_due
from programmes.due import DueItem, milestones_due_for
from programmes.models import Membership
from trainees import due as trainee_due

from .models import DigestEntry, ReminderPreference

Kind = ReminderPreference.Kind
SOURCES = (
    (Kind.INTERVIEWS, interview_due.due_for),
    (Kind.REVIEWS, trainee_due.due_for),
    (Kind.REVIEWS, milestones_due_for),
    (Kind.EVIDENCE, evidence_due.due_for),
)


def preference_for(user) -> ReminderPreference:
    return ReminderPreference.objects.filter(user=user).first() or ReminderPreference(
        user=user, kinds=ReminderPreference.default_kinds()
    )


@transaction.atomic
def reminder_preference_set(*, user, frequency: str, kinds: list[str]) -> ReminderPreference:
    if frequency not in ReminderPreference.Frequency.values:
        raise ValidationError({"frequency": "Choose how you get reminders."})
    unknown = set(kinds) - set(Kind.values)
    if unknown:
        raise ValidationError({"kinds": "Choose reminders from the list."})
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    preference.frequency, preference.kinds = frequency, [k for k in Kind.values if k in kinds]
    preference.full_clean()
    preference.save()
    return preference


def _items(membership: Membership, kinds: set[str]) -> list[tuple[str, DueItem]]:
    items = [(kind, item) for kind, source in SOURCES if kind in kinds for item in source(membership)]
    if Kind.EXPIRING in kinds:
        for row in expiring_for(membership=membership):
            d = row.decision
            items.append(
                (
                    Kind.EXPIRING,
                    DueItem(
                        title=f"{row.label}: {d.trainee.full_name}, {d.competency}",
                        url=reverse("evidence:portfolio", kwargs={"trainee_pk": d.trainee_id})
                        + f"#competency-{d.competency_id}",
                        due=d.valid_until,
                        detail=f"{row.level_name}, valid until {d.valid_until:%-d %b %Y}",
                    ),
                )
            )
    return items


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_send(*, user, today: date | None = None) -> int:
    """Send this person's digest for the week of ``today`` (items not yet told this week);
    returns how many items it told. Nothing is sent when nothing is new."""
    today = today or timezone.localdate()
    preference = preference_for(user)
    if preference.frequency != ReminderPreference.Frequency.WEEKLY or not preference.kinds or not user.email:
        return 0
    week = monday_of(today)
    told = set(DigestEntry.objects.filter(user=user, week=week).values_list("key", flat=True))
    lines, new_keys = [], []
    labels = dict(Kind.choices)
    for membership in Membership.objects.active().filter(user=user).select_related("organisation", "user"):
        by_kind: dict[str, list[DueItem]] = {}
        for kind, item in _items(membership, set(preference.kinds)):
            key = item_key(item.url, item.title)  # shared with the per-item senders
            if key in told or key in new_keys:
                continue
            new_keys.append(key)
            by_kind.setdefault(kind, []).append(item)
        if not by_kind:
            continue
        lines.append(f"{membership.get_role_display()}, {membership.organisation.name}")
        for kind in Kind.values:
            for item in by_kind.get(kind, []):
                due = f" (due {item.due:%-d %b %Y})" if item.due else ""
                lines.append(f"- {labels[kind]}: {item.title}{due}\n  {settings.LADDER_BASE_URL}{item.url}")
        lines.append("")
    if not new_keys:
        return 0
    # Record first (unique per week): a second worker running at once sends nothing twice.
    try:
        with transaction.atomic():
            DigestEntry.objects.bulk_create([DigestEntry(user=user, week=week, key=k) for k in new_keys])
    except IntegrityError:
        return 0
    send_mail(
        subject=f"Ladder: your week ({len(new_keys)} item{'s' if len(new_keys) != 1 else ''})",
        message="\n".join(
            [
                "What is due for you this week in Ladder:",
                "",
                *lines,
                "Change which reminders you get on your account page.",
            ]
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    return len(new_keys)


def digests_send(*, today: date | None = None) -> int:
    """Every active person's weekly digest. Returns the number of emails sent."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(is_active=True, pk__in=Membership.objects.active().values("user_id"))
        .exclude(email="")
    )
    return sum(1 for user in users if digest_send(user=user, today=today))
