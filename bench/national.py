"""``make bench-national``: the same pages at national scale.

Two PostgreSQL databases:

- the national one (BENCH_NATIONAL_DATABASE_URL, default BENCH_DATABASE_URL's name + "_national"):
  the bench's small and large organisations, then ``--organisations`` - 1 more organisations of
  ``--trainees`` trainees each (by default 199 x 250: with the large one about 52,000 trainees and
  1,000,000 evidence rows). Never dropped: each organisation is seeded in its own transaction
  and skipped when it is there, so running it again continues where it stopped;
- the reference one (BENCH_DATABASE_URL + "_large"): the small and large organisations only,
  seeded the same way (and kept: drop it to seed it afresh).

Then each page of bench.pages is timed as the large organisation's person, in rounds that
alternate between the databases (the same pages, the same machine load), and
var/bench/national.json says, per page, its query counts at the small, large and national
sizes and ``national_over_large``: its median time in the national database over its median
time in the reference one.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import dj_database_url

from .database import analyze, bench_database_url, ensure_database

# Imported by ``python -m bench`` before Django is set up: what touches models is imported
# inside the functions.

BASE_DIR = Path(__file__).resolve().parent.parent


def national_database_url() -> str:
    import os

    return os.environ.get("BENCH_NATIONAL_DATABASE_URL") or bench_database_url() + "_national"


def reference_database_url() -> str:
    return bench_database_url() + "_large"


def filler_sizes(organisations: int, trainees: int) -> list:
    """The organisations besides the large one: ``organisations - 1`` of them, labelled n001...,
    each of five cohorts (60 competencies, 20 evidence items a trainee, as the large size)."""
    from .seed import Size

    shape = Size("n", cohorts=((max(1, trainees // 5),) * 5,))
    return [replace(shape, label=f"n{k:03d}") for k in range(1, organisations)]


def seed_resumable(sizes: list, *, password: str, log: Callable[[str], None], workers: int = 1) -> int:
    """Seed each size not there yet (its organisation's slug decides), one transaction each,
    in ``workers`` processes at once. Returns how many were seeded now.

    Why processes: seeding an organisation is half Python (building the rows) and half
    PostgreSQL (writing them and their kept tables' triggers), one after the other, so one
    process keeps one core busy. The organisations share no rows (the data version's row is
    locked only at each commit, core/data_version.py), so they can be written side by side."""
    from programmes.models import Organisation

    done = set(Organisation.objects.filter(slug__in=[f"bench-{s.label}" for s in sizes])
               .values_list("slug", flat=True))
    todo = [s for s in sizes if f"bench-{s.label}" not in done]
    if done:
        log(f"  {len(done)} organisations already seeded; {len(todo)} to go")
    started = time.monotonic()
    for n, _label in enumerate(_seeded_in_turn(todo, password=password, workers=workers), start=1):
        if n % 10 == 0 or n == len(todo):
            rate = (time.monotonic() - started) / n
            log(f"  seeded {n}/{len(todo)} ({rate:.1f} s each, about {rate * (len(todo) - n) / 60:.0f} min to go)")
    return len(todo)


def _seed_one(size, password: str) -> str:
    from .seed import seed

    seed(size, password=password)
    return size.label


def _seeded_in_turn(sizes: list, *, password: str, workers: int) -> Iterator[str]:
    """Each size's label as it is seeded: here, or in forked processes that inherit Django's
    set-up and each open their own connection (so the parent's is closed first)."""
    if workers <= 1 or len(sizes) <= 1:
        for size in sizes:
            yield _seed_one(size, password)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from django.db import connections

    connections.close_all()
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for future in as_completed([pool.submit(_seed_one, size, password) for size in sizes]):
            yield future.result()  # a worker's exception is raised here, and stops the run


def load_seeded(size):
    """The Seeded of a size seeded earlier (in this database): who signs in, where to look."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from programmes.models import Cohort, Organisation, Programme, Role

    from .seed import Seeded

    organisation = Organisation.objects.get(slug=f"bench-{size.label}")
    User = get_user_model()
    people = {u.username.split(".", 1)[1]: u for u in User.objects.filter(
        username__in=[f"{size.label}.{role}" for role in Role.values])}
    featured = (Cohort.objects.filter(programme__organisation=organisation)
                .annotate(n=Count("enrolments")).order_by("-n", "pk").select_related("programme").first())
    case_study = (Programme.objects.filter(organisation=organisation)
                  .annotate(n=Count("cohorts")).order_by("-n", "pk").first())
    helpers = User.objects.filter(username__startswith=f"{size.label}.").order_by("username")
    return Seeded(
        size=size, organisation=organisation, people={role: people[role] for role in Role.values},
        featured_cohort=featured, featured_programme=featured.programme, case_study_programme=case_study,
        manager_usernames=[u.username for u in helpers if u.username.startswith(f"{size.label}.manager0")],
        mentor_usernames=[u.username for u in helpers if u.username.startswith(f"{size.label}.mentor0")],
    )


def use_database(url: str) -> None:
    """Point the default connection at another database (the next query reconnects)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = dj_database_url.parse(url)["NAME"]


def compare(databases: dict[str, str], *, rounds: int, repeats: int, log: Callable[[str], None]) -> list[dict]:
    """Each page as the large organisation's person, in ``rounds`` rounds alternating between
    the databases ({"large": url, "national": url}), ``repeats`` timed requests per round after
    a warm-up, each after a change of the data (bench.measure.data_changed: no cached fragment
    current, so what is compared is the pages' queries); and the query counts of each page at
    the small size (reference database) and at the large size in each."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from .measure import _path_of, _timed, data_changed, signed_in_clients
    from .pages import PAGES
    from .seed import LARGE, SMALL

    state = {}
    for name, url in databases.items():
        use_database(url)
        seeded = load_seeded(LARGE)
        state[name] = {"seeded": seeded, "clients": signed_in_clients(seeded)}
    use_database(databases["large"])
    small = load_seeded(SMALL)
    small_clients = signed_in_clients(small)

    def count(client: Client, path: str) -> int | None:
        client.get(path)  # warm-up
        data_changed()  # the full cost: no cached fragment current
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        return len(captured) if status == 200 else None

    results = []
    for page in PAGES:
        row = {"name": page.label, "queries": {}, "ms": {}, "national_over_large": None}
        use_database(databases["large"])
        path = _path_of(page, small)
        row["queries"]["small"] = count(small_clients[page.role], path) if path else None
        times = {name: [] for name in databases}
        paths = {}
        for name, url in databases.items():
            use_database(url)
            paths[name] = _path_of(page, state[name]["seeded"])
            key = "large" if name == "large" else "national"
            row["queries"][key] = count(state[name]["clients"][page.role], paths[name]) if paths[name] else None
        if any(row["queries"][k] is None for k in ("large", "national")):
            results.append(row)
            continue
        for _ in range(rounds):
            for name, url in databases.items():
                use_database(url)
                client = state[name]["clients"][page.role]
                client.get(paths[name])  # a new connection: not timed
                times[name] += [_timed(client, paths[name], after_change=True)[1] for _ in range(repeats)]
        for name in databases:
            row["ms"][name] = round(statistics.median(times[name]), 1)
        row["national_over_large"] = round(row["ms"]["national"] / row["ms"]["large"], 2)
        log(f"  {page.label}: {row['ms']['large']} ms -> {row['ms']['national']} ms "
            f"(x{row['national_over_large']}), queries {row['queries']}")
        results.append(row)
    return results


def main(args, *, env: dict[str, str], log: Callable[[str], None]) -> int:
    import django

    national_url, reference_url = national_database_url(), reference_database_url()
    ensure_database(national_url)
    import os

    os.environ["DATABASE_URL"] = national_url
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from competencies.models import Evidence
    from trainees.models import Trainee

    from .run import LOGIN_PASSWORD
    from .seed import LARGE, SMALL

    log(f"National database {connection.settings_dict['NAME']}: migrating, then seeding what is missing")
    call_command("migrate", verbosity=0)
    began = time.monotonic()
    seed_resumable([SMALL, LARGE, *filler_sizes(args.organisations, args.trainees)],
                   password=LOGIN_PASSWORD, log=log, workers=args.workers)
    seeding_s = time.monotonic() - began
    trainees, evidence = Trainee.objects.count(), Evidence.objects.count()
    log(f"  {trainees:,} trainees, {evidence:,} evidence rows; ANALYZE")
    analyze()
    log(f"Reference database {reference_url.rsplit('/', 1)[-1]}: the small and large sizes (seeded if missing)")
    connection.close()
    ensure_database(reference_url)
    use_database(reference_url)
    call_command("migrate", verbosity=0)
    seed_resumable([SMALL, LARGE], password=LOGIN_PASSWORD, log=log, workers=args.workers)
    analyze()

    log(f"Timing each page in {args.rounds} alternating rounds of {args.repeats} requests")
    with override_settings(ROOT_URLCONF="bench.urls"):
        pages = compare({"large": reference_url, "national": national_url},
                        rounds=args.rounds, repeats=args.repeats, log=log)
    report = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": round(os.getloadavg()[0], 2),
        "national": {"organisations": args.organisations, "trainees": trainees, "evidence": evidence,
                     "seeding_s_this_run": round(seeding_s)},
        "pages": pages,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    log(f"Written {out}")
    mismatched = [p["name"] for p in pages if len(set(p["queries"].values())) > 1]
    if mismatched:
        log("Query counts differ between sizes: " + ", ".join(mismatched))
        return 1
    return 0
