import pytest

from core import llm


@pytest.fixture
def fake_backend():
    """Every call in the test goes through a fresh deterministic fake backend."""
    with llm.use_backend(llm.FakeBackend()) as backend:
        yield backend
