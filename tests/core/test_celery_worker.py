"""A real `celery worker` process takes a task from the broker and runs it end to end.

The worker is a separate process on the test database; the broker is a temporary filesystem
folder, or Redis when REDIS_URL is set. A queue unique to this test keeps any other worker on
the same Redis (a running demo) from taking the task.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
from celery.result import AsyncResult
from kombu import pools

from ecomops.celery import app
from products.models import StockSnapshot
from products.tasks import stock_snapshot_merchant
from tests.factories import MerchantFactory, ProductFactory, StockLevelFactory

from .processes import REPO_ROOT, database_url_of_this_test

READY_TIMEOUT = 60
TASK_TIMEOUT = 60


def broker_settings(tmp_path) -> tuple[str, dict, dict[str, str]]:
    """(broker URL, transport options, worker environment) shared by this test and its worker."""
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return redis_url, {"visibility_timeout": 3600}, {"REDIS_URL": redis_url}
    broker_dir = tmp_path / "broker"
    options = {
        "data_folder_in": str(broker_dir / "out"),
        "data_folder_out": str(broker_dir / "out"),
        "processed_folder": str(broker_dir / "processed"),
        "control_folder": str(broker_dir / "control"),
        "store_processed": False,
    }
    for folder in ("out", "processed", "control"):
        (broker_dir / folder).mkdir(parents=True)
    return "filesystem://", options, {"CELERY_BROKER_DIR": str(broker_dir)}


@contextlib.contextmanager
def celery_sending_to(broker_url: str, transport_options: dict):
    """Point this process's Celery app at the worker's broker, then restore it."""
    keys = ("task_always_eager", "broker_url", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False,
        broker_url=broker_url,
        broker_transport_options=transport_options,
    )
    _drop_broker_pools()
    try:
        yield
    finally:
        _drop_broker_pools()
        app.conf.update(saved)


def _drop_broker_pools() -> None:
    # Celery caches its connection and producer pools for the broker it first talked to; the
    # same reset it does after a fork makes the next send use the current broker settings.
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu also keeps producer pools per broker URL for the whole process; one closed by an
    # earlier test (a broker-down test, say) must not be handed to this one.
    pools.reset()


def worker_environment(tmp_path, **extra: str) -> tuple[str, dict, dict[str, str]]:
    """Broker URL, transport options and the environment of a worker using this test's database."""
    broker_url, transport_options, broker_env = broker_settings(tmp_path)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_BROKER_DIR"}
    }
    env.update(
        broker_env,
        DJANGO_SETTINGS_MODULE="ecomops.settings",
        DATABASE_URL=database_url_of_this_test(),
        CELERY_TASK_ALWAYS_EAGER="false",
        DATA_DIR=str(tmp_path / "worker-data"),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return broker_url, transport_options, env


class Worker:
    """A `celery worker` subprocess whose output is kept for assertions and failure reports."""

    def __init__(self, *, queue: str, env: dict[str, str], extra_args: tuple[str, ...] = ()):
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ecomops",
                "worker",
                "-Q",
                queue,
                *extra_args,
                "--hostname",
                f"{queue}-{uuid.uuid4().hex[:6]}@%h",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(" ready." in line for line in self.lines):
                return
            if self.process.poll() is not None:
                pytest.fail(f"worker exited with {self.process.returncode}:\n{self.log}")
            time.sleep(0.1)
        pytest.fail(f"worker not ready after {timeout}s:\n{self.log}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no warm shutdown, no acknowledgement."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # A killed parent can leave pool processes holding database connections.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self._reader.join(timeout=5)


@pytest.fixture
def worker_queue():
    return f"test-worker-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def real_worker(transactional_db, tmp_path, worker_queue):
    broker_url, transport_options, env = worker_environment(tmp_path)
    worker = Worker(queue=worker_queue, env=env)
    try:
        worker.wait_until_ready(READY_TIMEOUT)
        with celery_sending_to(broker_url, transport_options):
            yield worker
    finally:
        worker.stop()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_takes_a_snapshot_task_from_the_broker_and_writes_the_rows(
    real_worker, worker_queue
):
    merchant = MerchantFactory(slug="worker-store")
    for on_hand in (5, 12, 40):
        StockLevelFactory(product=ProductFactory(merchant=merchant), on_hand=on_hand)

    sent = stock_snapshot_merchant.apply_async(args=[merchant.pk], queue=worker_queue)

    result = AsyncResult(sent.id, app=app)
    deadline = time.monotonic() + TASK_TIMEOUT
    while time.monotonic() < deadline and result.state != "SUCCESS":
        assert result.state not in {"FAILURE", "REVOKED"}, real_worker.log
        time.sleep(0.25)
    assert result.state == "SUCCESS", f"task state {result.state}\n{real_worker.log}"
    assert result.result == 3
    snapshots = StockSnapshot.objects.filter(merchant=merchant)
    assert sorted(snapshots.values_list("on_hand", flat=True)) == [5, 12, 40]
    assert f"Task products.tasks.stock_snapshot_merchant[{sent.id}] succeeded" in real_worker.log
