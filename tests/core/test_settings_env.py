"""Settings come from the environment: embedded defaults, PostgreSQL and Redis by URL."""

import json
import re

import pytest

from .processes import REPO_ROOT, run_in_project, settings_variables

DUMP_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
from django.db import connection
from django.db.backends.postgresql.psycopg_any import is_psycopg3
from ecomops.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "db_name": str(db["NAME"]),
    "db_host": db.get("HOST", ""),
    "vendor": connection.vendor,
    "psycopg3": is_psycopg3,
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "broker": app.conf.broker_url,
    "transport_options": app.conf.broker_transport_options,
    "result_backend": app.conf.result_backend,
    "accept_content": list(app.conf.accept_content),
    "task_serializer": app.conf.task_serializer,
    "result_serializer": app.conf.result_serializer,
    "acks_late": app.conf.task_acks_late,
    "reject_on_worker_lost": app.conf.task_reject_on_worker_lost,
    "time_limit": app.conf.task_time_limit,
    "soft_time_limit": app.conf.task_soft_time_limit,
    "queues": sorted(q.name for q in app.conf.task_queues),
    "default_queue": app.conf.task_default_queue,
    "always_eager": app.conf.task_always_eager,
    "beat_scheduler": app.conf.beat_scheduler,
    "debug": settings.DEBUG,
}))
"""


def settings_under(env) -> dict:
    result = run_in_project(["-c", DUMP_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_environment_means_sqlite_and_a_filesystem_broker(project_env, tmp_path):
    values = settings_under(project_env())

    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["db_name"] == str(tmp_path / "data" / "db.sqlite3")
    assert values["broker"] == "filesystem://"
    broker_dir = tmp_path / "data" / "broker"
    assert values["transport_options"]["data_folder_in"] == str(broker_dir / "out")
    assert values["transport_options"]["control_folder"] == str(broker_dir / "control")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["result_backend"] == "django-db"
    assert values["debug"] is False


def test_database_url_switches_to_postgresql_with_psycopg_3(project_env):
    values = settings_under(project_env(DATABASE_URL="postgres://u@h:5432/db"))

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["vendor"] == "postgresql"
    assert values["psycopg3"] is True
    assert (values["db_name"], values["db_host"]) == ("db", "h")


def test_redis_url_switches_the_broker_and_the_cache_to_redis(project_env):
    values = settings_under(project_env(REDIS_URL="redis://cache.internal:6379/3"))

    assert values["broker"] == "redis://cache.internal:6379/3"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["cache_location"] == "redis://cache.internal:6379/3"
    assert "visibility_timeout" in values["transport_options"]


def test_celery_is_json_only_acks_late_with_time_limits_and_three_queues(project_env):
    values = settings_under(project_env())

    assert values["accept_content"] == ["json"]
    assert values["task_serializer"] == values["result_serializer"] == "json"
    assert values["acks_late"] is True
    assert values["reject_on_worker_lost"] is True
    assert 0 < values["soft_time_limit"] < values["time_limit"]
    assert values["queues"] == ["default", "forecast", "llm"]
    assert values["default_queue"] == "default"
    assert values["always_eager"] is False
    assert values["beat_scheduler"] == "django_celery_beat.schedulers:DatabaseScheduler"


@pytest.mark.parametrize("variable", sorted(settings_variables()))
def test_env_example_documents_every_variable_the_settings_read(variable):
    example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")

    # Either set (VAR=value) or shown commented out (# VAR=value) at the start of a line.
    assert re.search(rf"^(# )?{variable}=", example, flags=re.MULTILINE)
