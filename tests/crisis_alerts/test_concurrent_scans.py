"""Two scans of one merchant at the same moment leave one alert per condition and one crisis
per product: the second waits for the first (the scan lock) and updates what it wrote."""

import threading

import pytest
from django.db import connection

from crisis.models import Alert, Crisis
from crisis.services.alerts import alerts_apply

from .conftest import finding


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_create_no_duplicates(merchant, bottle, charger):
    findings = [
        finding("stockout_risk", product=bottle, money="6000"),
        finding("review_surge", product=bottle, money="900", aspect="leaking"),
        finding("overstock", product=charger, money="3000"),
        finding("sales_drop", product=None, money="1200"),
    ]
    start = threading.Barrier(2)
    reports, errors = [], []

    def scan() -> None:
        try:
            start.wait(timeout=10)
            reports.append(alerts_apply(merchant=merchant, findings=findings))
        except Exception as exc:  # reported below: the test must see it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted((r.opened, r.updated) for r in reports) == [(0, 4), (4, 0)]
    assert Alert.objects.count() == 4
    assert Alert.objects.filter(detections=2).count() == 4
    assert Crisis.objects.count() == 3
