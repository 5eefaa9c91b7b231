"""Run the project in a fresh Python process with a chosen environment."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = REPO_ROOT / "ecomops" / "settings.py"
_ENV_READ = re.compile(r"""(?:env\w*|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def settings_variables() -> set[str]:
    """Every environment variable that ecomops/settings.py reads."""
    return set(_ENV_READ.findall(SETTINGS_FILE.read_text(encoding="utf-8")))


def run_in_project(args: list[str], env: dict[str, str], timeout: float = 120):
    """Run `python <args>` from the repository root; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def database_url_of_this_test() -> str:
    """A DATABASE_URL that points another process at the database the current test uses."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"
    raise NotImplementedError(connection.vendor)
