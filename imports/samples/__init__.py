"""Sample files a merchant can download from the import page and fill in or compare with.

One generic template per kind (UTF-8 with a BOM, so Excel shows Chinese text correctly; the
headers are the target field names, recognised without any mapping), a Shopify-like orders
export and a Taobao/Tmall-like orders export in GBK with Chinese headers. The rows use SKUs of
the demo store (`core/demo/catalog.py`), so a sample imported into the demo store lands on
products it knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from ..models import ImportKind

SAMPLES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sample:
    filename: str
    kind: str
    label: str
    encoding: str

    @property
    def path(self) -> Path:
        return SAMPLES_DIR / self.filename

    @property
    def slug(self) -> str:
        """The URL name suffix: `import-sample-<slug>`."""
        return self.filename.rsplit(".", 1)[0].replace("_", "-")


SAMPLES: tuple[Sample, ...] = (
    Sample("products_template.csv", ImportKind.PRODUCTS, _("Products template"), "UTF-8 BOM"),
    Sample("orders_template.csv", ImportKind.ORDERS, _("Orders template"), "UTF-8 BOM"),
    Sample("sales_template.csv", ImportKind.SALES, _("Daily sales template"), "UTF-8 BOM"),
    Sample("stock_template.csv", ImportKind.STOCK, _("Stock levels template"), "UTF-8 BOM"),
    Sample("reviews_template.csv", ImportKind.REVIEWS, _("Reviews template"), "UTF-8 BOM"),
    Sample("shopify_orders.csv", ImportKind.ORDERS, _("Shopify-style orders export"), "UTF-8"),
    Sample("taobao_orders.csv", ImportKind.ORDERS, _("Taobao/Tmall-style orders export"), "GBK"),
)
SAMPLES_BY_NAME = {sample.filename: sample for sample in SAMPLES}
