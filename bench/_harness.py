"""Shared pieces of the benchmarks: a scratch database, a gunicorn server and a load client.

Benchmarks are not tests: they build their own data in a throw-away database, start a real
server on 127.0.0.1, drive it for a bounded number of requests and time, and compare every
measurement with a baseline taken in the same run.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # benchmarks never leave this machine

# Variables of the caller that would change what is measured (or redirect to https).
_DROPPED = {
    "DATABASE_URL",
    "DATA_DIR",
    "DEBUG",
    "HTTPS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "ALLOWED_HOSTS",
    "CELERY_BROKER_DIR",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DJANGO_SETTINGS_MODULE",
}


@contextlib.contextmanager
def scratch_environment(scratch_db_name: str) -> Iterator[dict[str, str]]:
    """Production-like settings on a fresh, empty database that is removed afterwards.

    SQLite in a temporary DATA_DIR by default; with DATABASE_URL set, a scratch PostgreSQL
    database `scratch_db_name` on the same server, created here and dropped at the end.
    """
    data_dir = Path(tempfile.mkdtemp(prefix="ecomops-bench-"))
    source_url = os.environ.get("DATABASE_URL", "")
    env = {key: value for key, value in os.environ.items() if key not in _DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE="ecomops.settings",
        DATA_DIR=str(data_dir),
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        STATIC_MANIFEST="false",
        LOG_LEVEL="WARNING",
        # The throttle still runs on every request, it just never refuses one.
        API_THROTTLE_RATE="1000000/minute",
    )
    if source_url:
        env["DATABASE_URL"] = _postgres_scratch_create(source_url, scratch_db_name)
    try:
        yield env
    finally:
        if source_url:
            _postgres_scratch_drop(source_url, scratch_db_name)
        shutil.rmtree(data_dir, ignore_errors=True)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _postgres_admin(url: str):
    import psycopg

    return psycopg.connect(_with_database(url, urlsplit(url).path.lstrip("/") or "postgres"))


def _postgres_scratch_create(url: str, name: str) -> str:
    from psycopg import sql

    _postgres_scratch_drop(url, name)  # a run that was killed may have left it behind
    with _postgres_admin(url) as conn:
        conn.autocommit = True
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return _with_database(url, name)


def _postgres_scratch_drop(url: str, name: str) -> None:
    from psycopg import sql

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with _postgres_admin(url) as conn:
        conn.autocommit = True
        conn.execute(drop)


def django_setup(env: dict[str, str]) -> None:
    """Configure Django in this process with the scratch environment."""
    os.environ.clear()
    os.environ.update(env)
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int, timeout: float = 60) -> Iterator[int]:
    """Run `gunicorn ecomops.wsgi` on a free local port until the block ends; yields the port."""
    port = free_port()
    with tempfile.TemporaryFile(mode="w+") as log:
        yield from _gunicorn_on(port, log, env, workers=workers, timeout=timeout)


def _gunicorn_on(port: int, log, env: dict[str, str], *, workers: int, timeout: float):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ecomops.wsgi",
            "-w",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read()}")
            with contextlib.suppress(OSError):
                status, _ = request_once(port, "/healthz")
                if status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz within {timeout}s")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def request_once(port: int, path: str, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@dataclass(frozen=True)
class LoadResult:
    path: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    completed_all: bool

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, pct: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        # Nearest-rank percentile: the value below which pct % of the requests fall.
        rank = max(1, round(pct / 100 * len(ordered)))
        return ordered[rank - 1]

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p95(self) -> float:
        return self.percentile(95)


class BenchError(RuntimeError):
    pass


def drive(
    port: int,
    path: str,
    *,
    requests: int,
    warmup: int,
    concurrency: int,
    time_limit: float,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """`requests` GETs of `path` from `concurrency` threads, after `warmup` unmeasured ones.

    Each thread keeps its connection open while the server allows it (gunicorn's sync workers
    close after each response, then the client reconnects, as a browser would). Stops early at
    `time_limit` seconds. Any non-200 answer aborts the benchmark: errors are not speed.
    """
    headers = dict(headers or {})
    lock = threading.Lock()
    counter = {"issued": 0}
    latencies: list[float] = []
    failures: list[str] = []

    def worker(quota: int, record: bool, deadline: float) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            while time.monotonic() < deadline and not failures:
                with lock:
                    if counter["issued"] >= quota:
                        return
                    counter["issued"] += 1
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as error:
                    failures.append(f"{type(error).__name__}: {error}")
                    return
                elapsed = (time.perf_counter() - started) * 1000
                if response.status != 200:
                    failures.append(f"HTTP {response.status}: {body[:300]!r}")
                    return
                if record:
                    with lock:
                        latencies.append(elapsed)
        finally:
            conn.close()

    def phase(quota: int, record: bool) -> float:
        counter["issued"] = 0
        deadline = time.monotonic() + time_limit
        threads = [
            threading.Thread(target=worker, args=(quota, record, deadline))
            for _ in range(concurrency)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise BenchError(f"GET {path} failed: {failures[0]}")
        return time.perf_counter() - started

    phase(warmup, record=False)
    seconds = phase(requests, record=True)
    return LoadResult(
        path=path,
        requests=len(latencies),
        seconds=seconds,
        latencies_ms=latencies,
        completed_all=len(latencies) == requests,
    )


def write_json(path: str, values: dict[str, float]) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(values, indent=2) + "\n", encoding="utf-8")


def bench_exit(main: Callable[[], int]) -> NoReturn:
    """Exit with `main()`'s code, or with 1 and the reason on stderr when it raises
    `BenchError` (missing data, a failed check): a bench script's `__main__`."""
    try:
        code = main()
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        sys.exit(1)
    sys.exit(code)
