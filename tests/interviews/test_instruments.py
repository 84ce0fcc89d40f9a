"""Ready-made instruments, and changing one: a new version once it has answers."""

from __future__ import annotations

from datetime import date

import pytest

from evaluations.interviews import services
from evaluations.interviews.instruments import (
    MANAGER,
    READY_MADE,
    TRAINEE_MIDWAY,
    TRAINEE_START,
    ensure_ready_made_instruments,
)
from evaluations.interviews.selectors import answered_questions
from evaluations.models import Answer, Instrument, Question
from programmes.models import Role


def _questions_of(instrument) -> list[dict]:
    return [
        {"key": q.key, "text": q.text, "kind": q.kind, "help_text": q.help_text,
         "scale_low_label": q.scale_low_label, "scale_high_label": q.scale_high_label,
         "choices": q.choices, "required": q.required}
        for q in instrument.questions.order_by("order")
    ]


def test_ready_made_instruments_are_given_once_per_organisation(world):
    first = ensure_ready_made_instruments(world.organisation)
    again = ensure_ready_made_instruments(world.organisation)
    assert set(first) == {r.family for r in READY_MADE}
    assert {k: v.pk for k, v in first.items()} == {k: v.pk for k, v in again.items()}
    assert Instrument.objects.filter(organisation=world.organisation).count() == len(READY_MADE)
    # Another organisation gets its own copies.
    ensure_ready_made_instruments(world.other_organisation)
    assert Instrument.objects.filter(organisation=world.other_organisation).count() == len(READY_MADE)


def test_ready_made_instruments_ask_what_account_003_asked(world):
    instruments = ensure_ready_made_instruments(world.organisation)
    start = {q.key: q for q in instruments[TRAINEE_START].questions.all()}
    assert {"background", "why_applied", "feels_so_far"} <= set(start)
    manager = {q.key for q in instruments[MANAGER].questions.all()}
    assert {"expectations", "experience", "impact_on_service", "cover_difficulty"} <= manager
    kinds = {q.kind for i in instruments.values() for q in i.questions.all()}
    assert kinds == set(Question.Kind.values)  # a mix of every kind


def test_checking_ready_made_instruments_costs_one_query_once_they_exist(world, django_assert_num_queries):
    ensure_ready_made_instruments(world.organisation)
    with django_assert_num_queries(1):
        ensure_ready_made_instruments(world.organisation)


def test_changing_an_unanswered_instrument_edits_it_in_place(world, lead):
    instrument = ensure_ready_made_instruments(world.organisation)[TRAINEE_MIDWAY]
    questions = _questions_of(instrument)
    questions[0]["text"] = "What has gone well?"
    del questions[1]  # removed
    questions.append({"text": "Anything else?", "kind": "text"})  # added
    saved = services.instrument_update(instrument=instrument, actor=lead, name="Mid-way", questions=questions)
    assert saved.pk == instrument.pk and saved.version == 1
    assert [q.text for q in saved.questions.order_by("order")][0] == "What has gone well?"
    assert saved.questions.filter(key="anything_else").exists()
    assert not saved.questions.filter(key="difficulties").exists()
    assert saved.questions.count() == len(questions)


