import datetime as dt
import zoneinfo
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import Membership, Merchant, Role
from core.demo import DEMO_PASSWORD
from forecasting.models import DailySales
from products.models import Product
from reviews.models import Review

from .conftest import SMALL

SMALL_ARGS = [f"--{name}={value}" for name, value in SMALL.items()]


def run(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *SMALL_ARGS, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_creates_both_stores_with_roles_and_prints_the_logins():
    output = run()

    demo = Merchant.objects.get(slug="demo")
    second = Merchant.objects.get(slug="second-store")
    assert (demo.name, demo.currency, demo.timezone) == ("Demo Store", "USD", "America/New_York")
    assert (second.name, second.currency) == ("Second Store", "CNY")
    roles = dict(Membership.objects.filter(merchant=demo).values_list("user__username", "role"))
    assert roles == {
        "demo": Role.OWNER,
        "manager": Role.MANAGER,
        "analyst": Role.ANALYST,
        "viewer": Role.VIEWER,
    }
    assert dict(
        Membership.objects.filter(merchant=second).values_list("user__username", "role")
    ) == {"demo": Role.OWNER, "second": Role.OWNER}
    assert not Membership.objects.filter(merchant=demo, user__username="second").exists()
    for username in [*roles, "second"]:
        assert get_user_model().objects.get(username=username).check_password(DEMO_PASSWORD)
    assert "http://127.0.0.1:8000/" in output
    assert f"demo / {DEMO_PASSWORD}" in output
    assert f"viewer / {DEMO_PASSWORD}" in output
    assert f"second / {DEMO_PASSWORD}" in output
    assert "ELE-CHG-65W-WHT" in output and "DRK-BTL-750-SLV" in output


@pytest.mark.django_db
def test_sales_end_yesterday_in_the_merchants_time_zone_when_no_date_is_given():
    run()

    demo = Merchant.objects.get(slug="demo")
    yesterday = dt.datetime.now(zoneinfo.ZoneInfo(demo.timezone)).date() - dt.timedelta(days=1)
    dates = DailySales.objects.filter(merchant=demo).values_list("date", flat=True)
    assert max(dates) == yesterday
    assert min(dates) == yesterday - dt.timedelta(days=SMALL["days"] - 1)


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_demo_untouched():
    run()
    counts = (Product.objects.count(), DailySales.objects.count(), Review.objects.count())

    output = run("--if-empty")

    assert "nothing to do" in output
    assert (Product.objects.count(), DailySales.objects.count(), Review.objects.count()) == counts
    assert Merchant.objects.filter(slug="demo").count() == 1


@pytest.mark.django_db
def test_seeding_again_without_reset_is_a_clear_error():
    run()

    with pytest.raises(CommandError, match="--reset"):
        run()


@pytest.mark.django_db
def test_reset_rebuilds_the_demo_without_duplicates():
    run()
    products = Product.objects.count()

    run("--reset")

    assert Merchant.objects.filter(slug__in=["demo", "second-store"]).count() == 2
    assert Product.objects.count() == products


@pytest.mark.django_db
def test_password_option_sets_every_demo_users_password():
    run("--password=s3cret-demo")

    viewer = get_user_model().objects.get(username="viewer")
    assert viewer.check_password("s3cret-demo")
    assert not viewer.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--products=3"], "--products"),
        (["--days=10"], "--days"),
        (["--reviews=5"], "--reviews"),
        (["--today=yesterday"], "--today"),
    ],
)
def test_bad_options_are_clear_errors_and_write_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)

    assert not Merchant.objects.exists()


def test_if_empty_and_reset_cannot_be_combined():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--if-empty", "--reset", stdout=StringIO())
