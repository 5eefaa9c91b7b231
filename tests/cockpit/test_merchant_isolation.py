"""Another merchant's crises, plans, reviews, drafts and jobs never reach the cockpit."""

import pytest
from django.urls import reverse

from .conftest import store_fill


@pytest.fixture
def theirs(other_merchant):
    return store_fill(other_merchant, tag="THEIRS ")


def test_another_merchants_rows_never_appear(viewer_client, store, theirs):
    html = viewer_client.get(reverse("dashboard")).content.decode()
    assert "THEIRS" not in html
    for name in ("big fire", "medium fire", "small fire"):
        assert reverse("crisis-detail", kwargs={"crisis_id": theirs[name].pk}) not in html
    for name in ("likely stockout", "big overstock"):
        product_id = theirs[name].product_id
        assert reverse("forecast-product", kwargs={"product_id": product_id}) not in html
    for name in ("souring", "slipping"):
        url = reverse("review-product-insights", kwargs={"product_id": theirs[name].pk})
        assert url not in html
    for name in ("older draft", "newer draft"):
        assert reverse("content-draft", kwargs={"draft_id": theirs[name].pk}) not in html
    for name in ("running job", "failed job"):
        assert reverse("job-detail", kwargs={"job_id": theirs[name].pk}) not in html
    # Counts and totals are the merchant's own, not the sum of both stores.
    assert "3 open crises" in html and "$55,300.00" in html
    assert "See all 2 products at risk" in html
    assert "Running or queued (1)" in html


def test_a_merchant_with_nothing_sees_nothing_of_a_busy_neighbour(viewer_client, theirs):
    html = viewer_client.get(reverse("dashboard")).content.decode()
    assert "THEIRS" not in html
    assert html.count("cockpit-empty") == 7


def test_the_linked_pages_of_another_merchants_rows_are_404(viewer_client, theirs):
    for url in (
        reverse("crisis-detail", kwargs={"crisis_id": theirs["big fire"].pk}),
        reverse("forecast-product", kwargs={"product_id": theirs["likely stockout"].product_id}),
        reverse("review-product-insights", kwargs={"product_id": theirs["souring"].pk}),
        reverse("content-draft", kwargs={"draft_id": theirs["older draft"].pk}),
        reverse("job-detail", kwargs={"job_id": theirs["failed job"].pk}),
    ):
        assert viewer_client.get(url).status_code == 404, url
