"""make bench, at tiny sizes, so it cannot rot: everything it measures except the load test
(which starts gunicorn and is only run by make bench)."""

from __future__ import annotations

import json

import pytest
from django.test.utils import override_settings
from django.urls import reverse

from bench.database import bench_database_url
from bench.load import LoadResult
from bench.measure import IMPORT_RUNS, ImportTiming, PageTiming, measure_pages
from bench.national import filler_sizes, load_seeded, seed_resumable
from bench.pages import PAGES, Page
from bench.run import as_json, collect, format_results, table
from bench.seed import LARGE, SMALL, Size, seed
from bench.urls import BASE_PATH
from competencies.models import Evidence, EvidenceClaim, RoleProfileItem
from evaluations.models import Coding, Interview
from people.models import Invitation
from programmes.models import Cohort, Organisation, Role
from trainees.models import ContractSignature, Enrolment, StudySession, Trainee

pytestmark = pytest.mark.django_db

# 3 trainees against 9 (with twice the competencies, more evidence each, more programmes and
# three times the managers, mentors and leads): every page must cost the same queries at both.
TINY = Size("tiny", cohorts=((2, 1),), competencies=6, evidence_per_trainee=3)
BIGGER = Size("bigger", cohorts=((5, 2), (2,)), competencies=12, evidence_per_trainee=4,
              trainees_per_helper=3)


def test_the_sizes_are_the_ones_issue_8_asks_for():
    assert (len(SMALL.cohorts), SMALL.cohort_count, SMALL.trainees) == (1, 2, 40)
    assert (len(LARGE.cohorts), LARGE.cohort_count, LARGE.trainees) == (10, 50, 2000)
    assert LARGE.competencies == 60 and LARGE.evidence_per_trainee == 20
    assert max(max(p) for p in LARGE.cohorts) == 200  # the matrix of issue 4: 200 x 60
    assert (40,) * 10 in LARGE.cohorts  # the case study of issue 6: 10 cohorts of 40


def test_seeded_data_gives_every_page_real_content(client):
    seeded = seed(BIGGER)
    featured = seeded.featured_cohort
    assert Enrolment.objects.filter(cohort=featured).count() == 5
    trainees = Enrolment.objects.filter(cohort__programme__organisation=seeded.organisation).count()
    assert trainees == 9
    assert Evidence.objects.filter(trainee__organisation=seeded.organisation).count() == 9 * 4
    assert EvidenceClaim.objects.filter(evidence__status="signed_off").exists()
    assert RoleProfileItem.objects.filter(profile__programme=seeded.featured_programme).count() == 12
    assert ContractSignature.objects.filter(contract__enrolment__cohort=featured).exists()
    assert StudySession.objects.filter(enrolment__cohort=featured, outcome="lost").exists()
    assert Coding.objects.filter(answer__interview__stage__cohort=featured).exists()
    assert Interview.objects.filter(responsible=seeded.people[Role.MANAGER], status="due").exists()

    client.force_login(seeded.people[Role.TRAINING_LEAD])
    matrix = client.get(reverse("evidence:matrix", args=[featured.pk]))
    assert len(matrix.context["matrix"].rows) == 5 and len(matrix.context["matrix"].columns) == 12
    assert '<td class="ladder-matrix__cell--met">' in matrix.content.decode()  # a target met
    client.force_login(seeded.people[Role.MENTOR])
    assert client.get(reverse("dashboards:home")).context["due_items"]  # evidence to assess


def test_a_page_is_divided_by_the_baselines_timed_beside_it_not_by_the_whole_run():
    # The whole run's base median is 2 ms, but while this page was timed the machine was busier
    # and the base view took 4 ms beside it: the page costs 3 times the base view, not 6.
    page = PageTiming("Cohort page", Role.TRAINING_LEAD, "/cohorts/1/", status=200, median_ms=12.0,
                      bare_ms=3.0, base_ms=4.0, repeat_ms=6.0, repeat_base_ms=3.0)
    assert (page.x_base, page.x_bare, page.repeat_x_base) == (3.0, 4.0, 2.0)
    unmeasured = PageTiming("Not built yet", Role.TRAINING_LEAD, None, status=404)
    assert (unmeasured.x_base, unmeasured.x_bare, unmeasured.repeat_x_base) == (None, None, None)


