"""The programme's role profile: built by the lead organisation's training leads."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competencies.models import RoleProfileItem
from competencies.profiles import services
from programmes.models import Role
from tests.conftest import partner_with

from .conftest import Frameworks
from .factories import add_to_profile


def test_the_default_target_is_the_first_proficient_level_of_each_scale(
    world, frameworks: Frameworks
):
    ksf_c1 = frameworks.c(frameworks.national_other, "C1")  # Level 1 is not proficient, Level 2 is
    cc5 = frameworks.c(frameworks.national, "CC5")  # Not yet competent / Competent
    items = add_to_profile(world.programme, [ksf_c1, cc5])
    assert [item.target_level for item in items] == [1, 1]
    assert [item.kind for item in items] == ["core", "core"]


def test_a_target_level_off_the_scale_is_refused(world, frameworks):
    with pytest.raises(ValidationError) as error:
        add_to_profile(world.programme, [frameworks.c(frameworks.national, "CC5")], target_level=3)
    assert "target_level" in error.value.message_dict
    assert not RoleProfileItem.objects.exists()


def test_a_competency_is_added_once(world, frameworks):
    cc5 = frameworks.c(frameworks.national, "CC5")
    add_to_profile(world.programme, [cc5])
    with pytest.raises(ValidationError, match="Already in the role profile: CC5"):
        add_to_profile(world.programme, [cc5], kind="role_specific")


def test_another_organisations_competency_cannot_be_added(world, frameworks):
    with pytest.raises(ValidationError, match="not in a national framework"):
        add_to_profile(world.programme, [frameworks.c(frameworks.others, "OT-1")])


def test_items_keep_the_order_they_were_added_in(world, frameworks):
    add_to_profile(world.programme, [frameworks.c(frameworks.national, "CC6")])
    add_to_profile(
        world.programme,
        [frameworks.c(frameworks.own, "IAP-1"), frameworks.c(frameworks.own, "IAP-2")],
        kind="role_specific",
    )
    order = list(
        world.programme.role_profile.items.values_list("competency__id_number", "sort_order")
    )
    assert order == [("CC6", 1), ("IAP-1", 2), ("IAP-2", 3)]


def test_a_lead_builds_the_profile_through_the_pages(client_as, world, frameworks):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    step1 = client.get(url).content.decode()
    assert "Which framework are the competencies in?" in step1 and "Other&#x27;s own" not in step1
    step2 = client.get(url, {"framework": frameworks.national_other.pk}).content.decode()
    assert "C1 Communication" in step2 and "Level 2 (proficient)" in step2
    c1, hwb4 = (
        frameworks.c(frameworks.national_other, "C1"),
        frameworks.c(frameworks.national_other, "HWB4"),
    )
    response = client.post(
        f"{url}?framework={frameworks.national_other.pk}",
        {"competencies": [c1.pk, hwb4.pk], "kind": "core", "target_level": "2"},
    )
    assert response.status_code == 302
    response = client.post(
        f"{url}?framework={frameworks.own.pk}",
        {
            "competencies": [frameworks.c(frameworks.own, "IAP-1").pk],
            "kind": "role_specific",
            "target_level": "",
        },
    )
    assert response.status_code == 302
    profile = client.get(response.url)
    body = profile.content.decode()
    assert "Level 3" in body and "IAP-1" in body and "Competent" in body
    [(_, _, core), (_, _, specific)] = profile.context["groups"]
    assert [item.competency.id_number for item, _ in core] == ["C1", "HWB4"]
    assert [(item.competency.id_number, level) for item, level in specific] == [
        ("IAP-1", "Competent")
    ]

    # Already-added competencies are not offered again.
    again = client.get(url, {"framework": frameworks.national_other.pk})
    assert "Every competency of NHS KSF is already in the role profile" in again.content.decode()


def test_adding_nothing_says_what_to_do(client_as, world, frameworks):
    url = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    response = client_as(Role.TRAINING_LEAD).post(
        f"{url}?framework={frameworks.national.pk}", {"target_level": ""}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select at least one competency" in body and "Choose core or role-specific" in body
    assert response.context["form"].errors


def test_a_lead_changes_and_removes_an_item(client_as, world, frameworks):
    [item] = add_to_profile(world.programme, [frameworks.c(frameworks.national_other, "HWB4")])
    client = client_as(Role.TRAINING_LEAD)
    edit = reverse("profiles:role_profile_item_edit", kwargs={"pk": item.pk})
    page = client.get(edit).content.decode()
    assert 'type="radio"' in page and "Level 4 (proficient)" in page
    assert client.post(edit, {"kind": "role_specific", "target_level": "3"}).status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.target_level) == ("role_specific", 3)
    bad = client.post(edit, {"kind": "core", "target_level": "9"})
    assert bad.status_code == 200 and "from the choices given" in bad.content.decode()

    remove = reverse("profiles:role_profile_item_remove", kwargs={"pk": item.pk})
    assert "Are you sure" in client.get(remove).content.decode()
    assert client.post(remove).status_code == 302
    assert not RoleProfileItem.objects.exists()


@pytest.mark.parametrize("role", [Role.MENTOR, Role.MANAGER, Role.PLANNER, Role.TRAINEE])
def test_other_roles_cannot_change_the_profile(client_as, world, frameworks, role):
    [item] = add_to_profile(world.programme, [frameworks.c(frameworks.national, "CC5")])
    client = client_as(role)
    add = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    posted = client.post(
        f"{add}?framework={frameworks.national.pk}",
        {"competencies": [frameworks.c(frameworks.national, "CC6").pk], "kind": "core"},
    )
    assert posted.status_code == 403
    edit = reverse("profiles:role_profile_item_edit", kwargs={"pk": item.pk})
    assert client.post(edit, {"kind": "role_specific", "target_level": "0"}).status_code == 403
    remove = reverse("profiles:role_profile_item_remove", kwargs={"pk": item.pk})
    assert client.post(remove).status_code == 403
    assert list(RoleProfileItem.objects.values_list("kind", "target_level")) == [("core", 1)]
    # ...but every member reads it.
    assert (
        client.get(
            reverse("profiles:role_profile", kwargs={"programme_pk": world.programme.pk})
        ).status_code
        == 200
    )


def test_the_outsider_gets_404(client_as, world, frameworks):
    [item] = add_to_profile(world.programme, [frameworks.c(frameworks.national, "CC5")])
    client = client_as("outsider")
    assert (
        client.get(
            reverse("profiles:role_profile", kwargs={"programme_pk": world.programme.pk})
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("profiles:role_profile_item_remove", kwargs={"pk": item.pk})
        ).status_code
        == 404
    )
    assert RoleProfileItem.objects.exists()


def test_a_partners_training_lead_reads_the_profile_but_cannot_change_it(
    client_as, world, frameworks
):
    partner_with(world.programme, world.other_organisation)
    [item] = add_to_profile(world.programme, [frameworks.c(frameworks.national, "CC5")])
    client = client_as("outsider")  # now the training lead of a partner
    assert (
        client.get(
            reverse("profiles:role_profile", kwargs={"programme_pk": world.programme.pk})
        ).status_code
        == 200
    )
    add = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    assert client.get(add).status_code == 403
    assert (
        client.post(
            reverse("profiles:role_profile_item_remove", kwargs={"pk": item.pk})
        ).status_code
        == 403
    )
    assert RoleProfileItem.objects.exists()


def test_the_service_refuses_no_competencies(world):
    profile = services.role_profile_get_or_create(world.programme)
    with pytest.raises(ValidationError, match="at least one"):
        services.role_profile_add(profile=profile, competencies=[], kind="core")


@pytest.mark.parametrize("query", ["?framework=abc", "?framework=", "?framework=99999"])
def test_a_framework_that_is_not_offered_is_an_error_on_the_form(client_as, world, query):
    url = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    response = client_as(Role.TRAINING_LEAD).get(url + query)
    assert response.status_code == 200
    assert response.context["pick"].errors


def test_nonsense_posted_is_shown_on_the_form(client_as, world, frameworks):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    without_framework = client.post(url, {"competencies": ["1"]})
    assert without_framework.status_code == 200
    assert "Choose a framework" in without_framework.content.decode()
    nonsense = client.post(
        f"{url}?framework={frameworks.national.pk}",
        {"competencies": ["abc"], "kind": "weird", "target_level": "x"},
    )
    assert nonsense.status_code == 200
    assert set(nonsense.context["form"].errors) == {"competencies", "kind", "target_level"}
    assert not RoleProfileItem.objects.exists()


def test_competencies_are_offered_in_collapsible_groups_by_standard(client_as, world, frameworks):
    from tests.evidence.factories import make_competency, make_framework

    framework = make_framework(short_name="Care Certificate (test)", taxonomies=["standard", "outcome"])
    standard = make_competency(framework, "Understand your role", id_number="S1", depth=1)
    parts = [make_competency(framework, f"Part {n}", id_number=f"S1.{n}", parent=standard, depth=2)
             for n in (1, 2, 3)]
    alone = [make_competency(framework, name, id_number=f"S{n}", depth=1)
             for n, name in ((2, "Duty of care"), (3, "Privacy and dignity"))]
    url = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    client = client_as(Role.TRAINING_LEAD)

    page = client.get(url, {"framework": framework.pk})

    [group, loose] = page.context["groups"]
    assert group["root"] == standard and [i["competency"] for i in group["items"]] == [standard, *parts]
    # Standards with nothing under them are gathered, with a tick of their own beside a group.
    assert loose["key"] == "loose" and [i["competency"] for i in loose["items"]] == alone
    assert loose["own_tick"]
    html = page.content.decode()
    assert html.count('data-testid="picker-group"') == 1
    # Each group's tick sits outside its details, so it is there while the group is closed.
    tick = html.index(f'name="groups" type="checkbox" value="{standard.pk}"')
    assert tick < html.index("<details", tick) and "All of S1 Understand your role" in html
    assert "All of the 2 standards below" in html
    assert "Select all in Care Certificate (test)" in html and "All 6 competencies listed below" in html
    assert "competency-picker.js" in html

    # A whole standard, as the select-all box ticks it, in one save.
    response = client.post(f"{url}?framework={framework.pk}", {
        "competencies": [standard.pk, *[p.pk for p in parts]], "kind": "core", "target_level": "",
    })
    assert response.status_code == 302
    assert world.programme.role_profile.items.count() == 4


def _care_certificate_and_ksf():
    from tests.evidence.factories import make_competency, make_framework

    care = make_framework(short_name="Care Certificate (test)")
    for n in range(1, 17):
        make_competency(care, f"Standard {n}", id_number=f"CC{n}", depth=1)
    ksf = make_framework(short_name="KSF (test)")
    for code in ("C1", "C2"):
        dimension = make_competency(ksf, f"Dimension {code}", id_number=code, depth=1)
        for level in range(1, 5):
            make_competency(ksf, f"{code} level {level}", id_number=f"{code}-L{level}", parent=dimension, depth=2)
    return care, ksf


def test_without_the_script_select_all_adds_the_whole_framework(client_as, world, frameworks):
    care, _ = _care_certificate_and_ksf()
    url = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    client = client_as(Role.TRAINING_LEAD)
    page = client.get(url, {"framework": care.pk})
    [loose] = page.context["groups"]
    assert not loose["own_tick"]  # alone in its framework, "Select all" is its tick
    assert 'name="groups"' not in page.content.decode()

    response = client.post(f"{url}?framework={care.pk}", {"everything": "on", "kind": "core"})

    assert response.status_code == 302
    ids = list(world.programme.role_profile.items.values_list("competency__id_number", flat=True))
    assert ids == [f"CC{n}" for n in range(1, 17)]  # in the framework's order


def test_without_the_script_a_whole_dimension_is_one_tick(client_as, world, frameworks):
    _, ksf = _care_certificate_and_ksf()
    url = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    client = client_as(Role.TRAINING_LEAD)
    c2 = next(g for g in client.get(url, {"framework": ksf.pk}).context["groups"] if g["root"].id_number == "C2")
    one_of_c1 = ksf.competencies.get(id_number="C1-L2")

    response = client.post(f"{url}?framework={ksf.pk}", {
        "groups": [c2["key"]], "competencies": [one_of_c1.pk], "kind": "role_specific",
    })

    assert response.status_code == 302
    ids = list(world.programme.role_profile.items.values_list("competency__id_number", flat=True))
    assert ids == ["C1-L2", "C2", "C2-L1", "C2-L2", "C2-L3", "C2-L4"]


def test_a_whole_group_leaves_out_what_the_profile_already_has(client_as, world, frameworks):
    _, ksf = _care_certificate_and_ksf()
    url = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    client = client_as(Role.TRAINING_LEAD)
    client.post(f"{url}?framework={ksf.pk}", {
        "competencies": [ksf.competencies.get(id_number="C1-L1").pk], "kind": "core"})
    page = client.get(url, {"framework": ksf.pk})
    c1 = page.context["groups"][0]
    assert [i["competency"].id_number for i in c1["items"]] == ["C1", "C1-L2", "C1-L3", "C1-L4"]

    response = client.post(f"{url}?framework={ksf.pk}", {"groups": [c1["key"]], "kind": "core"})

    assert response.status_code == 302
    assert world.programme.role_profile.items.count() == 5


def test_a_group_that_is_not_offered_is_an_error_beside_the_picker(client_as, world, frameworks):
    _, ksf = _care_certificate_and_ksf()
    url = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    response = client_as(Role.TRAINING_LEAD).post(
        f"{url}?framework={ksf.pk}", {"groups": ["99999"], "kind": "core"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select groups from the list" in html and 'href="#id_groups_0"' in html
    assert 'id="id_groups_0"' in html
    assert not RoleProfileItem.objects.exists()


def test_a_refused_pick_keeps_the_ticks_and_opens_their_group(client_as, world, frameworks):
    from tests.evidence.factories import make_competency, make_framework

    framework = make_framework(short_name="KSF (test)")
    dimension = make_competency(framework, "Communication", id_number="C1", depth=1)
    level = make_competency(framework, "Level 2", id_number="C1.2", parent=dimension, depth=2)
    url = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    response = client_as(Role.TRAINING_LEAD).post(
        f"{url}?framework={framework.pk}", {"competencies": [level.pk], "target_level": ""})
    assert response.status_code == 200
    [group] = response.context["groups"]
    assert group["any_checked"]
    assert f'value="{level.pk}" checked' in response.content.decode()
