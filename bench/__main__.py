"""``python -m bench``: recreate the bench database, measure, print the table and write it to
var/bench/latest.md, and the figures to var/bench/latest.json (the schema of issue 15; see
run.as_json). ``python -m bench national`` is make bench-national (bench/national.py).
Exits 1 when a page's query count differs between the sizes.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ladder_bench; it
is dropped and created afresh), BENCH_REDIS_URL (default REDIS_URL, else redis db 0)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from .database import bench_database_url, recreate

BASE_DIR = Path(__file__).resolve().parent.parent


def _environment(database_url: str, redis_url: str, media_root: str) -> dict[str, str]:
    # Production-like without the HTTPS-only settings: DEBUG off (no query log kept), Redis as
    # the cache, quiet logs. The same for this process and for gunicorn.
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "ladder-bench",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "MEDIA_ROOT": media_root,
        "LOG_LEVEL": "WARNING",
        # The import's invitations are written and their emails built, not sent (the console
        # backend would print a thousand of them into the table).
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Seed synthetic data at two sizes in a fresh PostgreSQL database (BENCH_DATABASE_URL) "
        "and print the performance table.")
    parser.add_argument("--repeats", type=int, default=15,
                        help="timed requests per page, after a warm-up (a median of 15 moves less than of 7)")
    parser.add_argument("--import-rows", type=int, default=1000, help="rows of the CSV import")
    parser.add_argument("--load-seconds", type=float, default=20.0, help="duration of the load test")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients of the load test")
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo programme's case study")
    parser.add_argument("--out", default=str(BASE_DIR / "var" / "bench" / "latest.md"),
                        help="where to write the table (default var/bench/latest.md)")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["national"]:
        return national(argv[1:])
    args = parser.parse_args(argv)

    began = time.monotonic()
    database_url = bench_database_url()
    redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    media = tempfile.TemporaryDirectory(prefix="ladder-bench-media-")
    env = _environment(database_url, redis_url, media.name)
    os.environ.update(env)

    def log(message: str) -> None:
        print(f"[{time.monotonic() - began:6.1f} s] {message}", file=sys.stderr, flush=True)

    log(f"Recreating {database_url.rsplit('/', 1)[-1]} and migrating")
    recreate(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from .load import run_load
    from .run import LOGIN_PASSWORD, as_json, collect, format_results
    from .seed import LARGE, SMALL
    from .urls import BASE_PATH

    results = collect([SMALL, LARGE], repeats=args.repeats, import_rows=args.import_rows,
                      demo=not args.no_demo, log=log)
    if not args.no_load:
        log(f"Load test: gunicorn, {args.concurrency} clients for {args.load_seconds:.0f} s")
        lead = results.sizes[-1].seeded.people["training_lead"]
        results.load = run_load(env=env, username=lead.username, password=LOGIN_PASSWORD,
                                paths=("/", BASE_PATH), seconds=args.load_seconds, concurrency=args.concurrency)
    text = format_results(results)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    out.with_suffix(".json").write_text(json.dumps(as_json(results), indent=2) + "\n")
    log(f"Done in {time.monotonic() - began:.0f} s; the table is in {out}, the figures in {out.with_suffix('.json')}")
    media.cleanup()
    problems = results.query_mismatches() + results.unmeasured()
    if problems:
        print("Problems: " + "; ".join(problems), file=sys.stderr)
        return 1
    return 0


def national(argv: list[str]) -> int:
    """``python -m bench national``: see bench/national.py."""
    from . import national as national_bench

    parser = argparse.ArgumentParser(prog="python -m bench national",
                                     description=national_bench.__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=200, help="organisations in all, the large one included")
    parser.add_argument("--trainees", type=int, default=250, help="trainees of each other organisation")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per page")
    parser.add_argument("--repeats", type=int, default=3, help="timed requests per page, round and database")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes seeding organisations at once (default: one a core)")
    parser.add_argument("--out", default=str(BASE_DIR / "var" / "bench" / "national.json"))
    args = parser.parse_args(argv)
    began = time.monotonic()
    redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    media = tempfile.TemporaryDirectory(prefix="ladder-bench-media-")
    env = _environment(national_bench.national_database_url(), redis_url, media.name)
    os.environ.update(env)

    def log(message: str) -> None:
        print(f"[{time.monotonic() - began:6.1f} s] {message}", file=sys.stderr, flush=True)

    try:
        return national_bench.main(args, env=env, log=log)
    finally:
        media.cleanup()


if __name__ == "__main__":
    sys.exit(main())
