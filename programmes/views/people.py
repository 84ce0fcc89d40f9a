from django.shortcuts import render

from core.access import membership_required

from ..models import Role
from ..selectors import people_in_organisation


@membership_required(Role.TRAINING_LEAD, Role.PLANNER)
def people(request):
    return render(
        request,
        "programmes/people_list.html",
        {
            "people": people_in_organisation(membership=request.membership),
            # The people app's pages: leads invite and manage roles; planners only see.
            "may_manage_people": request.membership.role == Role.TRAINING_LEAD,
        },
    )
