"""`manage.py run_demo`: the web portal, a Celery worker and Celery beat in one terminal."""

from __future__ import annotations

import os
import socket
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from core.devserver import ProcessSpec, Supervisor

WORKER_QUEUES = "default,llm,forecast"


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _unapplied_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, username, password) of the demo users, or [] when `seed_demo` has not run."""
    from accounts.models import Role
    from core.demo import DEMO_PASSWORD, DEMO_USERS, SECOND_USERS, demo_exists
    from core.demo.seed import SECOND_NAME

    if not demo_exists():
        return []
    owner = get_user_model().objects.filter(username=DEMO_USERS[0][0]).first()
    if owner is not None and owner.check_password(DEMO_PASSWORD):
        password = DEMO_PASSWORD
    else:
        password = _("(the one given to seed_demo --password)")
    logins = [(Role(role).label, username, password) for username, role, *_names in DEMO_USERS]
    logins += [
        (
            _("%(role)s of %(store)s only") % {"role": Role(role).label, "store": SECOND_NAME},
            username,
            password,
        )
        for username, role, *_names in SECOND_USERS
    ]
    return logins


class Command(BaseCommand):
    help = _(
        "Start the web portal, a Celery worker and Celery beat together. "
        "Ctrl-C stops all of them; if one dies, the others are stopped too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help=_("Address the portal binds."))
        parser.add_argument("--port", type=int, default=8000, help=_("Port of the portal."))
        parser.add_argument(
            "--concurrency", type=int, default=2, help=_("Worker processes of the Celery worker.")
        )

    def handle(self, *args, host: str, port: int, concurrency: int, **options):
        if not 0 < port < 65536:
            raise CommandError(_("--port must be between 1 and 65535."))
        if concurrency < 1:
            raise CommandError(_("--concurrency must be at least 1."))
        if not _port_is_free(host, port):
            raise CommandError(
                _("Port %(port)s on %(host)s is already in use; pick another with --port.")
                % {"port": port, "host": host}
            )
        pending = _unapplied_migrations()
        if pending:
            raise CommandError(
                _("%(count)s migrations are not applied; run `manage.py migrate` first.")
                % {"count": pending}
            )
        python = sys.executable
        base_dir = str(settings.BASE_DIR)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "ecomops.settings")
        celery = [python, "-m", "celery", "-A", "ecomops"]
        specs = [
            ProcessSpec(
                "web",
                [python, "manage.py", "runserver", _address(host, port), "--noreload"],
                env=env,
                cwd=base_dir,
                ready_marker="Quit the server with",
            ),
            ProcessSpec(
                "worker",
                [
                    *celery,
                    "worker",
                    "-Q",
                    WORKER_QUEUES,
                    "--concurrency",
                    str(concurrency),
                    "--loglevel",
                    "INFO",
                ],
                env=env,
                cwd=base_dir,
                ready_marker=" ready.",
            ),
            # The scheduler class (django-celery-beat's DatabaseScheduler) comes from settings.
            ProcessSpec(
                "beat",
                [*celery, "beat", "--loglevel", "INFO"],
                env=env,
                cwd=base_dir,
                ready_marker="beat: Starting",
            ),
        ]
        banner = self._banner(host, port)
        # The children open their own connections; do not hold one across their lifetime.
        connections.close_all()
        self.stdout.write(
            _("Starting the portal on %(address)s, a Celery worker and Celery beat…")
            % {"address": _address(host, port)}
        )
        self.stdout.flush()
        supervisor = Supervisor(specs)
        # Celery's start-up banner is long: show the address and logins once all are up.
        supervisor.on_ready = lambda: supervisor.announce(banner)
        exit_code = supervisor.run()
        if exit_code:
            sys.exit(exit_code)

    def _banner(self, host: str, port: int) -> str:
        url_host = f"[{host}]" if ":" in host else host
        if host in ("0.0.0.0", "::"):  # noqa: S104 - only echoed back to the user
            url_host = "127.0.0.1"
        database = settings.DATABASES["default"]
        lines = [
            "",
            _("EcomOps demo is running."),
            _("  Portal:    %(url)s") % {"url": f"http://{url_host}:{port}/"},
            _("  API docs:  %(url)s") % {"url": f"http://{url_host}:{port}/api/docs/"},
        ]
        logins = demo_logins()
        for role, username, password in logins:
            lines.append(
                _("  Login (%(role)s): %(username)s / %(password)s")
                % {"role": role, "username": username, "password": password}
            )
        if not logins:
            lines.append(_("  No demo data yet: run `manage.py seed_demo` to create the logins."))
        lines += [
            _("  Database:  %(engine)s %(name)s")
            % {"engine": database["ENGINE"].rsplit(".", 1)[-1], "name": database["NAME"]},
            _("  Broker:    %(broker)s") % {"broker": _redacted(settings.CELERY_BROKER_URL)},
            _("Press Ctrl-C to stop the portal, the worker and beat."),
            "",
        ]
        return "\n".join(lines)


def _redacted(url: str) -> str:
    """Hide a password in a broker URL before printing it."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"
