"""Serve front-end assets straight out of the Python packages that ship them.

Bootstrap comes from `bootstrap-wrapper`, Plotly from `plotly`; both are pinned in
pyproject.toml, so upgrading an asset is a dependency bump, never a hand-pasted file.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

# static path -> (package to locate, file path relative to that package's directory)
VENDOR_FILES = {
    "vendor/bootstrap/bootstrap.min.css": (
        "bootstrap_wrapper",
        "../bootstrap/css/bootstrap.min.css",
    ),
    "vendor/bootstrap/bootstrap.bundle.min.js": (
        "bootstrap_wrapper",
        "../bootstrap/js/bootstrap.bundle.min.js",
    ),
    # The minified files end in a sourceMappingURL comment; the manifest storage of a
    # production collectstatic rewrites it and fails if the map is missing.
    "vendor/bootstrap/bootstrap.min.css.map": (
        "bootstrap_wrapper",
        "../bootstrap/css/bootstrap.min.css.map",
    ),
    "vendor/bootstrap/bootstrap.bundle.min.js.map": (
        "bootstrap_wrapper",
        "../bootstrap/js/bootstrap.bundle.min.js.map",
    ),
    "vendor/plotly/plotly.min.js": ("plotly", "package_data/plotly.min.js"),
}


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent


def vendor_path(static_path: str) -> Path | None:
    package, relative = VENDOR_FILES[static_path]
    base = _package_dir(package)
    return (base / relative).resolve() if base else None


class VendorFinder(BaseFinder):
    def check(self, **kwargs):
        errors = []
        for static_path in VENDOR_FILES:
            path = vendor_path(static_path)
            if path is None or not path.is_file():
                errors.append(
                    Error(
                        f"Static asset {static_path} is missing from its package.",
                        hint="Reinstall the project: pip install -e .",
                        id="core.E001",
                    )
                )
        return errors

    def find(self, path, find_all=False, **kwargs):
        if path not in VENDOR_FILES:
            return [] if find_all else None
        found = vendor_path(path)
        if found is None or not found.is_file():
            return [] if find_all else None
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns):
        for static_path in VENDOR_FILES:
            found = vendor_path(static_path)
            if found is not None and found.is_file():
                storage = FileSystemStorage(location=str(found.parent))
                # collectstatic copies storage.path(name) to prefix + name.
                storage.prefix = static_path.rsplit("/", 1)[0]
                yield found.name, storage
