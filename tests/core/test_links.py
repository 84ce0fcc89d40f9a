"""core.links: a list's links from one reversal per view must be exactly what reverse() says."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from core.links import url_with_pk, urls_with_pk


@pytest.mark.parametrize("pk", [1, 42, 987654321, 10**12])
def test_the_same_url_as_reverse(pk):
    assert url_with_pk("trainees:enrolment_detail", pk) == reverse("trainees:enrolment_detail", args=[pk])
    assert url_with_pk("evidence:portfolio", pk, kwarg="trainee_pk") == reverse(
        "evidence:portfolio", kwargs={"trainee_pk": pk}
    )


@pytest.mark.parametrize("pk", [1, 42, 10**12])
def test_a_list_s_urls_are_reverse_s(pk):
    assert urls_with_pk("trainees:enrolment_detail")(pk) == reverse("trainees:enrolment_detail", args=[pk])
    set_script_prefix("/ladder/")
    try:
        assert urls_with_pk("evidence:portfolio", kwarg="trainee_pk")(pk) == reverse(
            "evidence:portfolio", kwargs={"trainee_pk": pk}
        )
    finally:
        clear_script_prefix()


def test_the_script_prefix_of_the_request_is_kept():
    """Behind a proxy that mounts the site under a path, reverse() starts each URL with it."""
    set_script_prefix("/ladder/")
    try:
        url = url_with_pk("trainees:enrolment_detail", 5)
        assert url == reverse("trainees:enrolment_detail", args=[5]) and url.startswith("/ladder/")
    finally:
        clear_script_prefix()
    assert url_with_pk("trainees:enrolment_detail", 5) == reverse("trainees:enrolment_detail", args=[5])


def test_a_url_without_one_integer_argument_is_refused():
    with pytest.raises(Exception):  # noqa: B017 (reverse's NoReverseMatch or our ValueError)
        url_with_pk("dashboards:home", 5)
