from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods

from competencies.assessment.selectors import expiring_read
from core.access import membership_required, memberships_for, switch_membership
from core.drafts import drafts_read
from core.pagination import paginate
from core.prepared import read_together
from core.sessions import session_expires_at
from programmes import selectors as programme_selectors
from programmes.models import Role

from . import selectors
from .digest import preference_for, reminder_preference_set
from .due import DUE_PAGE_SIZE, due_items_for, due_summary_for, filter_items
from .forms import DueFilterForm
from .models import ReminderPreference
from .navigation import API_TOKEN_ROLES

# One template per role: each shows what that role is there to do.
DASHBOARD_TEMPLATES = {role: f"dashboards/home_{role}.html" for role in Role.values}
# Leads and planners see their programmes at a glance; the programme list has the rest.
DASHBOARD_PROGRAMMES = 5
# Trainees, their mentors and managers see competence expiring or expired.
EXPIRING_ROLES = (Role.TRAINEE, Role.MENTOR, Role.MANAGER)


@login_required
def home(request):
    membership = request.membership
    if membership is None and request.user.is_superuser:
        return redirect("admin:index")  # an administrator with no role in an organisation
    return _dashboard(request)


@membership_required()
def _dashboard(request):
    """Every figure is handed over lazily: the template caches its body under the data version
    (core/templatetags/data_cache.py), and a body still current runs none of these queries."""
    membership = request.membership
    if membership.role == Role.LECTURER:  # the cohorts' figures and what is due, in one statement
        teaching = SimpleLazyObject(lambda: selectors.lecturer_teaching(membership=membership))
        due = SimpleLazyObject(lambda: due_summary_for(membership, trainee_preview=teaching.trainee_preview))
    else:
        due = SimpleLazyObject(lambda: due_summary_for(membership))
    # The small lists beside what is due, read in one round trip (core.prepared.read_together).
    beside = SimpleLazyObject(lambda: _read_beside(request.user, membership))
    context = {
        "due": due,
        "due_items": SimpleLazyObject(lambda: due.most_urgent),
        "drafts": SimpleLazyObject(lambda: beside["drafts"]),
    }
    if membership.role in EXPIRING_ROLES:  # competence to renew (competencies.assessment)
        context["expiring"] = SimpleLazyObject(lambda: beside["expiring"])
        context["show_trainee"] = membership.role != Role.TRAINEE
    if membership.role in (Role.TRAINING_LEAD, Role.PLANNER):
        context["people_by_role"] = SimpleLazyObject(
            lambda: programme_selectors.people_count_by_role(membership=membership)
        )
        # One query: one more than shown tells whether "see all" is needed.
        programmes = SimpleLazyObject(lambda: programme_selectors.programmes_at_a_glance(
            membership=membership, limit=DASHBOARD_PROGRAMMES + 1
        ))
        context["programmes"] = SimpleLazyObject(lambda: programmes[:DASHBOARD_PROGRAMMES])
        context["more_programmes"] = SimpleLazyObject(lambda: len(programmes) > DASHBOARD_PROGRAMMES)
        context["may_create_programme"] = membership.role == Role.TRAINING_LEAD
    if membership.role == Role.LECTURER:
        context["cohorts"] = SimpleLazyObject(lambda: teaching.cohorts)
    if membership.role == Role.MANAGER:
        context["wards"] = SimpleLazyObject(lambda: beside["wards"])
    return render(request, DASHBOARD_TEMPLATES[membership.role], context)


def _read_beside(user, membership) -> dict:
    """The home page's lists beside what is due, by name: the person's drafts, competence
    expiring (trainees, mentors, managers), the manager's wards. Small statements independent
    of each other, so read together: one round trip on PostgreSQL, where each alone cost one."""
    reads = {"drafts": drafts_read(user)}
    if membership.role in EXPIRING_ROLES:
        reads["expiring"] = expiring_read(membership=membership)
    if membership.role == Role.MANAGER:
        reads["wards"] = selectors.manager_wards_read(membership=membership)
    return dict(zip(reads, read_together(*reads.values()), strict=True))


@membership_required()
@require_http_methods(["GET"])
def due_list(request):
    """Everything due for the acting person, most urgent first, DUE_PAGE_SIZE a page, filtered
    by kind, cohort and ward: every source's full list (a fixed number of queries), in the
    order whose first items the home page shows; a choice not offered is said next to its field
    and the list shown unfiltered."""
    items = due_items_for(request.membership)
    form = DueFilterForm(request.GET or None, items=items)
    shown = items
    if form.is_bound and form.is_valid():
        shown = filter_items(items, **form.cleaned_data)
    return render(request, "dashboards/due_list.html", {
        "form": form,
        "page_obj": paginate(request, shown, DUE_PAGE_SIZE),
        "total": len(items),
        "matching": len(shown),
        "filtered": len(shown) != len(items) or any(request.GET.get(k) for k in ("kind", "cohort", "ward")),
    })


@login_required
@require_http_methods(["GET", "POST"])
def switch(request):
    """Choose which organisation and role to act as, for people with more than one."""
    if request.method == "POST":
        try:
            membership_id = int(request.POST.get("membership", ""))
        except ValueError:
            membership_id = 0
        membership = switch_membership(request, membership_id)
        messages.success(
            request, f"You are now acting as {membership.get_role_display().lower()} "
            f"in {membership.organisation.name}."
        )
        return redirect("dashboards:home")
    return render(request, "dashboards/switch.html", {"memberships": memberships_for(request.user)})


@login_required
@require_http_methods(["GET"])
def session_keep_alive(request):
    """Asked by static/js/session-warning.js when someone chooses to stay signed in (or types):
    the request itself refreshes the session when due; the answer says when it now ends."""
    return JsonResponse({"ends_at": session_expires_at(request)})


@login_required
@require_http_methods(["GET"])
def account(request):
    """The person's account: who they are, where they act, their password, and API tokens for
    the roles that use the API."""
    membership = request.membership
    return render(request, "dashboards/account.html", {
        "memberships": memberships_for(request.user),
        "reminders": preference_for(request.user),
        "offers_api_tokens": membership is not None and membership.role in API_TOKEN_ROLES,
    })


class ReminderForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How do you want reminders?", choices=ReminderPreference.Frequency.choices,
        widget=forms.RadioSelect, error_messages={"required": "Choose how you get reminders"},
    )
    kinds = forms.MultipleChoiceField(
        label="Which reminders do you want?", choices=ReminderPreference.Kind.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Leave them all unticked to get none.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request):
    """The person's reminder preferences (dashboards/digest.py sends the weekly digest)."""
    preference = preference_for(request.user)
    form = ReminderForm(request.POST or None, initial={"frequency": preference.frequency, "kinds": preference.kinds})
    if request.method == "POST" and form.is_valid():
        try:
            reminder_preference_set(
                user=request.user, frequency=form.cleaned_data["frequency"], kinds=form.cleaned_data["kinds"]
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, "Your reminder choices are saved.")
            return redirect("dashboards:account")
    return render(request, "dashboards/reminders.html", {"form": form})