def test_a_page_whose_url_does_not_resolve_is_reported_not_failed(monkeypatch):
    seeded = seed(TINY)
    monkeypatch.setattr("bench.measure.PAGES", (
        Page("Not built yet", "/no/such/page/", Role.TRAINING_LEAD),
        Page("Nor this", "nosuch:name", Role.TRAINING_LEAD),
    ))
    with override_settings(ROOT_URLCONF="bench.urls"):
        baseline, base, pages = measure_pages(seeded, repeats=1)
    assert baseline.measured and baseline.queries > 0
    assert base.measured and base.median_ms > 0
    assert [(p.path, p.queries) for p in pages] == [(None, None), (None, None)]


@pytest.mark.django_db(transaction=True)  # fragments are cached only outside a transaction
@pytest.mark.usefixtures("fragments_cached")
def test_the_benchmark_measures_every_page_with_equal_query_counts_at_two_sizes():
    results = collect([TINY, BIGGER], repeats=1, import_rows=12, demo=False)

    assert results.query_mismatches() == []
    assert results.unmeasured() == []
    for size in results.sizes:
        assert size.baseline.measured and size.baseline.median_ms > 0
        assert size.base.measured and size.base.median_ms > 0
        for page, timing in zip(PAGES, size.pages, strict=True):
            # Every page measured (the API row only once its URL exists).
            assert timing.measured or (timing.path is None and page.url.startswith("/"))
            if timing.measured:
                assert timing.queries > size.baseline.queries  # the page's own queries on top
                # Divided by the baselines timed beside it, one after each of its requests.
                assert timing.base_ms > 0 and timing.bare_ms > 0 and timing.repeat_base_ms > 0
                assert timing.x_base == timing.median_ms / timing.base_ms
                # A repeat visit: a home page's body comes from the cache (the version read, the
                # drafts list not even that); the other pages do the same work again.
                if page.url == "dashboards:home":
                    assert timing.repeat_queries <= size.baseline.queries + 1 < timing.queries
                else:
                    assert timing.repeat_queries == timing.queries
        assert size.case_study.pages >= 1 and size.case_study.queries > 0
    assert [r.case_study.trainees for r in results.sizes] == [3, 7]  # its programme's trainees
    assert results.enrolment_import.rows == 12 and results.enrolment_import.write_rate > 0
    # Timed three times, each import new trainees (numbers and emails of their own, each
    # invited) into a new cohort: the figure is the median's.
    assert results.enrolment_import.runs == IMPORT_RUNS == 3
    cohorts = Cohort.objects.filter(name="Imported cohort")
    assert [Enrolment.objects.filter(cohort=cohort).count() for cohort in cohorts] == [12] * 3
    imported = Trainee.objects.filter(employee_number__startswith="IMP")
    assert imported.count() == len({t.email for t in imported}) == 36
    assert Invitation.objects.filter(trainee__in=imported).count() == 36

    text = format_results(results)
    assert "queries tiny" in text and "queries bigger" in text
    for page in PAGES:
        assert page.label in text
    assert "Query counts identical at both sizes: yes" in text
    assert "Baseline: bare Django view" in text and "CSV enrolment import" in text
    assert "Baseline: base template view" in text and "× base bigger" in text

    # The JSON of issue 15, exactly: nothing more, nothing less, every figure a number.
    results.load = [LoadResult("/", 1.0, 2, 2, 10, 0, 5.0, 9.0), LoadResult(BASE_PATH, 1.0, 2, 2, 20, 0, 2.0, 4.0)]
    data = json.loads(json.dumps(as_json(results)))
    assert set(data) == {"pages", "load", "import", "case_study"}
    assert [p["name"] for p in data["pages"]] == [p.label for p in PAGES]
    for page in data["pages"]:
        assert set(page) == {"name", "queries", "ms", "x_base", "repeat_visit"}
        assert set(page["repeat_visit"]) == {"queries", "ms", "x_base"}
        for key in ("queries", "ms", "x_base"):
            assert set(page[key]) == {"tiny", "bigger"}
            numbers = all(isinstance(v, (int, float)) and v > 0 for v in page[key].values())
            assert numbers or page["name"].startswith("API")  # the API row only once its URL exists
    assert [p["x_base"]["bigger"] for p in data["pages"]] == [
        round(t.x_base, 2) if t.measured else None for t in results.sizes[-1].pages]
    assert data["load"] == {"page_rps": 10.0, "base_rps": 20.0, "p50_ms": 5.0, "p99_ms": 9.0}
    assert data["import"]["rows"] == 12 and data["import"]["write_rows_per_s"] > 0
    assert set(data["import"]) == {"rows", "write_rows_per_s"}
    assert [set(c) for c in data["case_study"]] == [{"name", "gathering_share"}] * 2
    assert all(0 < c["gathering_share"] < 1 for c in data["case_study"])


