import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from core.demo import DEMO_USERS, SECOND_USERS, demo_delete, demo_seed

# A Wednesday in June: no store-wide sale in the last weeks.
TODAY = dt.date(2025, 6, 18)
SMALL = {"products": 30, "days": 120, "reviews": 300}


def demo_remove() -> None:
    demo_delete()
    usernames = [user[0] for user in (*DEMO_USERS, *SECOND_USERS)]
    get_user_model().objects.filter(username__in=usernames).delete()


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """The demo built small (30 products, 120 days, 300 reviews) as of `TODAY`, once per
    module: the tests using it only read. Removed again when the module is done."""
    with django_db_blocker.unblock():
        result = demo_seed(**SMALL, today=TODAY)
    yield result
    with django_db_blocker.unblock():
        demo_remove()


@pytest.fixture
def small_demo(seeded_demo, db):
    return seeded_demo
