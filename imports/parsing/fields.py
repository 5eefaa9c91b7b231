"""The target fields of each import kind: what a column can be mapped to, and how it is read.

The mapping page lists these (label, help, required), the validator reads each mapped column
with the parser of its `type`, and the bulk API accepts the same names as JSON keys. Limits of
text fields are the model columns' lengths, so a valid record always fits the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Field types (the parser each one gets, see validate.py).
TEXT = "text"  # free text, stripped; formulas are kept as data
IDENTIFIER = "identifier"  # SKU, order number: stripped, Excel's ="0123" wrapper removed
INTEGER = "integer"  # whole numbers such as lead time
QUANTITY = "quantity"  # whole units, 0..IMPORT_MAX_QUANTITY
PRICE = "price"  # a unit price or cost, 0..IMPORT_MAX_PRICE
AMOUNT = "amount"  # a line amount or a day's revenue, 0..IMPORT_MAX_AMOUNT
DATE = "date"
DATETIME = "datetime"  # naive values are the merchant's local time
BOOLEAN = "boolean"
RATING = "rating"  # 1..5 stars (好评/中评/差评 read as 5/3/1)
CURRENCY = "currency"  # ISO 4217 code (symbols and 人民币/RMB accepted)
LANGUAGE = "language"  # en, zh, other
PRODUCT_STATUS = "product_status"  # active, draft, discontinued
ORDER_STATUS = "order_status"  # kept as text; cancelled / refunded values recognised
ATTRIBUTES = "attributes"  # products: extra columns become attributes

KINDS = ("products", "orders", "sales", "stock", "reviews")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    max_length: int | None = None

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "label": str(self.label),
            "type": self.type,
            "required": self.required,
            "help": str(self.help),
        }


FIELDS: dict[str, tuple[Field, ...]] = {
    "products": (
        Field("sku", _("SKU"), IDENTIFIER, True, _("Your stock-keeping unit code."), 64),
        Field("title", _("Title"), TEXT, True, _("Product name."), 300),
        Field("price", _("Price"), PRICE, True, _("Selling price per unit.")),
        Field("category", _("Category"), TEXT, help=_("Product category."), max_length=120),
        Field("brand", _("Brand"), TEXT, help=_("Brand or vendor."), max_length=120),
        Field("cost", _("Unit cost"), PRICE, help=_("What one unit costs you.")),
        Field(
            "currency",
            _("Currency"),
            CURRENCY,
            help=_("ISO code such as CNY or USD; the store's currency when left out."),
        ),
        Field(
            "status",
            _("Status"),
            PRODUCT_STATUS,
            help=_("active, draft or discontinued (archived counts as discontinued)."),
        ),
        Field("lead_time_days", _("Lead time (days)"), INTEGER, help=_("Days to restock.")),
        Field("moq", _("Minimum order quantity"), QUANTITY, help=_("Smallest purchase order.")),
        Field("case_pack", _("Case pack"), QUANTITY, help=_("Units per carton.")),
        Field("description", _("Description"), TEXT, help=_("Long description.")),
        Field(
            "handle",
            _("Product group (handle)"),
            IDENTIFIER,
            help=_(
                "Rows with the same handle share the title, category, brand, status and "
                "description of the first of them when theirs are blank (Shopify exports)."
            ),
            max_length=255,
        ),
        Field(
            "attributes",
            _("Attributes"),
            ATTRIBUTES,
            help=_("Other columns to keep as product attributes (material, size, colour…)."),
        ),
    ),
    "orders": (
        Field("order_number", _("Order number"), IDENTIFIER, True, _("Order id."), 100),
        Field("sku", _("SKU"), IDENTIFIER, True, _("SKU of the item ordered."), 64),
        Field("quantity", _("Quantity"), QUANTITY, True, _("Units ordered on this line.")),
        Field(
            "ordered_at",
            _("Ordered at"),
            DATETIME,
            True,
            _("When the order was placed; the store's local date counts the units."),
        ),
        Field(
            "line_key",
            _("Line id"),
            IDENTIFIER,
            help=_("The platform's id of the order line (子订单编号); the SKU when left out."),
            max_length=100,
        ),
        Field("amount", _("Amount paid"), AMOUNT, help=_("What the buyer paid for this line.")),
        Field(
            "unit_price",
            _("Unit price"),
            PRICE,
            help=_("Used for the amount (price × quantity − discount) when there is none."),
        ),
        Field("discount", _("Line discount"), AMOUNT, help=_("Discount on this line.")),
        Field(
            "refunded_quantity",
            _("Refunded quantity"),
            QUANTITY,
            help=_("Units refunded; worked out from the status or refunded amount when absent."),
        ),
        Field("refunded_amount", _("Refunded amount"), AMOUNT, help=_("Money refunded.")),
        Field(
            "status",
            _("Order status"),
            ORDER_STATUS,
            help=_(
                "Cancelled or closed orders (cancelled, voided, 交易关闭) count no units; refunded "
                "ones (refunded, 已退款, 退款成功) have their units taken off."
            ),
            max_length=100,
        ),
        Field(
            "refund_status",
            _("Refund status"),
            ORDER_STATUS,
            help=_("A separate refund status column, e.g. 退款成功."),
            max_length=100,
        ),
        Field(
            "cancelled_at",
            _("Cancelled at"),
            TEXT,
            help=_("Any value marks the order cancelled (Shopify's Cancelled at)."),
        ),
        Field(
            "title",
            _("Product title"),
            TEXT,
            help=_("Used as the title when unknown SKUs are created."),
            max_length=300,
        ),
    ),
    "sales": (
        Field("sku", _("SKU"), IDENTIFIER, True, _("SKU sold."), 64),
        Field("date", _("Date"), DATE, True, _("The day of the sales.")),
        Field("units", _("Units"), QUANTITY, True, _("Units sold that day.")),
        Field("revenue", _("Revenue"), AMOUNT, help=_("Money taken that day.")),
        Field(
            "on_promotion",
            _("On promotion"),
            BOOLEAN,
            help=_("yes/no, true/false, 1/0, 是/否."),
        ),
    ),
    "stock": (
        Field("sku", _("SKU"), IDENTIFIER, True, _("SKU counted."), 64),
        Field("on_hand", _("On hand"), QUANTITY, True, _("Units in stock.")),
        Field("inbound", _("Inbound"), QUANTITY, help=_("Units ordered and on their way.")),
        Field(
            "date",
            _("Date"),
            DATE,
            help=_("Day of the count; today when left out."),
        ),
    ),
    "reviews": (
        Field("sku", _("SKU"), IDENTIFIER, True, _("SKU reviewed."), 64),
        Field("body", _("Review text"), TEXT, True, _("What the customer wrote.")),
        Field("rating", _("Rating"), RATING, help=_("1 to 5 stars; 好评/中评/差评 = 5/3/1.")),
        Field("title", _("Review title"), TEXT, max_length=300),
        Field("author", _("Author"), TEXT, max_length=120),
        Field("created_at", _("Written at"), DATETIME, help=_("When it was written.")),
        Field(
            "source",
            _("Source"),
            TEXT,
            help=_("Channel, e.g. shopify or taobao; from the preset when left out."),
            max_length=40,
        ),
        Field(
            "external_id",
            _("Review id"),
            IDENTIFIER,
            help=_(
                "The platform's review id; without one, a fingerprint of the SKU, time, "
                "author and text keeps a re-import from adding the review twice."
            ),
            max_length=128,
        ),
        Field("language", _("Language"), LANGUAGE, help=_("en or zh; detected when left out.")),
    ),
}

FIELDS_BY_NAME: dict[str, dict[str, Field]] = {
    kind: {field.name: field for field in fields} for kind, fields in FIELDS.items()
}


def required_fields(kind: str) -> list[str]:
    return [field.name for field in FIELDS[kind] if field.required]
