"""The supervisor behind `run_demo` keeps its children together: all run, or none."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time

from core.devserver import ProcessSpec, Supervisor

from .processes import REPO_ROOT

PY = sys.executable


def child(code: str) -> list[str]:
    return [PY, "-u", "-c", textwrap.dedent(code)]


SERVE_FOREVER = child(
    """
    import time
    print("serving", flush=True)
    while True:
        time.sleep(0.1)
    """
)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_when_one_child_dies_the_others_are_stopped_and_its_exit_code_returned():
    out = io.StringIO()
    supervisor = Supervisor(
        [
            ProcessSpec("server", SERVE_FOREVER),
            ProcessSpec("crasher", child("import time; time.sleep(0.5); raise SystemExit(3)")),
        ],
        out=out,
    )

    exit_code = supervisor.run()

    assert exit_code == 3
    assert "crasher exited with code 3; stopping all" in out.getvalue()
    assert all(c.process.poll() is not None for c in supervisor._children)


def test_a_child_that_exits_cleanly_still_stops_the_demo_with_a_failure_code():
    supervisor = Supervisor(
        [ProcessSpec("server", SERVE_FOREVER), ProcessSpec("quitter", child("pass"))],
        out=io.StringIO(),
    )

    assert supervisor.run() == 1


def test_a_stop_request_stops_every_child_and_returns_zero():
    out = io.StringIO()
    supervisor = Supervisor(
        [ProcessSpec("web", SERVE_FOREVER), ProcessSpec("worker", SERVE_FOREVER)], out=out
    )
    threading.Timer(1.0, supervisor.request_stop).start()

    exit_code = supervisor.run()

    assert exit_code == 0
    assert all(c.process.returncode == -signal.SIGTERM for c in supervisor._children)
    lines = out.getvalue().splitlines()
    assert "web      | serving" in lines
    assert "worker   | serving" in lines


def test_a_child_that_ignores_sigterm_is_killed_after_the_timeout():
    stubborn = child(
        """
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("ignoring SIGTERM", flush=True)
        while True:
            time.sleep(0.1)
        """
    )
    out = io.StringIO()
    supervisor = Supervisor([ProcessSpec("stubborn", stubborn)], out=out, stop_timeout=1.0)
    threading.Timer(1.0, supervisor.request_stop).start()

    started = time.monotonic()
    assert supervisor.run() == 0

    assert time.monotonic() - started < 10
    assert supervisor._children[0].process.returncode == -signal.SIGKILL
    assert "stubborn did not stop in time; killing it" in out.getvalue()


def test_the_ready_callback_runs_once_after_every_marked_child_is_up():
    out = io.StringIO()
    calls = []
    slow = child('import time; time.sleep(0.5); print("ready now", flush=True); time.sleep(60)')
    supervisor = Supervisor(
        [
            ProcessSpec("fast", SERVE_FOREVER, ready_marker="serving"),
            ProcessSpec("slow", slow, ready_marker="ready now"),
        ],
        out=out,
    )

    def on_ready():
        calls.append(time.monotonic())
        supervisor.announce("ALL UP")
        supervisor.request_stop()

    supervisor.on_ready = on_ready
    assert supervisor.run() == 0

    assert len(calls) == 1
    lines = out.getvalue().splitlines()
    assert lines.index("ALL UP") > lines.index("slow     | ready now")


def test_ctrl_c_stops_the_supervisor_and_all_its_children():
    script = textwrap.dedent(
        f"""
        import sys
        from core.devserver import ProcessSpec, Supervisor
        serve = {SERVE_FOREVER!r}
        specs = [ProcessSpec(name, serve, ready_marker="serving") for name in ("a", "b")]
        supervisor = Supervisor(specs)
        supervisor.on_ready = lambda: supervisor.announce("UP")
        sys.exit(supervisor.run())
        """
    )
    process = subprocess.Popen(
        [PY, "-u", "-c", script],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.strip() == "UP":
            break

    process.send_signal(signal.SIGINT)
    output = "".join(lines) + process.communicate(timeout=30)[0]

    assert process.returncode == 0, output
    assert "interrupted; stopping all processes" in output
    child_pids = [int(pid) for pid in re.findall(r"stopping [ab] \(pid (\d+)\)", output)]
    assert len(child_pids) == 2, output
    assert not any(pid_alive(pid) for pid in child_pids)
