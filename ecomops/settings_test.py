"""Test override: fast hashing, tasks run inline unless a test starts a real worker."""

import os
import tempfile

os.environ.setdefault("DATA_DIR", os.path.join(tempfile.gettempdir(), "ecomops-test"))

from .settings import *  # noqa: E402,F403
from .settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
# No test loads a real model unless it asks for one (tests/llm does, marked slow).
LLM_BACKEND = "fake"
# Dashboard tests compare first and second requests; the cache tests turn it on themselves.
COCKPIT_KPI_CACHE_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a real worker process can open the test database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(DATA_DIR, f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }
# Whitenoise warns on every request handler it builds when STATIC_ROOT does not exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
