from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DailySales(models.Model):
    """Units and revenue of one product on one day (merchant's local date).

    Sized for years of history over tens of thousands of SKUs: narrow rows, a unique
    (product, date) key that doubles as the per-product series index, and a (merchant, date)
    index for store-wide aggregates. Written in bulk (`sales_upsert`).
    """

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="daily_sales",
        verbose_name=_("product"),
    )
    date = models.DateField(_("date"))
    units = models.IntegerField(_("units"), default=0)
    revenue = models.DecimalField(_("revenue"), max_digits=14, decimal_places=2, default=0)
    on_promotion = models.BooleanField(_("on promotion"), default=False)

    class Meta:
        ordering = ["product", "date"]
        verbose_name = _("daily sales")
        verbose_name_plural = _("daily sales")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "date"], name="daily_sales_product_date_uniq"
            ),
            models.CheckConstraint(
                condition=Q(units__gte=0), name="daily_sales_units_non_negative"
            ),
        ]
        indexes = [models.Index(fields=["merchant", "date"], name="daily_sales_merchant_date")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.date}: {self.units}"
