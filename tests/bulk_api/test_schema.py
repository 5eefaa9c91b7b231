"""The bulk endpoints are in the OpenAPI schema with their item shapes, results and errors."""

import pytest
import yaml
from django.core.management import call_command

PATHS = [
    "/api/v1/bulk/products/",
    "/api/v1/bulk/sales/",
    "/api/v1/bulk/stock/",
    "/api/v1/bulk/reviews/",
]


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    # tests/api/test_schema.py fails on any warning of the whole schema; this one checks the
    # bulk operations' content.
    call_command("spectacular", "--validate", "--file", str(path))
    return yaml.safe_load(path.read_text())


def _resolve(schema, node):
    ref = node.get("$ref")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else node


@pytest.mark.parametrize("path", PATHS)
def test_each_bulk_endpoint_documents_an_array_of_items(schema, path):
    operation = schema["paths"][path]["post"]
    body = operation["requestBody"]["content"]["application/json"]
    assert body["schema"]["type"] == "array"
    item = _resolve(schema, body["schema"]["items"])
    assert "sku" in item["properties"] and "sku" in item["required"]
    assert body.get("examples")
    assert {"200", "207", "400", "403", "413"} <= set(operation["responses"])
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"mode", "create_unknown_skus"} <= names


def test_the_result_lists_each_items_status(schema):
    result = schema["components"]["schemas"]["BulkResult"]
    assert {"items", "item_errors", "created", "updated", "unchanged", "rejected"} <= set(
        result["properties"]
    )
