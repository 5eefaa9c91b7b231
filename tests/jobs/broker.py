"""Point this process's Celery app at a chosen broker with eager mode off, then restore it."""

from __future__ import annotations

import contextlib

from kombu import pools

from tests.core.test_celery_worker import broker_settings, celery_sending_to

# Nothing listens on port 1: connecting is refused at once, like a broker that is down.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@contextlib.contextmanager
def sending_to(broker_url: str, options: dict):
    # kombu keeps producer pools per broker URL for the whole process; closed ones must not be
    # found again by the next test that uses the same URL.
    pools.reset()
    try:
        with celery_sending_to(broker_url, options):
            yield
    finally:
        pools.reset()


@contextlib.contextmanager
def broker_down():
    with sending_to(UNREACHABLE_BROKER, {"max_retries": 0}):
        yield


@contextlib.contextmanager
def filesystem_broker(tmp_path):
    """A real filesystem broker (even when REDIS_URL is set) with no worker: sent messages
    wait as files in the folder this yields."""
    folders = {name: tmp_path / "fs-broker" / name for name in ("out", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    options = {
        "data_folder_in": str(folders["out"]),
        "data_folder_out": str(folders["out"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
    }
    with sending_to("filesystem://", options):
        yield folders["out"]


__all__ = ["broker_down", "filesystem_broker", "broker_settings", "sending_to"]
