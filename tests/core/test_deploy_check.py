"""`manage.py check --deploy` is clean with production settings and fails on the defaults."""

import secrets

from .processes import run_in_project

DEPLOY_CHECK = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]


def production_env(project_env, **overrides):
    return project_env(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="shop.example.com",
        CSRF_TRUSTED_ORIGINS="https://shop.example.com",
        SITE_URL="https://shop.example.com",
        HTTPS="true",
        SECURE_HSTS_PRELOAD="true",
        BEHIND_PROXY="true",
        DATABASE_URL="postgres://ecomops@db.internal:5432/ecomops",
        REDIS_URL="redis://redis.internal:6379/0",
        **overrides,
    )


def test_deploy_check_passes_with_the_production_environment(project_env):
    result = run_in_project(DEPLOY_CHECK, production_env(project_env))

    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_reads_the_secret_key_from_a_file(project_env, tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(64) + "\n", encoding="utf-8")
    env = production_env(project_env, SECRET_KEY_FILE=str(key_file))
    del env["SECRET_KEY"]

    result = run_in_project(DEPLOY_CHECK, env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_on_the_embedded_insecure_secret_key(project_env):
    env = production_env(project_env)
    del env["SECRET_KEY"]

    result = run_in_project(DEPLOY_CHECK, env)

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_deploy_check_fails_with_the_embedded_defaults(project_env):
    result = run_in_project(DEPLOY_CHECK, project_env())

    assert result.returncode != 0
    for warning in ("security.W004", "security.W009", "security.W012", "security.W016"):
        assert warning in result.stderr