def test_the_import_figure_is_the_median_of_the_imports(monkeypatch):
    import bench.measure as measure

    timings = iter([ImportTiming(10, 0.1, 1.1), ImportTiming(10, 0.1, 0.6), ImportTiming(10, 0.1, 2.1)])
    monkeypatch.setattr(measure, "_import_once", lambda seeded, rows: next(timings))
    median = measure.measure_import(None, rows=10)
    assert (median.write_rate, median.runs) == (pytest.approx(10.0), 3)  # 1.0 s, between 0.5 s and 2.0 s


def test_the_base_view_renders_the_base_template(client):
    seeded = seed(TINY)
    client.force_login(seeded.people[Role.TRAINING_LEAD])
    with override_settings(ROOT_URLCONF="bench.urls"):
        response = client.get(BASE_PATH)
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
    assert "nhsuk-header" in response.content.decode()


def test_national_seeding_is_resumable_and_finds_what_it_seeded():
    logged = []
    sizes = filler_sizes(3, 5)  # two more organisations of 5 trainees
    assert [s.label for s in sizes] == ["n001", "n002"] and all(s.trainees == 5 for s in sizes)
    assert len(filler_sizes(200, 250)) == 199 and filler_sizes(200, 250)[0].trainees == 250
    assert seed_resumable([TINY, sizes[0]], password="x", log=logged.append) == 2
    evidence = Evidence.objects.count()
    # Stopped after the first two: running again seeds only what is missing.
    assert seed_resumable([TINY, *sizes], password="x", log=logged.append) == 1
    assert Organisation.objects.filter(slug__in=["bench-tiny", "bench-n001", "bench-n002"]).count() == 3
    assert Evidence.objects.count() == evidence + 5 * sizes[1].evidence_per_trainee
    assert any("already seeded" in line for line in logged)
    found = load_seeded(TINY)
    assert found.organisation.slug == "bench-tiny"
    assert found.people[Role.TRAINING_LEAD].username == "tiny.training_lead"
    assert Enrolment.objects.filter(cohort=found.featured_cohort).count() == 2


@pytest.mark.django_db(transaction=True)  # the worker processes see only what is committed
def test_national_seeding_in_two_processes_seeds_each_organisation_once():
    logged = []
    sizes = filler_sizes(4, 5)  # three organisations of 5 trainees
    assert seed_resumable([TINY, sizes[0]], password="x", log=logged.append) == 2
    assert seed_resumable([TINY, *sizes], password="x", log=logged.append, workers=2) == 2
    seeded = Organisation.objects.filter(slug__startswith="bench-n", kind=Organisation.Kind.NHS_TRUST)
    assert sorted(seeded.values_list("slug", flat=True)) == [f"bench-{s.label}" for s in sizes]
    for size in sizes:  # each whole, whichever process wrote it
        organisation = Organisation.objects.get(slug=f"bench-{size.label}")
        assert Evidence.objects.filter(trainee__organisation=organisation).count() == 5 * size.evidence_per_trainee
        assert load_seeded(size).people[Role.TRAINEE].username == f"{size.label}.trainee"
    assert logged[-1].startswith("  seeded 2/2")


def test_the_table_has_fixed_width_columns():
    text = table(["page", "ms"], [["Cohort page", "12.5"], ["Matrix", "1,234.0"]], right={1})
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert lines[2] == "| Cohort page |    12.5 |"


def test_the_benchmark_refuses_a_database_other_than_postgresql(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", "sqlite:///var/ladder.sqlite3")
    with pytest.raises(SystemExit, match="PostgreSQL only"):
        bench_database_url()
    monkeypatch.delenv("BENCH_DATABASE_URL")
    assert bench_database_url().endswith("/ladder_bench")
