"""`manage.py seed_demo`: build the demo merchants (see `core.demo`)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from core.demo import SECOND_USERS, DemoSeedError, DemoSeedResult, demo_exists, demo_seed
from core.demo.seed import DEFAULT_DAYS, DEFAULT_PRODUCTS, DEFAULT_REVIEWS, DEFAULT_SEED

CRISIS_LABELS = {
    "stockout": gettext_lazy("stock-out risk"),
    "overstock": gettext_lazy("overstock"),
    "sales_slide": gettext_lazy("sales slide"),
    "review_surge": gettext_lazy("review surge"),
}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("--today must be a date like 2025-06-30.")) from error


class Command(BaseCommand):
    help = _(
        'Build "Demo Store" (about 200 products, two years of daily sales, stock history, '
        'about 5,000 reviews, four planted crises) and a small "Second Store". '
        "Deterministic for a given day."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing when the demo merchants already exist."),
        )
        mode.add_argument(
            "--reset", action="store_true", help=_("Delete the demo merchants and rebuild them.")
        )
        parser.add_argument("--products", type=int, default=DEFAULT_PRODUCTS)
        parser.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help=_("Days of sales history.")
        )
        parser.add_argument("--reviews", type=int, default=DEFAULT_REVIEWS)
        parser.add_argument("--password", help=_("Password of every demo user."))
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=_("Random seed of the generators.")
        )
        parser.add_argument(
            "--today",
            type=_date,
            help=_("Build as if today were this date (sales end the day before)."),
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help=_("Portal address to print.")
        )

    def handle(self, *args, **options):
        if options["if_empty"] and demo_exists():
            self.stdout.write(_("The demo merchants already exist; nothing to do."))
            return
        seed_options = {
            "products": options["products"],
            "days": options["days"],
            "reviews": options["reviews"],
            "seed": options["seed"],
            "today": options["today"],
            "replace": options["reset"],
        }
        if options["password"] is not None:
            seed_options["password"] = options["password"]
        verbose = options["verbosity"] > 1
        try:
            result = demo_seed(
                **seed_options, log=(lambda line: self.stdout.write(line)) if verbose else None
            )
        except DemoSeedError as error:
            raise CommandError(str(error)) from error
        self._summary(result, url=options["url"])

    def _summary(self, result: DemoSeedResult, *, url: str) -> None:
        lines = [
            _("Demo data built in %(seconds).1f s (sales end %(yesterday)s).")
            % {"seconds": result.seconds, "yesterday": result.today - dt.timedelta(days=1)},
        ]
        for merchant in (result.merchant, result.second_merchant):
            counts = result.counts[merchant.slug]
            lines.append(
                _(
                    "  %(name)s (%(slug)s, %(currency)s, %(timezone)s): %(products)d products, "
                    "%(sales)s daily sales rows, %(snapshots)s stock snapshots, "
                    "%(reviews)s reviews"
                )
                % {
                    "name": merchant.name,
                    "slug": merchant.slug,
                    "currency": merchant.currency,
                    "timezone": merchant.timezone,
                    "products": counts.products,
                    "sales": f"{counts.sales_rows:,}",
                    "snapshots": f"{counts.snapshots:,}",
                    "reviews": f"{counts.reviews:,}",
                }
            )
        lines.append(_("Planted crises in %(name)s:") % {"name": result.merchant.name})
        for crisis in result.crises:
            lines.append(f"  [{CRISIS_LABELS[crisis.kind]}] {crisis.sku} {crisis.title}")
            lines.append(f"      {crisis.summary}")
        lines.append(_("Open %(url)s and sign in as:") % {"url": url})
        for username, role in result.users:
            lines.append(
                _("  %(username)s / %(password)s  (%(role)s)")
                % {"username": username, "password": result.password, "role": Role(role).label}
            )
        lines.append(
            _("  (%(owner)s also owns %(second)s: use the merchant switcher.)")
            % {"owner": result.users[0][0], "second": result.second_merchant.name}
        )
        for username, _role, *_names in SECOND_USERS:
            lines.append(
                _("  %(username)s / %(password)s  (owner of %(second)s only)")
                % {
                    "username": username,
                    "password": result.password,
                    "second": result.second_merchant.name,
                }
            )
        self.stdout.write("\n".join(lines))
