"""Measurements made in-process, through Django's test Client and the real URLconf and
middleware: each page's query count and median server time, the case-study PDF (gathering vs
WeasyPrint), and the CSV enrolment import (checking vs writing)."""

from __future__ import annotations

import csv
import io
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from programmes.models import Cohort, Membership, Programme, Role
from reports.documents import case_study
from reports.pdf import render_pdf
from trainees.enrolment_import.services import enrolment_import_apply, enrolment_import_check, enrolment_import_upload
from trainees.models import Enrolment, Trainee

from .pages import PAGES, Page
from .seed import WARDS, Seeded
from .urls import BARE_PATH, BASE_PATH


@dataclass
class PageTiming:
    label: str
    role: str
    path: str | None  # None: the URL does not resolve (yet)
    status: int | None = None
    queries: int | None = None
    median_ms: float | None = None  # each request after a change of the data: the full cost
    repeat_queries: int | None = None
    repeat_ms: float | None = None  # a repeat visit, nothing changed: cached fragments current
    # The baselines' medians over the requests made beside this page's (one after each of its
    # timed requests): the machine is shared, and its load moves within a run, so a page is
    # divided by what the baselines cost while it was being timed, not over the whole run.
    bare_ms: float | None = None
    base_ms: float | None = None
    repeat_base_ms: float | None = None  # beside its repeat visits

    @property
    def measured(self) -> bool:
        return self.status == 200

    @property
    def x_bare(self) -> float | None:
        return self.median_ms / self.bare_ms if self.measured and self.bare_ms else None

    @property
    def x_base(self) -> float | None:
        return self.median_ms / self.base_ms if self.measured and self.base_ms else None

    @property
    def repeat_x_base(self) -> float | None:
        return self.repeat_ms / self.repeat_base_ms if self.repeat_ms and self.repeat_base_ms else None


