from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.access import membership_required, memberships_for, switch_membership
from programmes import selectors as programme_selectors
from programmes.models import Role

from .due import due_items_for

# One template per role: each shows what that role is there to do.
DASHBOARD_TEMPLATES = {role: f"dashboards/home_{role}.html" for role in Role.values}
# Leads and planners see their programmes at a glance; the programme list has the rest.
DASHBOARD_PROGRAMMES = 5


@login_required
def home(request):
    membership = request.membership
    if membership is None and request.user.is_superuser:
        return redirect("admin:index")  # an administrator with no role in an organisation
    return _dashboard(request)


@membership_required()
def _dashboard(request):
    membership = request.membership
    context = {"due_items": due_items_for(membership)}
    if membership.role in (Role.TRAINING_LEAD, Role.PLANNER):
        context["people_by_role"] = programme_selectors.people_count_by_role(membership=membership)
        # One query: one more than shown tells whether "see all" is needed.
        programmes = list(
            programme_selectors.programme_list(membership=membership)
            .order_by("title")[: DASHBOARD_PROGRAMMES + 1]
        )
        context["programmes"] = programmes[:DASHBOARD_PROGRAMMES]
        context["more_programmes"] = len(programmes) > DASHBOARD_PROGRAMMES
    return render(request, DASHBOARD_TEMPLATES[membership.role], context)


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
