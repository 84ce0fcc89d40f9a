"""Runs the in-process measurements for each size and lays the results out as one table
(Markdown, fixed-width columns: readable in a terminal and in the README)."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

from programmes.models import Programme

from .database import analyze
from .load import LoadResult
from .measure import IMPORT_RUNS, ImportTiming, PageTiming, PdfTiming, measure_case_study, measure_import, measure_pages
from .seed import Seeded, Size, seed

LOGIN_PASSWORD = "bench-load-password"  # noqa: S105 (synthetic data only) # nosec B105
DEMO_ORGANISATION = "westmoor"


@dataclass
class SizeResult:
    seeded: Seeded
    baseline: PageTiming
    base: PageTiming
    pages: list[PageTiming]
    case_study: PdfTiming


@dataclass
class Results:
    sizes: list[SizeResult] = field(default_factory=list)
    demo_case_study: PdfTiming | None = None
    enrolment_import: ImportTiming | None = None
    load: list[LoadResult] | None = None  # the dashboard, then the base-template view
    repeats: int = 0
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    seconds: float = 0.0
    load_average: float = field(default_factory=lambda: os.getloadavg()[0])

    def query_mismatches(self) -> list[str]:
        """Pages (and the case study's gathering) whose query count differs between sizes."""
        found = []
        labels = [p.label for p in self.sizes[0].pages]
        for i, label in enumerate(labels):
            counts = {r.pages[i].queries for r in self.sizes if r.pages[i].measured}
            repeat_counts = {r.pages[i].repeat_queries for r in self.sizes if r.pages[i].measured}
            if len(counts) > 1 or len(repeat_counts) > 1:
                found.append(label)
        if len({r.case_study.queries for r in self.sizes}) > 1:
            found.append("Case study: gathering")
        return found

    def unmeasured(self) -> list[str]:
        """Pages that resolve but did not answer 200 (a bug in the bench or the page)."""
        return [f"{p.label} ({r.seeded.size.label}: HTTP {p.status})"
                for r in self.sizes for p in r.pages if p.path is not None and not p.measured]


def collect(sizes: list[Size], *, repeats: int, import_rows: int, demo: bool,
            log: Callable[[str], None] = lambda message: None) -> Results:
    """Seed each size in turn (smallest first, so the small pages are timed on small tables)
    and measure it; then the demo programme's case study and the CSV import."""
    results = Results(repeats=repeats)
    began = time.monotonic()
    with override_settings(ROOT_URLCONF="bench.urls"):
        for size in sizes:
            log(f"Seeding {size.label}: {_describe(size)}")
            started = time.monotonic()
            seeded = seed(size, password=LOGIN_PASSWORD)
            analyze()
            log(f"  seeded in {time.monotonic() - started:.1f} s; timing pages")
            baseline, base, pages = measure_pages(seeded, repeats=repeats)
            log("  rendering the case study")
            pdf = measure_case_study(
                seeded.case_study_programme, label=f"{size.label}: {_programme_shape(seeded.case_study_programme)}"
            )
            results.sizes.append(SizeResult(seeded, baseline, base, pages, pdf))
        if demo:
            log("Loading the demo data (seed_demo) for its case study")
            call_command("seed_demo", quiet=True)
            analyze()
            programme = max(Programme.objects.filter(organisation__slug=DEMO_ORGANISATION),
                            key=lambda p: p.cohorts.count())
            results.demo_case_study = measure_case_study(programme, label=f"demo: {_programme_shape(programme)}")
        if import_rows:
            log(f"Importing {import_rows} rows of CSV, {IMPORT_RUNS} times")
            results.enrolment_import = measure_import(results.sizes[-1].seeded, rows=import_rows)
    results.seconds = time.monotonic() - began
    return results


def _describe(size: Size) -> str:
    return (f"{len(size.cohorts)} programme{'s' if len(size.cohorts) > 1 else ''}, {size.cohort_count} cohorts, "
            f"{size.trainees:,} trainees, {size.competencies} competencies per role, "
            f"{size.evidence_per_trainee} evidence items per trainee")


def _programme_shape(programme: Programme) -> str:
    counts = [c.enrolments.count() for c in programme.cohorts.all()]
    if counts and len(set(counts)) == 1:
        return f"{len(counts)} cohorts × {counts[0]} trainees"
    return f"{len(counts)} cohorts, {sum(counts)} trainees"


# --- The table ----------------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]

    def line(cells) -> str:
        return "| " + " | ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(
                zip(cells, widths, strict=True)
            )
        ) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if i in right else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f}"


