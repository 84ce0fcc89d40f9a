"""The dashboard and the base-template view under load: gunicorn (2 workers) on the loopback interface against the bench
database, driven by a bounded load generator (threads, one http.client connection a request,
a fixed duration and a cap on requests). gunicorn is always stopped, whatever happens."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess  # starts gunicorn for the load test only # nosec B404
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"  # loopback only
MAX_REQUESTS = 100_000  # a bound besides the duration
BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass
class LoadResult:
    path: str
    seconds: float
    concurrency: int
    workers: int
    ok: int
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, headers: dict, body: str | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _cookies(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


def _wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode} before serving")
        try:
            status, _, _ = _request(port, "GET", "/account/login/", {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on {HOST}:{port} within {timeout:.0f} s")


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the login form, as a browser would; returns the Cookie header."""
    status, headers, body = _request(port, "GET", "/account/login/", {})
    csrf = _cookies(headers).get("csrftoken")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not csrf or not token:
        raise RuntimeError("The login page did not give a CSRF token")
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode()})
    status, headers, _ = _request(port, "POST", "/account/login/", {
        "Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded"}, form)
    session = _cookies(headers).get("sessionid")
    if status != 302 or not session:
        raise RuntimeError(f"Signing in as {username} failed (HTTP {status})")
    return f"csrftoken={csrf}; sessionid={session}"


def drive(port: int, path: str, cookie: str, *, seconds: float, concurrency: int) -> tuple[list[float], int, float]:
    """GET ``path`` from ``concurrency`` threads for ``seconds``: (latencies of the 200s in
    ms, errors, elapsed seconds)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds

    def worker() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + errors >= MAX_REQUESTS:
                    return
            begun = time.perf_counter()
            try:
                status, _, _ = _request(port, "GET", path, {"Cookie": cookie})
            except OSError:
                status = 0
            took = (time.perf_counter() - begun) * 1000
            with lock:
                if status == 200:
                    latencies.append(took)
                else:
                    errors += 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return latencies, errors, time.monotonic() - started


def run_load(*, env: dict[str, str], username: str, password: str, paths: tuple[str, ...] = ("/",),
             seconds: float = 20.0, concurrency: int = 8, workers: int = 2) -> list[LoadResult]:
    """One gunicorn (serving bench.urls, so the baseline views too), each path in ``paths``
    driven in turn for ``seconds`` by ``concurrency`` clients signed in as ``username``: the
    same workers, warmed up the same way, for every path."""
    port = _free_port()
    # A fixed argument list (no shell): this interpreter's gunicorn on loopback.
    process = subprocess.Popen(  # noqa: S603  # nosec B603
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{HOST}:{port}",
         "--workers", str(workers), "--log-level", "warning", "--timeout", "60"],
        cwd=BASE_DIR, env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        start_new_session=True,
    )
    results = []
    try:
        _wait_until_up(port, process)
        cookie = sign_in(port, username, password)
        for path in paths:
            for _ in range(2 * workers):  # warm each worker's templates and connections
                status, _, _ = _request(port, "GET", path, {"Cookie": cookie})
                if status != 200:
                    raise RuntimeError(f"GET {path} answered HTTP {status} under gunicorn")
        for path in paths:
            latencies, errors, elapsed = drive(port, path, cookie, seconds=seconds, concurrency=concurrency)
            if len(latencies) < 2:
                raise RuntimeError(
                    f"Too few successful requests of {path} under load ({len(latencies)}, {errors} errors)")
            cuts = statistics.quantiles(latencies, n=100, method="inclusive")
            results.append(LoadResult(path=path, seconds=elapsed, concurrency=concurrency, workers=workers,
                                      ok=len(latencies), errors=errors, p50_ms=statistics.median(latencies),
                                      p99_ms=cuts[98]))
    finally:
        _stop(process)
    return results


def _stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its own process group: the master and its workers)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass
