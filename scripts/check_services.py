"""Before the tests: say in one line which service is unreachable and how to start it."""

import os
import sys

import psycopg2
import redis

database_url = os.environ["DATABASE_URL"]
redis_url = os.environ["REDIS_URL"]

try:
    # Connect to the server's maintenance database: the test database is created by the tests.
    dsn = database_url.rsplit("/", 1)[0] + "/postgres"
    psycopg2.connect(dsn, connect_timeout=3).close()
except psycopg2.OperationalError as exc:
    reason = str(exc).strip().splitlines()[0]
    sys.exit(
        f"PostgreSQL is not reachable at {database_url} ({reason}). Start it "
        "(e.g. `pg_ctlcluster 15 main start` or `docker compose up -d db`) or set DATABASE_URL."
    )

try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
except redis.RedisError as exc:
    sys.exit(
        f"Redis is not reachable at {redis_url} ({exc}). Start it "
        "(e.g. `redis-server --daemonize yes` or `docker compose up -d redis`) or set REDIS_URL."
    )
