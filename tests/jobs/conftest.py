import pytest

# The API clients of the seeded tenants (and the throttle-counter reset they rely on).
from tests.api.conftest import _fresh_throttle_counters, api, viewer_api  # noqa: F401

from . import jobtasks  # noqa: F401  (registers the test job tasks)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (sending jobs, notifications) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
