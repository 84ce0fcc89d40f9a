"""Framework import takes what Moodle's importer takes, saying where Ladder had to interpret
(a scale configuration naming a value beyond its scale), and refuses absurd nesting (a tree
thousands deep, a scale configuration's JSON nested tens of thousands deep) with a reason that
names the line: in the command, on the browser's form and in the API. The files are generated
here."""

from __future__ import annotations

import os
import subprocess  # nosec B404 - runs manage.py
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from competencies.frameworks import moodle_csv
from competencies.models import Competency, Framework
from programmes.models import Role

from .helpers import competency_row, csv_file, row_counts

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def framework_row(scale_values: str, scale_config: str) -> str:
    config = scale_config.replace('"', '""')
    return f',FW,Framework,,1,"{scale_values}","{config}",,,,,,1,domain'


BEYOND = framework_row(
    "Not yet competent,Competent",
    '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},'
    '{"id":2,"scaledefault":0,"proficient":1},{"id":3,"scaledefault":0,"proficient":1}]',
)
ONLY_BEYOND = framework_row(
    "Low,High",
    '[{"scaleid":"5"},{"id":4,"scaledefault":1,"proficient":0},{"id":5,"proficient":1}]',
)


def deep_tree(depth: int) -> str:
    """A framework row, then a chain of ``depth`` competencies, each the child of the one above
    (the first competency is on line 3, the one at depth n on line n + 2)."""
    rows = [competency_row("L1")]
    rows += [competency_row(f"L{n}", parent=f"L{n - 1}") for n in range(2, depth + 1)]
    return csv_file(BEYOND.replace(',{""id"":3,""scaledefault"":0,""proficient"":1}', ""), *rows)


def deep_scale_configuration(depth: int) -> str:
    nested = "[" * depth + "]" * depth
    return csv_file(framework_row("Not yet competent,Competent", nested), competency_row("A"))


def upload(client, text: str):
    return client.post(
        reverse("frameworks:import"),
        {
            "file": SimpleUploadedFile("framework.csv", text.encode(), "text/csv"),
            "encoding": "utf-8",
            "delimiter": "comma",
        },
    )


