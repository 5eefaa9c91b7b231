import pytest


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (sending jobs, notifications) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def small_chunks(settings):
    settings.FORECAST_CHUNK_SIZE = 3
    return 3
