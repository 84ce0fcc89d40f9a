"""Submitting and changing evidence through the services: what is checked, and how it says so."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from competencies.evidence import services
from competencies.models import Evidence, EvidenceComment

from .factories import docx, jpeg, make_competency, make_framework, odt, pdf, png, sign_off, submit, text


def messages_of(error: ValidationError, field: str) -> list[str]:
    return error.message_dict.get(field, [])


def test_a_trainee_submits_evidence_against_two_frameworks_with_a_pdf(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations, frameworks.escalation], files=[pdf("obs.pdf")])

    assert evidence.status == Evidence.Status.SUBMITTED
    assert evidence.submitted_by == world.trainee.user
    assert {c.framework_id for c in evidence.competencies.all()} == {frameworks.national.pk, frameworks.own.pk}
    stored = evidence.files.get()
    assert stored.original_name == "obs.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == stored.file.size
    # The stored name is random: nothing of the original name is on disk but its type.
    assert "obs" not in stored.file.name and stored.file.name.endswith(".pdf")
    with stored.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_fake_pdf_is_refused_by_its_contents(world, frameworks):
    fake = SimpleUploadedFile(
        "results.pdf", b"MZ\x90\x00\x03 this is a Windows program", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as caught:
        submit(world.trainee, [frameworks.observations], files=[fake])
    (message,) = messages_of(caught.value, "files")
    assert message.startswith("“results.pdf” is named like a PDF, but its contents are not a PDF.")
    assert "Upload a PDF, a photo (JPEG, PNG, or HEIC from an iPhone)" in message
    assert not Evidence.objects.exists()  # all or nothing


def test_an_unknown_binary_file_is_refused(world, frameworks):
    blob = SimpleUploadedFile("data.bin", bytes(range(256)))
    with pytest.raises(ValidationError) as caught:
        submit(world.trainee, [frameworks.observations], files=[blob])
    assert messages_of(caught.value, "files") == [
        "“data.bin” is not a type of file Ladder accepts. Upload a PDF, a photo (JPEG, PNG, or "
        "HEIC from an iPhone), a Word (.docx) or OpenDocument (.odt) document, or plain text."
    ]


def test_an_oversize_file_is_refused(world, frameworks):
    big = pdf("scan.pdf", size=10 * 1024 * 1024 + 1)
    with pytest.raises(ValidationError) as caught:
        submit(world.trainee, [frameworks.observations], files=[big])
    assert messages_of(caught.value, "files") == [
        "“scan.pdf” is too big: each file must be 10 MB or smaller, and this one is 10.1 MB."
    ]


def test_a_file_of_exactly_ten_megabytes_is_accepted(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations], files=[pdf("scan.pdf", size=10 * 1024 * 1024)])
    assert evidence.files.get().size == 10 * 1024 * 1024


def test_at_most_five_files(world, frameworks):
    with pytest.raises(ValidationError) as caught:
        submit(world.trainee, [frameworks.observations], files=[pdf(f"p{i}.pdf") for i in range(6)])
    assert messages_of(caught.value, "files")[0].startswith("Attach at most 5 files to one piece of evidence")


def test_an_empty_file_is_refused(world, frameworks):
    with pytest.raises(ValidationError) as caught:
        submit(world.trainee, [frameworks.observations], files=[SimpleUploadedFile("empty.txt", b"")])
    assert messages_of(caught.value, "files") == ["“empty.txt” is empty. Choose the file again."]


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [
        (png(), "image/png"),
        (jpeg("photo.jpg"), "image/jpeg"),
        (docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (odt(), "application/vnd.oasis.opendocument.text"),
        (text(), "text/plain; charset=utf-8"),
    ],
    ids=["png", "jpeg", "docx", "odt", "text"],
)
def test_each_accepted_type_is_found_from_its_contents(world, frameworks, upload, content_type):
    evidence = submit(world.trainee, [frameworks.observations], files=[upload])
    assert evidence.files.get().content_type == content_type


def test_a_zip_that_is_not_a_document_is_refused(world, frameworks):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(ValidationError) as caught:
        submit(world.trainee, [frameworks.observations], files=[SimpleUploadedFile("essay.docx", buffer.getvalue())])
    [message] = messages_of(caught.value, "files")[:1]
    assert "named like a Word document, but its contents are not a Word document" in message


def test_a_name_that_disagrees_with_the_contents_is_refused(world, frameworks):
    # A real PNG, or text, named .pdf: people open downloads by their name, so it must not lie.
    for upload in (png("scan.pdf"), text("fake.pdf", "not really a PDF")):
        with pytest.raises(ValidationError) as caught:
            submit(world.trainee, [frameworks.observations], files=[upload])
        assert "is named like a PDF, but its contents are not a PDF" in messages_of(caught.value, "files")[0]


def test_a_file_without_a_known_extension_is_named_for_its_contents(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations], files=[png("scan")])
    stored = evidence.files.get()
    assert (stored.original_name, stored.content_type) == ("scan.png", "image/png")
    assert stored.file.name.endswith(".png")


def test_every_problem_is_reported_at_once(world, frameworks):
    with pytest.raises(ValidationError) as caught:
        services.evidence_submit(
            trainee=world.trainee, actor=world.trainee.user, title=" ", kind="gossip",
            occurred_on=timezone.localdate() + timedelta(days=1), description="",
            competencies=[], files=[SimpleUploadedFile("x.pdf", b"nope")],
        )
    errors = caught.value.message_dict
    assert set(errors) == {"title", "kind", "occurred_on", "description", "competencies", "files"}
    assert errors["occurred_on"] == ["The date of the evidence must be today or in the past."]
    assert errors["competencies"] == ["Choose at least one competency this evidence shows."]


def test_competencies_of_another_organisations_framework_are_refused(world, frameworks):
    theirs = make_competency(make_framework(organisation=world.other_organisation), "Their own")
    with pytest.raises(ValidationError) as caught:
        submit(world.trainee, [frameworks.observations, theirs])
    assert messages_of(caught.value, "competencies") == [
        "Choose competencies from the frameworks your organisation uses."
    ]


def test_changing_returned_evidence_resubmits_it_and_says_so_in_the_thread(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations], files=[pdf("one.pdf")])
    evidence = services.evidence_return(
        evidence=evidence, assessor=world.trainee.mentor, comment="Add the NEWS2 score."
    )
    first_file = evidence.files.get()

    changed = services.evidence_update(
        evidence=evidence, actor=world.trainee.user, title="Observations with NEWS2", kind="observation",
        occurred_on=date(2026, 3, 2), description="Now with the score.",
        competencies=[frameworks.observations, frameworks.escalation], files=[text("news2.txt")],
        remove_files=[first_file.pk], note="I added the score.", expected_version=evidence.version,
    )

    assert changed.status == Evidence.Status.SUBMITTED
    assert changed.title == "Observations with NEWS2"
    assert set(changed.claims.values_list("competency_id", flat=True)) == {
        frameworks.observations.pk, frameworks.escalation.pk
    }
    assert [f.original_name for f in changed.files.all()] == ["news2.txt"]
    thread = list(changed.comments.values_list("kind", "text"))
    assert thread == [
        (EvidenceComment.Kind.RETURNED, "Add the NEWS2 score."),
        (EvidenceComment.Kind.REPLY, "Resubmitted for assessment.\n\nI added the score."),
    ]


def test_signed_off_evidence_cannot_be_changed(world, frameworks):
    evidence = sign_off(submit(world.trainee, [frameworks.observations]), {frameworks.observations.pk: 1})
    with pytest.raises(ValidationError, match="Signed-off evidence cannot be changed"):
        services.evidence_update(
            evidence=evidence, actor=world.trainee.user, title="x", kind="observation",
            occurred_on=date(2026, 3, 2), description="x", competencies=[frameworks.observations],
        )


def test_a_stale_change_is_refused(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations])
    read_version = evidence.version
    services.evidence_update(
        evidence=evidence, actor=world.trainee.user, title="First change", kind="observation",
        occurred_on=date(2026, 3, 2), description="x", competencies=[frameworks.observations],
        expected_version=read_version,
    )
    with pytest.raises(services.StaleEdit, match="Someone else changed this evidence"):
        services.evidence_update(
            evidence=evidence, actor=world.trainee.user, title="Second change", kind="observation",
            occurred_on=date(2026, 3, 2), description="x", competencies=[frameworks.observations],
            expected_version=read_version,
        )
    evidence.refresh_from_db()
    assert evidence.title == "First change"


def test_adding_files_beyond_five_in_all_is_refused_on_change(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations], files=[pdf(f"p{i}.pdf") for i in range(4)])
    with pytest.raises(ValidationError) as caught:
        services.evidence_update(
            evidence=evidence, actor=world.trainee.user, title="x", kind="observation",
            occurred_on=date(2026, 3, 2), description="x", competencies=[frameworks.observations],
            files=[pdf("a.pdf"), pdf("b.pdf")],
        )
    assert "(this would make 6)" in caught.value.message_dict["files"][0]