def command(path) -> tuple[int, str, str]:
    """Runs the command in this process: (exit status manage.py would give, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_framework", str(path), stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def manage_py(*args) -> subprocess.CompletedProcess:
    """Runs ``manage.py`` as a person would, against the test database."""
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )


# --- A scale configuration beyond its scale: imported, ignored and reported --------------------


def test_a_scale_configuration_entry_beyond_the_scale_is_ignored_with_a_warning_naming_the_line():
    parsed = moodle_csv.read_framework(csv_file(BEYOND, competency_row("A")))

    assert parsed.framework.scale.values == ("Not yet competent", "Competent")
    assert [item.id for item in parsed.framework.scale.configuration] == [1, 2]
    assert parsed.framework.scale.proficient_values == ("Competent",)
    [warning] = parsed.warnings
    assert warning.line == 2
    assert "refers to value 3, but the scale has 2 values" in warning.message
    assert "ignored" in warning.message


def test_a_default_and_proficient_named_only_beyond_the_scale_are_interpreted_and_reported():
    # Moodle checks only that some entry is the default and some proficient, so it takes this.
    parsed = moodle_csv.read_framework(csv_file(ONLY_BEYOND, competency_row("A")))

    scale = parsed.framework.scale
    assert (scale.default_value, scale.proficient_values) == ("Low", ("High",))
    messages = [w.message for w in parsed.warnings]
    assert [w.line for w in parsed.warnings] == [2, 2, 2, 2]
    assert "takes the first value, 'Low', as the default" in messages[2]
    assert "takes the last value, 'High', as proficient" in messages[3]


def test_the_command_imports_it_and_prints_the_warning(world, tmp_path):
    path = tmp_path / "beyond.csv"
    path.write_text(csv_file(BEYOND, competency_row("A"), competency_row("B", parent="A")))

    status, out, err = command(path)

    assert status == 0
    assert "Imported Framework (FW): 2 competencies" in out
    assert "Warning: Line 2: Scale configuration (column 7) refers to value 3" in err
    framework = Framework.objects.get(id_number="FW")
    assert framework.scale.names == ["Not yet competent", "Competent"]
    assert [level["proficient"] for level in framework.scale.levels] == [False, True]


def test_the_browser_preview_shows_the_warning_and_the_import_goes_through(client_as):
    client = client_as(Role.TRAINING_LEAD)
    response = upload(client, csv_file(BEYOND, competency_row("A")))
    assert response.status_code == 302, response.content.decode()[:2000]

    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "refers to value 3, but the scale has 2 values" in preview.content.decode()

    done = client.post(response["Location"], {"confirm": "1"})
    assert done.status_code == 302
    assert Framework.objects.filter(id_number="FW", organisation__slug="acme").exists()


def test_the_api_imports_it_and_answers_with_the_warning(api_as):
    text = csv_file(BEYOND, competency_row("A"))
    upload_file = SimpleUploadedFile("beyond.csv", text.encode(), "text/csv")

    response = api_as(Role.TRAINING_LEAD).post(
        "/api/v1/frameworks/import/", {"file": upload_file}, format="multipart"
    )

    assert response.status_code == 201, response.content
    assert response.json()["competency_count"] == 1
    [warning] = response.json()["warnings"]
    assert warning.startswith("Line 2: Scale configuration (column 7) refers to value 3")


# --- Absurd nesting: refused with the line, nothing imported -----------------------------------


def test_a_tree_at_the_limit_imports_and_its_page_renders(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    preview_url = upload(client, deep_tree(moodle_csv.MAX_DEPTH))["Location"]
    client.post(preview_url, {"confirm": "1"})
    framework = Framework.objects.get(id_number="FW")
    assert framework.competencies.order_by("-depth").first().depth == moodle_csv.MAX_DEPTH

    page = client.get(reverse("frameworks:detail", args=[framework.pk]))

    assert page.status_code == 200
    assert f"Name L{moodle_csv.MAX_DEPTH}" in page.content.decode()


def test_a_tree_3000_deep_is_refused_by_the_reader_naming_the_first_line_past_the_limit():
    with pytest.raises(moodle_csv.MoodleCsvError) as caught:
        moodle_csv.read_framework(deep_tree(3000))

    [problem] = caught.value.problems
    # L51 is at depth 51, on line 53.
    assert problem.line == moodle_csv.MAX_DEPTH + 3
    assert f"'L{moodle_csv.MAX_DEPTH + 1}' is nested {moodle_csv.MAX_DEPTH + 1} levels deep" in (
        problem.message
    )
    assert "the deepest in the file is 3000" in problem.message


def test_the_command_refuses_a_3000_deep_tree_with_exit_1_and_no_traceback(world, tmp_path):
    path = tmp_path / "deep.csv"
    path.write_text(deep_tree(3000))
    before = row_counts()

    result = manage_py("import_framework", str(path))

    assert result.returncode == 1, result.stderr
    assert "Line 53: Competency 'L51' is nested 51 levels deep" in result.stderr
    assert "Nothing was imported: 1 problem." in result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    assert row_counts() == before


def test_the_browser_form_shows_why_a_3000_deep_tree_is_refused(client_as):
    response = upload(client_as(Role.TRAINING_LEAD), deep_tree(3000))

    assert response.status_code == 200
    assert response.context["problems"] == [
        (
            53,
            "Competency 'L51' is nested 51 levels deep (the deepest in the file is 3000); "
            "Ladder takes frameworks at most 50 levels deep.",
        )
    ]
    assert "nothing was imported" in response.content.decode()
    assert not Framework.objects.filter(id_number="FW").exists()


def test_the_api_answers_400_with_why_a_3000_deep_tree_is_refused(api_as):
    upload_file = SimpleUploadedFile("deep.csv", deep_tree(3000).encode(), "text/csv")

    response = api_as(Role.TRAINING_LEAD).post(
        "/api/v1/frameworks/import/", {"file": upload_file}, format="multipart"
    )

    assert response.status_code == 400
    [reason] = response.json()["file"]
    assert reason.startswith("Line 53: Competency 'L51' is nested 51 levels deep")
    assert not Competency.objects.filter(framework__id_number="FW").exists()


def test_a_scale_configuration_nested_50000_deep_is_refused_naming_its_line():
    with pytest.raises(moodle_csv.MoodleCsvError) as caught:
        moodle_csv.read_framework(deep_scale_configuration(50_000))

    [problem] = caught.value.problems
    assert problem.line == 2
    assert "Scale configuration (column 7) nests 50000 levels deep" in problem.message


def test_brackets_inside_json_strings_do_not_count_as_nesting():
    text = csv_file(
        framework_row(
            "Not yet competent,Competent",
            '[{"scaleid":"' + "[" * 100 + '"},{"id":1,"scaledefault":1},{"id":2,"proficient":1}]',
        ),
        competency_row("A"),
    )

    assert moodle_csv.read_framework(text).framework.scale.moodle_scale_id == "[" * 100


def test_the_command_refuses_a_50000_deep_scale_configuration_with_exit_1(world, tmp_path):
    path = tmp_path / "deep-scale.csv"
    path.write_text(deep_scale_configuration(50_000))

    status, _, err = command(path)

    assert status == 1
    assert "Line 2: Scale configuration (column 7) nests 50000 levels deep" in err
    assert "Traceback" not in err
    assert not Framework.objects.filter(id_number="FW").exists()


def test_the_browser_form_shows_why_a_50000_deep_scale_configuration_is_refused(client_as):
    response = upload(client_as(Role.TRAINING_LEAD), deep_scale_configuration(50_000))

    assert response.status_code == 200
    [(line, message)] = response.context["problems"]
    assert line == 2 and "nests 50000 levels deep" in message
    assert "nests 50000 levels deep" in response.content.decode()


def test_the_api_answers_400_with_why_a_50000_deep_scale_configuration_is_refused(api_as):
    upload_file = SimpleUploadedFile(
        "deep.csv", deep_scale_configuration(50_000).encode(), "text/csv"
    )

    response = api_as(Role.TRAINING_LEAD).post(
        "/api/v1/frameworks/import/", {"file": upload_file}, format="multipart"
    )

    assert response.status_code == 400
    [reason] = response.json()["file"]
    assert reason.startswith("Line 2: Scale configuration (column 7) nests 50000 levels deep")


def test_a_deeply_nested_points_rule_config_is_refused_too():
    rule = "core_competency\\competency_rule_points"
    row = competency_row("A").split(",")
    row[7], row[9] = rule, '"' + "[" * 50_000 + "]" * 50_000 + '"'
    text = csv_file(BEYOND, ",".join(row))

    with pytest.raises(moodle_csv.MoodleCsvError) as caught:
        moodle_csv.read_framework(text)

    assert [(p.line, "nests 50000 levels deep" in p.message) for p in caught.value.problems] == [
        (3, True)
    ]