def format_results(results: Results) -> str:
    small, large = results.sizes[0], results.sizes[-1]
    cpu = os.cpu_count()
    out = [
        f"## Ladder benchmark, {results.started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {cpu} CPU cores, Python {platform.python_version()}, "
        f"{connection.vendor} {_server_version()}; load average {results.load_average:.1f} when it started "
        f"(the machine is shared). Measured in {results.seconds:.0f} s (without the load test).",
        "",
        *(f"- {r.seeded.size.label}: {_describe(r.seeded.size)}" for r in results.sizes),
        "",
        f"Pages: SQL queries of one request; median server time in ms over {results.repeats} requests "
        "after a warm-up, each following a change of the data, so no cached fragment is current "
        "(Django test Client, real URLs and middleware, signed in as the role); "
        "× bare = page median / median of a bare Django view through the same middleware, signed in "
        "as the training lead, requested after each of the page's timed requests (so both see the same "
        "machine load); × base = page median / median of a view that renders the base template, "
        "requested the same way. The baselines' own rows give their medians over the whole run.",
        "",
    ]
    headers = ["page", "role"]
    for r in (small, large):
        headers += [f"queries {r.seeded.size.label}"]
    for r in (small, large):
        headers += [f"ms {r.seeded.size.label}"]
    for r in (small, large):
        headers += [f"× bare {r.seeded.size.label}"]
    for r in (small, large):
        headers += [f"× base {r.seeded.size.label}"]
    rows = []
    for i, page in enumerate(small.pages):
        cells = [page.label, page.role]
        per_size = [r.pages[i] for r in (small, large)]
        cells += [str(p.queries) if p.measured else _status(p) for p in per_size]
        cells += [_ms(p.median_ms) if p.measured else "n/a" for p in per_size]
        cells += [f"{p.x_bare:.1f}" if p.x_bare else "n/a" for p in per_size]
        cells += [f"{p.x_base:.1f}" if p.x_base else "n/a" for p in per_size]
        rows.append(cells)
    rows.append([small.baseline.label, small.baseline.role, str(small.baseline.queries), str(large.baseline.queries),
                 _ms(small.baseline.median_ms), _ms(large.baseline.median_ms), "1.0", "1.0",
                 f"{small.baseline.median_ms / small.base.median_ms:.1f}",
                 f"{large.baseline.median_ms / large.base.median_ms:.1f}"])
    rows.append([small.base.label, small.base.role, str(small.base.queries), str(large.base.queries),
                 _ms(small.base.median_ms), _ms(large.base.median_ms),
                 f"{small.base.median_ms / small.baseline.median_ms:.1f}",
                 f"{large.base.median_ms / large.baseline.median_ms:.1f}", "1.0", "1.0"])
    out.append(table(headers, rows, right=set(range(2, 10))))
    out += ["", "Repeat visits: the same pages again with no change to the data in between, so fragments "
            "cached under the data version (core/data_version.py; the role home pages) are still current. "
            "The table above is each page's full cost: every request there follows a change.", ""]
    out.append(table(
        ["page", "role", *(f"queries {r.seeded.size.label}" for r in (small, large)),
         *(f"ms {r.seeded.size.label}" for r in (small, large)),
         *(f"× base {r.seeded.size.label}" for r in (small, large))],
        [[page.label, page.role,
          *(str(r.pages[i].repeat_queries) if r.pages[i].measured else "n/a" for r in (small, large)),
          *(_ms(r.pages[i].repeat_ms) if r.pages[i].measured else "n/a" for r in (small, large)),
          *(f"{r.pages[i].repeat_x_base:.1f}" if r.pages[i].repeat_x_base else "n/a" for r in (small, large))]
         for i, page in enumerate(small.pages)],
        right=set(range(2, 8)),
    ))
    mismatches = results.query_mismatches()
    out += ["", "Query counts identical at both sizes: " + ("yes, for every page measured."
                                                          if not mismatches else "NO: " + ", ".join(mismatches))]

    pdfs = [r.case_study for r in results.sizes] + ([results.demo_case_study] if results.demo_case_study else [])
    out += [
        "", "Case-study PDF (gathering = the figures and the HTML, with its SQL queries; WeasyPrint = HTML to PDF):", ""
    ]
    out.append(table(
        ["programme", "trainees", "queries", "gathering ms", "WeasyPrint ms", "gathering share", "pages", "KB"],
        [[p.label, f"{p.trainees:,}", str(p.queries), _ms(p.gather_ms), _ms(p.weasyprint_ms),
          f"{p.gather_share:.0%}", str(p.pages), f"{p.size_kb:,}"] for p in pdfs],
        right=set(range(1, 8)),
    ))
    if results.enrolment_import:
        imp = results.enrolment_import
        out += ["", "CSV enrolment import (new trainees into one cohort; checking = parse and check, "
                "as the preview; "
                "writing = confirming minus its second check: the rows and their audit entries in bulk; "
                f"the import of median writing rate of {imp.runs}, each into a new cohort):", ""]
        out.append(table(["rows", "checking s", "checking rows/s", "writing s", "writing rows/s"],
                         [[f"{imp.rows:,}", f"{imp.check_s:.2f}", f"{imp.check_rate:,.0f}", f"{imp.write_s:.2f}",
                           f"{imp.write_rate:,.0f}"]], right=set(range(5))))
    if results.load:
        ld = results.load[0]
        out += ["", f"Under load: gunicorn ({ld.workers} sync workers, 127.0.0.1), {ld.concurrency} concurrent "
                f"clients for {ld.seconds:.0f} s on each of the {large.seeded.size.label} training lead's dashboard "
                "and the base-template view, one after the other, in one run:", ""]
        out.append(table(["path", "requests", "errors", "req/s", "p50 ms", "p99 ms"],
                         [[r.path, f"{r.ok:,}", str(r.errors), f"{r.per_second:.1f}", _ms(r.p50_ms), _ms(r.p99_ms)]
                          for r in results.load], right=set(range(1, 6))))
        if len(results.load) > 1:
            out += ["", f"The dashboard serves {results.load[0].per_second / results.load[1].per_second:.0%} "
                    "of the base-template view's requests per second."]
    return "\n".join(out) + "\n"


