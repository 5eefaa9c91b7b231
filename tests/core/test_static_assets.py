"""Bootstrap and Plotly are served from their Python packages, with and without collectstatic."""

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from .processes import run_in_project

VENDOR_ASSETS = {
    "vendor/bootstrap/bootstrap.min.css": b"Bootstrap",
    "vendor/bootstrap/bootstrap.bundle.min.js": b"Bootstrap",
    "vendor/plotly/plotly.min.js": b"plotly",
}


@pytest.mark.parametrize(("path", "marker"), VENDOR_ASSETS.items())
def test_the_finders_locate_each_vendor_asset_in_its_package(path, marker):
    found = finders.find(path)

    assert found is not None, f"{path} not found"
    assert "site-packages" in found or "dist-packages" in found
    with open(found, "rb") as asset:
        assert marker in asset.read(4096)


def test_collectstatic_copies_the_vendor_assets(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"

    call_command("collectstatic", interactive=False, verbosity=0)

    for path in VENDOR_ASSETS:
        assert (tmp_path / "static" / path).stat().st_size > 10_000


def test_production_collectstatic_builds_the_hashed_manifest(project_env, tmp_path):
    # DEBUG off selects whitenoise's manifest storage, which rewrites the sourceMappingURL
    # comments of the minified files and fails if any referenced file is missing.
    static_root = tmp_path / "collected"
    env = project_env(DEBUG="false", STATIC_ROOT=str(static_root))

    result = run_in_project(["manage.py", "collectstatic", "--noinput"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (static_root / "staticfiles.json").read_text(encoding="utf-8")
    for path in VENDOR_ASSETS:
        assert f'"{path}"' in manifest
