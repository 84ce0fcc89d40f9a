"""Who may use mappings, courses, role profiles and gap analysis (competencies.profiles).

Everyone who sees a programme reads its role profile (a trainee too: it says what the role
needs); gap analysis is for the people who plan and teach (not trainees); only training leads
change anything, and only their own organisation's.
"""

from dataclasses import replace

from competencies.models import Course
from programmes.models import Role

from ..access_table import NOT_FOUND, OK, REDIRECT, Entry, only
from ..profiles.factories import add_to_profile, make_framework

ALL_MEMBERS = Entry(anonymous=REDIRECT, members=OK, outsider=NOT_FOUND)
GAP_READERS = (Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER, Role.LECTURER, Role.MENTOR)


def _programme(world):
    return {"programme_pk": world.programme.pk}


def _own_framework(world):
    return make_framework(
        organisation=world.organisation, competencies=[("ACME-1", "Own competency")]
    )


def _competency(world):
    return {"pk": _own_framework(world).competencies.get().pk}


def _profile_item(world):
    framework = _own_framework(world)
    item = add_to_profile(world.programme, framework.competencies.all())[0]
    return {"pk": item.pk}


def _mapping(world):
    from competencies.profiles import services

    own = _own_framework(world).competencies.get()
    national = make_framework(competencies=[("N-1", "National competency")]).competencies.get()
    mapping = services.mapping_create(
        organisation=world.organisation,
        source=own,
        target=national,
        strength="equivalent",
        note="",
        actor=world.person(Role.TRAINING_LEAD),
    )
    return {"pk": mapping.pk}


def _course(world):
    return {
        "pk": Course.objects.create(
            organisation=world.organisation, name="Physical health skills"
        ).pk
    }


ENTRIES: dict[str, Entry] = {
    "profiles:role_profile": replace(ALL_MEMBERS, kwargs=_programme),
    "profiles:role_profile_add": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_programme),
    "profiles:role_profile_item_edit": only(
        Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_profile_item
    ),
    "profiles:role_profile_item_remove": only(
        Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_profile_item
    ),
    "profiles:gap_analysis": only(*GAP_READERS, outsider=NOT_FOUND, kwargs=_programme),
    # Acme's own competency: the outsider cannot see it.
    "profiles:mappings": replace(ALL_MEMBERS, kwargs=_competency),
    "profiles:mapping_remove": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_mapping),
    # The outsider, a training lead, imports into their own organisation.
    "profiles:mapping_import": only(Role.TRAINING_LEAD),
    "profiles:courses": Entry(anonymous=REDIRECT, members=OK, outsider=OK),
    "profiles:course_create": only(Role.TRAINING_LEAD),
    "profiles:course_edit": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_course),
}