def _status(page: PageTiming) -> str:
    return "n/a" if page.path is None else f"HTTP {page.status}"


def _server_version() -> str:
    if connection.vendor != "postgresql":
        return ""
    major, minor = divmod(connection.pg_version, 10000)
    return f"{major}.{minor}"


# --- The JSON (var/bench/latest.json), in the schema of issue 15 --------------------------------


def as_json(results: Results) -> dict:
    """``{"pages": [{"name", "queries": {size: n}, "ms": {size: ms}, "x_base": {size: ratio}}],
    "load": {"page_rps", "base_rps", "p50_ms", "p99_ms"}, "import": {"rows", "write_rows_per_s"},
    "case_study": [{"name", "gathering_share"}]}``; the sizes by their labels (small, large).
    A page that was not measured has null figures; no load test, no import: null."""
    def rounded(value: float | None, digits: int = 1) -> float | None:
        return None if value is None else round(value, digits)

    pages = []
    for i, page in enumerate(results.sizes[0].pages):
        per_size = [(r.seeded.size.label, r.pages[i]) for r in results.sizes]
        pages.append({
            "name": page.label,
            "queries": {label: p.queries if p.measured else None for label, p in per_size},
            "ms": {label: rounded(p.median_ms) if p.measured else None for label, p in per_size},
            "x_base": {label: rounded(p.x_base, 2) for label, p in per_size},
            # The same on a repeat visit (nothing changed: cached fragments current).
            "repeat_visit": {
                "queries": {label: p.repeat_queries for label, p in per_size},
                "ms": {label: rounded(p.repeat_ms) for label, p in per_size},
                "x_base": {label: rounded(p.repeat_x_base, 2) for label, p in per_size},
            },
        })
    load = None
    if results.load:
        page = results.load[0]
        load = {"page_rps": rounded(page.per_second), "base_rps": rounded(results.load[-1].per_second),
                "p50_ms": rounded(page.p50_ms), "p99_ms": rounded(page.p99_ms)}
    imported = None
    if results.enrolment_import:
        imported = {"rows": results.enrolment_import.rows,
                    "write_rows_per_s": round(results.enrolment_import.write_rate)}
    pdfs = [r.case_study for r in results.sizes] + ([results.demo_case_study] if results.demo_case_study else [])
    return {
        "pages": pages,
        "load": load,
        "import": imported,
        "case_study": [{"name": p.label, "gathering_share": round(p.gather_share, 3)} for p in pdfs],
    }
