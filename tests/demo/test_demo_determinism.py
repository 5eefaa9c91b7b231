import pytest

from accounts.models import Merchant
from core.demo import demo_seed

from . import rules
from .conftest import SMALL, TODAY


def digests() -> tuple[str, str]:
    return (
        rules.demo_digest(Merchant.objects.get(slug="demo")),
        rules.demo_digest(Merchant.objects.get(slug="second-store")),
    )


@pytest.mark.django_db
def test_two_seeds_on_the_same_day_write_identical_data():
    demo_seed(**SMALL, today=TODAY)
    first = digests()

    demo_seed(**SMALL, today=TODAY, replace=True)

    assert digests() == first


@pytest.mark.django_db
def test_another_random_seed_writes_different_data():
    demo_seed(**SMALL, today=TODAY)
    first = digests()

    demo_seed(**SMALL, today=TODAY, replace=True, seed=7)

    assert digests()[0] != first[0]