def _path_of(page: Page, seeded: Seeded) -> str | None:
    if page.url.startswith("/"):
        path = page.url
    else:
        try:
            args = [getattr(seeded, page.arg).pk] if page.arg else []
            path = reverse(page.url, args=args)
        except NoReverseMatch:
            return None
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def data_changed() -> None:
    """Move the data version on (core/data_version.py), as any committed write does: the next
    request renders its cached fragments afresh, so it is timed at its full cost."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_dataversion SET version = version + 1 WHERE id = 1")


def _timed(client: Client, path: str, *, after_change: bool = False) -> tuple[int, float]:
    if after_change:
        data_changed()  # not timed
    started = time.perf_counter()
    status = client.get(path).status_code
    return status, (time.perf_counter() - started) * 1000


def time_get(client: Client, path: str, repeats: int, *, baselines: list[tuple[Client, str, list[float]]] = (),
             after_change: bool = False) -> tuple[int, int | None, float | None]:
    """(status, queries of one request, median milliseconds over ``repeats`` requests after a
    warm-up request). Only a 200 is timed. With ``baselines`` ((client, path, list) each), each
    timed request is followed by one of each baseline view, its time added to its list: the
    machine is shared, so the baselines are sampled across the run, next to every page. With
    ``after_change``, each request (the counted one too) follows a change of the data, so no
    cached fragment is still current: the page's full cost; without, a repeat visit's."""
    status = client.get(path).status_code  # warm-up: templates, content types, connections
    if status != 200:
        return status, None, None
    if after_change:
        data_changed()
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = len(captured)  # now: the next request resets the connection's query log
    times = []
    for _ in range(repeats):
        status, took = _timed(client, path, after_change=after_change)
        if status != 200:
            return status, None, None
        times.append(took)
        for baseline_client, baseline_path, pool in baselines:
            pool.append(_timed(baseline_client, baseline_path)[1])
    return 200, queries, statistics.median(times)


def signed_in_clients(seeded: Seeded) -> dict[str, Client]:
    clients = {}
    for role, user in seeded.people.items():
        client = Client()
        client.force_login(user)
        clients[role] = client
    return clients


def measure_pages(seeded: Seeded, *, repeats: int, pages: tuple[Page, ...] | None = None
                  ) -> tuple[PageTiming, PageTiming, list[PageTiming]]:
    """The baselines (the bare view and the base-template view, signed in as the training
    lead) and every page of PAGES. Call with ROOT_URLCONF set to bench.urls."""
    clients = signed_in_clients(seeded)
    lead = clients[Role.TRAINING_LEAD]
    baseline = PageTiming("Baseline: bare Django view", Role.TRAINING_LEAD, BARE_PATH)
    base = PageTiming("Baseline: base template view", Role.TRAINING_LEAD, BASE_PATH)
    pools: dict[str, list[float]] = {}
    for timing in (baseline, base):
        timing.status, timing.queries, first = time_get(lead, timing.path, repeats)
        pools[timing.path] = [first] if first is not None else []
    results = []
    for page in PAGES if pages is None else pages:
        timing = PageTiming(page.label, page.role, _path_of(page, seeded))
        if timing.path is not None:
            beside = {BARE_PATH: [], BASE_PATH: []}
            timing.status, timing.queries, timing.median_ms = time_get(
                clients[page.role], timing.path, repeats, after_change=True,
                baselines=[(lead, path, samples) for path, samples in beside.items()])
            timing.bare_ms, timing.base_ms = (_median(beside[BARE_PATH]), _median(beside[BASE_PATH]))
            if timing.measured:
                beside_repeat = {BARE_PATH: [], BASE_PATH: []}
                _, timing.repeat_queries, timing.repeat_ms = time_get(
                    clients[page.role], timing.path, repeats,
                    baselines=[(lead, path, samples) for path, samples in beside_repeat.items()])
                timing.repeat_base_ms = _median(beside_repeat[BASE_PATH])
                for path in pools:
                    pools[path] += beside[path] + beside_repeat[path]
            if timing.status == 404 and page.url.startswith("/"):
                timing.path = None  # a literal path whose view is not there yet
        results.append(timing)
    for timing in (baseline, base):
        timing.median_ms = _median(pools[timing.path])
    return baseline, base, results


def _median(samples: list[float]) -> float | None:
    return statistics.median(samples) if samples else None


# --- The case-study PDF -----------------------------------------------------------------------


@dataclass
class PdfTiming:
    label: str
    cohorts: int
    trainees: int
    queries: int
    gather_ms: float  # the figures (case_study.gather) and the HTML (the template)
    weasyprint_ms: float
    pages: int
    size_kb: int

    @property
    def gather_share(self) -> float:
        return self.gather_ms / (self.gather_ms + self.weasyprint_ms)


def measure_case_study(programme: Programme, *, label: str) -> PdfTiming:
    """Render the programme's case study as its organisation's training lead would get it from
    the report job (reports.builders.case_study_output), timing each half: gathering the median
    of three after a warm-up, WeasyPrint once."""
    membership = (Membership.objects.select_related("organisation", "user")
                  .filter(organisation_id=programme.organisation_id, role=Role.TRAINING_LEAD, is_active=True)
                  .order_by("pk").first())

    def gathered() -> tuple[str, float]:
        started = time.perf_counter()
        study = case_study.gather(programme, membership=membership)
        html = render_to_string("reports/case_study.html", {"study": study, "for_pdf": True})
        return html, (time.perf_counter() - started) * 1000

    gathered()  # warm-up: the first in a process compiles the templates (a worker does it once)
    with CaptureQueriesContext(connection) as captured:
        html, first_ms = gathered()
    queries = len(captured)
    gather_ms = statistics.median([first_ms, gathered()[1], gathered()[1]])
    started = time.perf_counter()
    pdf, pages = render_pdf(html)
    return PdfTiming(
        label=label, cohorts=programme.cohorts.count(),
        trainees=Enrolment.objects.filter(cohort__programme=programme).count(),
        queries=queries, gather_ms=gather_ms,
        weasyprint_ms=(time.perf_counter() - started) * 1000, pages=pages, size_kb=len(pdf) // 1024,
    )


# --- The CSV enrolment import -----------------------------------------------------------------


# Imports timed per bench, each of new trainees into a new cohort: the figure is their median,
# since one import's time moves by a third with what else the (shared) machine is doing.
IMPORT_RUNS = 3


@dataclass
class ImportTiming:
    rows: int
    check_s: float  # parse and check against the cohort (the preview)
    import_s: float  # confirm: check again, then write every row through the services
    runs: int = 1  # imports timed; this one's writing rate is their median

    @property
    def write_s(self) -> float:
        return max(self.import_s - self.check_s, 1e-9)

    @property
    def check_rate(self) -> float:
        return self.rows / self.check_s

    @property
    def write_rate(self) -> float:
        return self.rows / self.write_s


def enrolment_csv(seeded: Seeded, rows: int, *, first: int = 0) -> bytes:
    """New trainees, on the seeded organisation's wards, with its managers and mentors: numbered
    from ``first`` (their employee numbers and emails), so that each import's are new."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["employee_number", "first_name", "last_name", "email", "band", "job_title", "ward",
                     "line_manager", "mentor", "enrolled_on", "status"])
    managers, mentors = seeded.manager_usernames, seeded.mentor_usernames
    for n in range(first, first + rows):
        writer.writerow([f"IMP{n:06d}", f"Imported{n:05d}", "Person", f"imp{n:05d}@bench.example", "3",
                         "Healthcare support worker", WARDS[n % len(WARDS)], managers[n % len(managers)],
                         mentors[n % len(mentors)], "", "active"])
    return out.getvalue().encode()


