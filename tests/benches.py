"""Loading a benchmark script (`bench/<name>.py`, not a package) as a module for tests."""

import importlib.util
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"


def bench_module(filename: str):
    """The module of `bench/<filename>`, registered under `<stem>_bench` in `sys.modules`
    (dataclasses look their module up while being defined)."""
    path = BENCH_DIR / filename
    spec = importlib.util.spec_from_file_location(f"{path.stem}_bench", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