def test_saving_without_changes_makes_no_new_version(world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    interview = midway.interviews.get(subject="trainee")
    services.interview_save(interview=interview, actor=lead, answers={"going_well": "Good"})
    instrument = interview.instrument
    saved = services.instrument_update(
        instrument=instrument, actor=lead, name=instrument.name, questions=_questions_of(instrument)
    )
    assert saved.pk == instrument.pk


def test_changing_a_question_after_answers_exist_keeps_the_answers_with_the_question_as_asked(
    world, lead, midway
):
    services.stage_open(stage=midway, actor=lead)
    interview = midway.interviews.get(subject="trainee")
    services.interview_save(
        interview=interview, actor=lead, complete=True, held_on=date(2026, 7, 1),
        answers={"going_well": "Learning physical observations", "study_time_received": "no",
                 "confidence_mid": 4},
    )
    old = interview.instrument
    asked = old.questions.get(key="going_well").text

    questions = _questions_of(old)
    questions[0]["text"] = "What is going well on the ward?"
    questions[0]["required"] = False
    new = services.instrument_update(instrument=old, actor=lead, name=old.name, questions=questions)

    old.refresh_from_db()
    assert new.pk != old.pk and new.version == 2 and new.is_current and not old.is_current
    assert new.family == old.family
    assert new.questions.get(key="going_well").text == "What is going well on the ward?"
    # The answered interview keeps its version; its answers read with the question as asked.
    interview.refresh_from_db()
    assert interview.instrument_id == old.pk
    shown = {item.question.key: (item.question.text, item.display) for item in answered_questions(interview)}
    assert shown["going_well"] == (asked, "Learning physical observations")
    assert shown["study_time_received"][1] == "No"
    assert Answer.objects.get(interview=interview, question__key="going_well").question.text == asked
    # Stages still to come switch to the new version.
    midway.refresh_from_db()
    assert midway.trainee_instrument_id == new.pk


def test_an_old_version_cannot_be_changed(world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    interview = midway.interviews.get(subject="trainee")
    services.interview_save(interview=interview, actor=lead, answers={"going_well": "Yes"})
    old = interview.instrument
    services.instrument_update(instrument=old, actor=lead, name="Renamed", questions=_questions_of(old))
    with pytest.raises(services.ValidationError):
        services.instrument_update(instrument=old, actor=lead, name="Again", questions=_questions_of(old))


@pytest.mark.parametrize("bad, message", [
    ([], "at least one question"),
    ([{"text": "", "kind": "text"}], "enter the question"),
    ([{"text": "Pick", "kind": "choice", "choices": ["Only one"]}], "at least two choices"),
])
def test_bad_questions_are_refused_with_a_reason(world, lead, bad, message):
    instrument = ensure_ready_made_instruments(world.organisation)[TRAINEE_START]
    with pytest.raises(services.ValidationError) as error:
        services.instrument_update(instrument=instrument, actor=lead, name="X", questions=bad)
    assert message in " ".join(error.value.messages)


# --- Pages ---------------------------------------------------------------------------------------

def _formset_post(instrument, questions: list[dict], extra: int = 2, name: str | None = None) -> dict:
    data = {
        "name": name or instrument.name, "description": instrument.description,
        "questions-TOTAL_FORMS": str(len(questions) + extra),
        "questions-INITIAL_FORMS": str(instrument.questions.count()),
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
    }
    for i, q in enumerate(questions):
        prefix = f"questions-{i}-"
        data.update({
            prefix + "key": q.get("key", ""), prefix + "text": q["text"], prefix + "kind": q["kind"],
            prefix + "help_text": q.get("help_text", ""),
            prefix + "scale_low_label": q.get("scale_low_label", ""),
            prefix + "scale_high_label": q.get("scale_high_label", ""),
            prefix + "choices": "\n".join(q.get("choices") or []),
            prefix + "ORDER": str(q.get("order", i + 1)),
        })
        if q.get("required"):
            data[prefix + "required"] = "on"
        if q.get("delete"):
            data[prefix + "DELETE"] = "on"
    for i in range(len(questions), len(questions) + extra):
        data[f"questions-{i}-kind"] = "text"
    return data


def test_a_lead_adds_removes_and_reorders_questions_on_the_page(client_as, world):
    instrument = ensure_ready_made_instruments(world.organisation)[TRAINEE_START]
    client = client_as(Role.TRAINING_LEAD)
    page = client.get(f"/instruments/{instrument.pk}/edit/")
    assert page.status_code == 200
    assert "Why did you apply for the trainee post?" in page.content.decode()

    questions = _questions_of(instrument)
    questions[0]["delete"] = True  # background
    questions[1]["order"] = 99  # years_in_care to the end
    questions.append({"text": "What do your family think?", "kind": "choice",
                      "choices": ["Supportive", "Worried"], "order": 50})
    response = client.post(f"/instruments/{instrument.pk}/edit/", _formset_post(instrument, questions))
    assert response.status_code == 302, response.content.decode()
    keys = list(instrument.questions.order_by("order").values_list("key", flat=True))
    assert "background" not in keys
    assert keys[-2:] == ["what_do_your_family_think", "years_in_care"]


def test_the_question_form_says_what_is_wrong(client_as, world):
    instrument = ensure_ready_made_instruments(world.organisation)[TRAINEE_START]
    questions = _questions_of(instrument)
    questions[0]["kind"] = "choice"
    questions[0]["choices"] = ["Just one"]
    response = client_as(Role.TRAINING_LEAD).post(
        f"/instruments/{instrument.pk}/edit/", _formset_post(instrument, questions)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter at least two options, one a line." in body
    assert "nhsuk-error-summary" in body


def test_a_broken_formset_post_is_a_message_not_a_500(client_as, world):
    instrument = ensure_ready_made_instruments(world.organisation)[TRAINEE_START]
    response = client_as(Role.TRAINING_LEAD).post(f"/instruments/{instrument.pk}/edit/", {"name": "X"})
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()


def test_a_planner_reads_instruments_but_cannot_change_them(client_as, world):
    instrument = ensure_ready_made_instruments(world.organisation)[TRAINEE_START]
    client = client_as(Role.PLANNER)
    assert client.get("/instruments/").status_code == 200
    assert client.get(f"/instruments/{instrument.pk}/").status_code == 200
    assert client.post(f"/instruments/{instrument.pk}/edit/", {}).status_code == 403


def test_the_instrument_page_lists_its_versions(client_as, world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    interview = midway.interviews.get(subject="trainee")
    services.interview_save(interview=interview, actor=lead, answers={"going_well": "Yes"})
    old = interview.instrument
    new = services.instrument_update(instrument=old, actor=lead, name="Mid-way v2", questions=_questions_of(old))
    body = client_as(Role.TRAINING_LEAD).get(f"/instruments/{old.pk}/").content.decode()
    assert "an earlier version" in body
    assert f"/instruments/{new.pk}/" in body
