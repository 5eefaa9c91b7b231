"""`manage.py run_demo` serves the portal with a worker and beat, and Ctrl-C stops them all."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.urls import reverse

from .processes import REPO_ROOT, database_url_of_this_test, run_in_project

START_TIMEOUT = 60
STOP_TIMEOUT = 40


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def stopped_pids(output: str) -> dict[str, int]:
    """The children run_demo reported stopping, by name."""
    return {name: int(pid) for name, pid in re.findall(r"stopping (\w+) \(pid (\d+)\)", output)}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def demo_env(project_env, tmp_path):
    # The demo runs on the test database, with a broker folder of its own.
    return project_env(
        DEBUG="true",
        DATABASE_URL=database_url_of_this_test(),
        CELERY_BROKER_DIR=str(tmp_path / "broker"),
        PYTHONUNBUFFERED="1",
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_run_demo_serves_the_portal_and_ctrl_c_stops_web_worker_and_beat(demo_env):
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "run_demo", "--port", str(port), "--concurrency", "1"],
        cwd=REPO_ROOT,
        env=demo_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not any("EcomOps demo is running." in line for line in lines):
            assert process.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "not up in time:\n" + "".join(lines)
            time.sleep(0.2)

        login_status, login_page = get(port, reverse("login"))
        css_status, _ = get(port, "/static/vendor/bootstrap/bootstrap.min.css")

        process.send_signal(signal.SIGINT)
        process.wait(timeout=STOP_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=5)
    output = "".join(lines)

    assert login_status == 200
    assert b'name="password"' in login_page
    assert css_status == 200
    assert f"http://127.0.0.1:{port}/" in output
    assert any(line.startswith("worker") and " ready." in line for line in lines)
    assert any(line.startswith("beat") and "beat: Starting" in line for line in lines)
    assert process.returncode == 0, output
    children = stopped_pids(output)
    assert set(children) == {"web", "worker", "beat"}, output
    assert not any(alive(pid) for pid in children.values()), output


def test_run_demo_refuses_to_start_before_the_database_is_migrated(project_env):
    result = run_in_project(["manage.py", "run_demo", "--port", str(free_port())], project_env())

    assert result.returncode == 1
    assert "migrations are not applied; run `manage.py migrate` first" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_run_demo_refuses_a_port_that_is_taken(demo_env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run_in_project(["manage.py", "run_demo", "--port", str(port)], demo_env)

    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
