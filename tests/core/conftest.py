"""Fixtures for tests that run the project in a subprocess."""

from __future__ import annotations

import os

import pytest

from .processes import settings_variables


@pytest.fixture
def project_env(tmp_path):
    """Build the environment of a fresh process: none of our variables leak from the caller."""

    def build(**overrides: str) -> dict[str, str]:
        ours = settings_variables()
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ours and key.removesuffix("_FILE") not in ours
        }
        env.update(
            DJANGO_SETTINGS_MODULE="ecomops.settings",
            DATA_DIR=str(tmp_path / "data"),
            PYTHONDONTWRITEBYTECODE="1",
        )
        env.update(overrides)
        return env

    return build
