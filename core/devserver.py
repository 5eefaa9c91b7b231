"""Run several long-lived processes as one: the supervisor behind `manage.py run_demo`.

Each child gets its own process group, so a Ctrl-C reaches only the supervisor, which then
stops the children in order (a Celery worker finishes its current task on SIGTERM) instead of
every process tearing itself down at once. Output is forwarded line by line with a name prefix.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

# The prefix of the supervisor's own messages.
SELF_NAME = "run_demo"


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: Sequence[str]
    env: dict[str, str] | None = None
    cwd: str | None = None
    # A substring of the output line that says the process is up and serving.
    ready_marker: str | None = None


@dataclass
class _Child:
    spec: ProcessSpec
    process: subprocess.Popen
    reader: threading.Thread = field(init=False)


class Supervisor:
    """Start children, forward their output, and stop them all when one dies or on a signal."""

    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        *,
        out: TextIO | None = None,
        stop_timeout: float = 15.0,
        poll_interval: float = 0.2,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self.specs = list(specs)
        self.on_ready = on_ready
        self._not_ready = {spec.name for spec in self.specs if spec.ready_marker}
        self.out = out or sys.stdout
        self.stop_timeout = stop_timeout
        self.poll_interval = poll_interval
        self._children: list[_Child] = []
        self._write_lock = threading.Lock()
        self._stop_requested = threading.Event()
        self._signals_received = 0
        self._width = max(len(name) for name in [SELF_NAME, *(spec.name for spec in self.specs)])

    # --- output ---------------------------------------------------------------------------
    def say(self, name: str, line: str) -> None:
        with self._write_lock:
            self.out.write(f"{name.ljust(self._width)} | {line.rstrip()}\n")
            self.out.flush()

    def announce(self, text: str) -> None:
        """Write text without a prefix, between whole lines of the children."""
        with self._write_lock:
            self.out.write(text.rstrip("\n") + "\n")
            self.out.flush()

    def _forward(self, child: _Child) -> None:
        assert child.process.stdout is not None
        marker = child.spec.ready_marker
        for line in child.process.stdout:
            self.say(child.spec.name, line)
            if marker and marker in line:
                marker = None
                self._mark_ready(child.spec.name)

    def _mark_ready(self, name: str) -> None:
        with self._write_lock:
            self._not_ready.discard(name)
            all_ready = not self._not_ready
        if all_ready and self.on_ready is not None and not self._stop_requested.is_set():
            self.on_ready()

    # --- signals --------------------------------------------------------------------------
    def _on_signal(self, signum, frame) -> None:
        self._signals_received += 1
        if self._signals_received > 1:
            # A second Ctrl-C means "now": skip the graceful wait.
            for child in self._children:
                self._kill_group(child.process)
        self.request_stop()

    def request_stop(self) -> None:
        """Stop all children and make `run` return 0 (what Ctrl-C does)."""
        self._stop_requested.set()

    @staticmethod
    def _kill_group(process: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        for spec in self.specs:
            process = subprocess.Popen(  # noqa: S603 - argv built by our own command
                list(spec.argv),
                env=spec.env,
                cwd=spec.cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
                start_new_session=True,
            )
            child = _Child(spec=spec, process=process)
            child.reader = threading.Thread(target=self._forward, args=(child,), daemon=True)
            child.reader.start()
            self._children.append(child)

    def stop(self) -> None:
        """Ask every running child to stop (SIGTERM), then kill what is left after the timeout."""
        running = [c for c in self._children if c.process.poll() is None]
        for child in running:
            self.say(SELF_NAME, f"stopping {child.spec.name} (pid {child.process.pid})")
            with contextlib.suppress(ProcessLookupError):
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            remaining = max(0.0, deadline - time.monotonic())
            try:
                child.process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                self.say(SELF_NAME, f"{child.spec.name} did not stop in time; killing it")
                self._kill_group(child.process)
                child.process.wait()
        # Pool processes of a killed worker may outlive their parent: clear each group.
        for child in self._children:
            self._kill_group(child.process)
        for child in self._children:
            child.reader.join(timeout=2)

    def run(self) -> int:
        """Run until a signal (exit 0) or until a child exits (exit non-zero)."""
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        exit_code = 0
        try:
            self.start()
            while not self._stop_requested.is_set():
                dead = next((c for c in self._children if c.process.poll() is not None), None)
                if dead is not None:
                    code = dead.process.returncode
                    self.say(SELF_NAME, f"{dead.spec.name} exited with code {code}; stopping all")
                    # A child killed by a signal reports -N; a shell would say 128 + N.
                    exit_code = code if code > 0 else (128 - code if code < 0 else 1)
                    break
                self._stop_requested.wait(self.poll_interval)
            else:
                self.say(SELF_NAME, "interrupted; stopping all processes")
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return exit_code