def measure_import(seeded: Seeded, *, rows: int, runs: int = IMPORT_RUNS) -> ImportTiming:
    """Import ``rows`` new trainees ``runs`` times, each into a new cohort of the featured programme
    with new employee numbers and emails (so each writes as much: the same rows, invitations
    and audit entries); the timing of the median writing rate."""
    timings = [_import_once(seeded, rows=rows) for _ in range(runs)]
    median = sorted(timings, key=lambda timing: timing.write_s)[(runs - 1) // 2]
    median.runs = runs
    return median


def _import_once(seeded: Seeded, *, rows: int) -> ImportTiming:
    """Check ``rows`` new trainees against a new cohort of the featured programme, then import them (what confirming
    the preview does, here in the calling process rather than a Celery worker)."""
    programme = seeded.featured_programme
    first = Trainee.objects.filter(organisation_id=programme.organisation_id, employee_number__startswith="IMP").count()
    data = enrolment_csv(seeded, rows, first=first)
    cohort = Cohort.objects.create(
        programme=programme, name="Imported cohort", intake_number=programme.cohorts.count() + 1,
        starts_on=timezone.localdate(), ends_on=timezone.localdate() + timedelta(days=600))
    lead = seeded.people[Role.TRAINING_LEAD]

    def checked():
        started = time.perf_counter()
        outcome = enrolment_import_check(data=data, cohort=cohort, create_wards=False)
        return outcome, time.perf_counter() - started

    # The writing figure is confirm's time less a check's, and confirm checks again with
    # everything warm: so the check subtracted is a warm one too (the median of three after a
    # warm-up), not the process's first, which can take ten times longer and would flatter
    # the writing.
    checked()
    (parsed, plan), _ = checked()
    check_s = statistics.median([checked()[1] for _ in range(3)])
    if plan is None or parsed.row_errors or plan.errors:
        problems = parsed.file_errors or [e.message for e in (parsed.row_errors + (plan.errors if plan else []))[:3]]
        raise RuntimeError(f"The benchmark's CSV does not pass the import checks: {problems}")
    outcome = enrolment_import_upload(cohort=cohort, actor=lead,
                                      upload=SimpleUploadedFile("bench.csv", data, content_type="text/csv"))
    job = outcome.job
    job.confirmed_by = lead
    started = time.perf_counter()
    with transaction.atomic():
        enrolment_import_apply(job=job)
    import_s = time.perf_counter() - started
    imported = Enrolment.objects.filter(cohort=cohort).count()
    if imported != rows:
        raise RuntimeError(f"The import enrolled {imported} trainees, not {rows}.")
    return ImportTiming(rows=rows, check_s=check_s, import_s=import_s)
