"""The OpenAPI schema generates cleanly and documents the merchant header and token auth."""

import pytest
import yaml
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    # --fail-on-warn turns any warning (an unresolvable field, a colliding id) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_every_endpoint_is_in_the_schema(schema):
    assert set(schema["paths"]) == {
        "/api/v1/products/",
        "/api/v1/products/{product_id}/",
        "/api/v1/stock/",
        "/api/v1/stock/{product_id}/",
        "/api/v1/stock/{product_id}/history/",
        "/api/v1/sales/",
        "/api/v1/sales/{sales_id}/",
        "/api/v1/reviews/",
        "/api/v1/reviews/{review_id}/",
        "/api/v1/jobs/",
        "/api/v1/jobs/{job_id}/",
        "/api/v1/jobs/{job_id}/cancel/",
        "/api/v1/jobs/{job_id}/retry/",
        "/api/v1/notifications/",
        "/api/v1/notifications/read-all/",
        "/api/v1/notifications/unread-count/",
        "/api/v1/notifications/{notification_id}/read/",
        "/api/v1/notification-preferences/",
        "/api/v1/notification-channels/",
        "/api/v1/notification-channels/{channel_id}/",
        "/api/v1/notification-channels/{channel_id}/deliveries/",
        "/api/v1/notification-channels/{channel_id}/enable/",
        "/api/v1/notification-channels/{channel_id}/test/",
        "/api/v1/products/{product_id}/content/generate/",
        "/api/v1/content/generate/bulk/",
        "/api/v1/content/drafts/",
        "/api/v1/content/drafts/{draft_id}/",
        "/api/v1/content/drafts/{draft_id}/approve/",
        "/api/v1/content/drafts/{draft_id}/choose/",
        "/api/v1/content/drafts/{draft_id}/edit/",
        "/api/v1/content/drafts/{draft_id}/override/",
        "/api/v1/content/drafts/{draft_id}/publish/",
        "/api/v1/content/drafts/{draft_id}/reject/",
        "/api/v1/content/versions/",
        "/api/v1/content/versions/{version_id}/",
        "/api/v1/content/versions/{version_id}/restore/",
        "/api/v1/forecast-runs/",
        "/api/v1/forecast-runs/{run_id}/",
        "/api/v1/forecasts/",
        "/api/v1/products/{product_id}/forecast/",
        "/api/v1/inventory-plans/",
        "/api/v1/inventory-plans/{product_id}/",
        "/api/v1/planning-settings/",
        "/api/v1/calendar-events/",
        "/api/v1/calendar-events/{calendar_event_id}/",
        "/api/v1/products/{product_id}/review-summaries/",
        "/api/v1/products/{product_id}/review-summaries/latest/",
        "/api/v1/reviews/{review_id}/reply-drafts/",
        "/api/v1/reviews/analyse/",
        "/api/v1/review-topics/",
        "/api/v1/review-topics/{topic_id}/",
        "/api/v1/review-insights/",
        "/api/v1/products/{product_id}/review-insights/",
        "/api/v1/sentiment-models/",
        "/api/v1/imports/",
        "/api/v1/imports/{batch_id}/",
        "/api/v1/imports/{batch_id}/configure/",
        "/api/v1/imports/{batch_id}/start/",
        "/api/v1/imports/{batch_id}/cancel/",
        "/api/v1/imports/{batch_id}/errors/",
        "/api/v1/imports/{batch_id}/rejected/",
        "/api/v1/import-mappings/",
        "/api/v1/import-mappings/{mapping_id}/",
        "/api/v1/bulk/products/",
        "/api/v1/bulk/sales/",
        "/api/v1/bulk/stock/",
        "/api/v1/bulk/reviews/",
        "/api/v1/crises/",
        "/api/v1/crises/{crisis_id}/",
        "/api/v1/crises/{crisis_id}/timeline/",
        "/api/v1/crises/{crisis_id}/comments/",
        "/api/v1/crises/{crisis_id}/status/",
        "/api/v1/crises/{crisis_id}/assign/",
        "/api/v1/crises/{crisis_id}/resolve/",
        "/api/v1/crises/{crisis_id}/reopen/",
        "/api/v1/crises/{crisis_id}/playbooks/",
        "/api/v1/crises/{crisis_id}/actions/",
        "/api/v1/crisis-actions/{action_id}/approve/",
        "/api/v1/crisis-actions/{action_id}/reject/",
        "/api/v1/alerts/",
        "/api/v1/alerts/{alert_id}/",
        "/api/v1/alerts/{alert_id}/acknowledge/",
        "/api/v1/alerts/{alert_id}/snooze/",
        "/api/v1/alerts/{alert_id}/resolve/",
        "/api/v1/crisis-settings/",
        "/api/v1/crisis-scans/",
    }


def test_token_auth_and_the_merchant_header_are_documented(schema):
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"tokenAuth": []} in operation["security"], (method, path)
            headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
            assert headers == ["X-Merchant"], (method, path)


def test_errors_are_documented_with_the_one_error_shape(schema):
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("401", "403", "404"):
                content = operation["responses"][code]["content"]["application/json"]
                assert content["schema"] == error_ref, (method, path, code)


def test_sales_accept_one_row_or_an_array(schema):
    body = schema["paths"]["/api/v1/sales/"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    one_of = schema["components"]["schemas"][ref]["oneOf"]
    assert {"type": "array", "items": one_of[0]} in one_of


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
