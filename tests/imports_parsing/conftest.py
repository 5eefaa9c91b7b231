from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "imports" / "samples"


@pytest.fixture
def shopify_orders() -> Path:
    return SAMPLES / "shopify_orders.csv"


@pytest.fixture
def taobao_orders() -> Path:
    return SAMPLES / "taobao_orders.csv"
