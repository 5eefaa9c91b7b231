"""Column presets: which header of a known export feeds which field, and the first guess at a
mapping for a file the merchant has not mapped before.

A preset names, per import kind and field, the headers that platform writes. Headers are
compared after `normalise_header` (Unicode NFKC, so full-width letters, digits and brackets
become plain ones; case folded; spaces, underscores, dashes, dots and a leading "*" dropped), and
a header with a bracketed unit ("实付金额(元)", "Price (USD)") also matches without it.

`suggest_mapping(kind, headers)` scores every preset by how many fields its headers match
(required fields count double) and returns the best one's mapping, topped up from the generic
preset's names and labels for any field still unmapped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .fields import FIELDS, FIELDS_BY_NAME

GENERIC, SHOPIFY, TAOBAO = "generic", "shopify", "taobao"


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    # {kind: {field: (header, ...)}} in order of preference.
    columns: dict[str, dict[str, tuple[str, ...]]]
    # {kind: {option: value}}: defaults the validator applies for files of this preset.
    options: dict[str, dict] = field(default_factory=dict)
    # {kind: ((name header, value header), ...)}: attribute pairs (Shopify's Option1 Name/Value).
    attribute_pairs: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


# Our template's names, plain English and Chinese words for each field. Names only one platform
# writes (商家编码, 订单编号, 评价内容, "Lineitem sku"...) belong to that platform's preset, so a
# file that uses them is recognised as that platform's.
_GENERIC_COLUMNS = {
    "products": {
        "sku": ("sku", "sku code", "item sku", "商品编码", "货号", "款号"),
        "title": ("title", "name", "product name", "product title", "商品名称", "标题", "名称"),
        "price": ("price", "unit price", "selling price", "价格", "售价", "单价", "销售价"),
        "category": ("category", "product type", "type", "类目", "分类", "商品分类", "类别"),
        "brand": ("brand", "vendor", "品牌", "供应商"),
        "cost": ("cost", "unit cost", "cost price", "成本", "成本价", "进价", "采购价"),
        "currency": ("currency", "币种", "货币"),
        "status": ("status", "状态", "商品状态"),
        "lead_time_days": ("lead time days", "lead time", "交货期", "采购周期", "交期天数"),
        "moq": ("moq", "minimum order quantity", "min order qty", "起订量", "最小起订量"),
        "case_pack": ("case pack", "case qty", "pack size", "箱规", "装箱数"),
        "description": ("description", "body", "描述", "商品描述", "详情"),
        "handle": ("handle",),
    },
    "orders": {
        "order_number": ("order number", "order", "order id", "order no", "订单号"),
        "sku": ("sku", "sku code", "item sku", "商品编码", "货号"),
        "quantity": ("quantity", "qty", "units", "数量", "销量"),
        "ordered_at": ("ordered at", "order date", "date", "created at", "下单时间", "日期"),
        "line_key": ("line key", "line id", "line item id", "子订单号"),
        "amount": ("amount", "amount paid", "line total", "金额", "支付金额"),
        "unit_price": ("unit price", "price", "单价", "价格"),
        "discount": ("discount", "line discount", "优惠", "折扣金额"),
        "refunded_quantity": ("refunded quantity", "refunded qty", "退款数量", "退货数量"),
        "refunded_amount": ("refunded amount", "refund amount", "refund", "退款"),
        "status": ("status", "order status", "状态"),
        "refund_status": ("refund status",),
        "cancelled_at": ("cancelled at", "canceled at", "取消时间"),
        "title": ("title", "product title", "product name", "商品名称", "商品标题"),
    },
    "sales": {
        "sku": ("sku", "sku code", "商品编码", "货号"),
        "date": ("date", "day", "sales date", "日期", "销售日期"),
        "units": ("units", "quantity", "qty", "units sold", "销量", "数量", "销售数量"),
        "revenue": ("revenue", "sales", "amount", "销售额", "金额", "销售金额"),
        "on_promotion": ("on promotion", "promotion", "promo", "促销", "是否促销", "活动"),
    },
    "stock": {
        "sku": ("sku", "sku code", "商品编码", "货号"),
        "on_hand": ("on hand", "stock", "quantity", "qty", "available", "库存", "现有库存"),
        "inbound": ("inbound", "incoming", "on order", "在途", "在途库存", "采购在途"),
        "date": ("date", "as of", "日期", "盘点日期"),
    },
    "reviews": {
        "sku": ("sku", "product sku", "商品编码", "货号"),
        "body": ("body", "review", "text", "content", "comment", "评论", "评论内容", "内容"),
        "rating": ("rating", "stars", "score", "评分", "星级"),
        "title": ("title", "review title", "标题"),
        "author": ("author", "reviewer", "reviewer name", "name", "作者"),
        "created_at": ("created at", "date", "review date", "评论时间", "日期"),
        "source": ("source", "channel", "来源", "渠道"),
        "external_id": ("external id", "review id", "id", "评论id"),
        "language": ("language", "lang", "语言"),
    },
}

PRESETS: dict[str, Preset] = {
    GENERIC: Preset(
        name=GENERIC,
        label=_("EcomOps template (our own column names)"),
        columns=_GENERIC_COLUMNS,
    ),
    SHOPIFY: Preset(
        name=SHOPIFY,
        label=_("Shopify-style export"),
        columns={
            "products": {
                "handle": ("Handle",),
                "title": ("Title",),
                "description": ("Body (HTML)",),
                "brand": ("Vendor",),
                "category": ("Type", "Product Category"),
                "sku": ("Variant SKU",),
                "price": ("Variant Price",),
                "cost": ("Cost per item",),
                "status": ("Status",),
            },
            "orders": {
                "order_number": ("Name",),
                "sku": ("Lineitem sku",),
                "quantity": ("Lineitem quantity",),
                "unit_price": ("Lineitem price",),
                "discount": ("Lineitem discount",),
                "ordered_at": ("Created at",),
                "status": ("Financial Status",),
                "refunded_amount": ("Refunded Amount",),
                "cancelled_at": ("Cancelled at",),
                "title": ("Lineitem name",),
            },
            "stock": {
                "sku": ("SKU", "Variant SKU"),
                "on_hand": ("On hand", "Available", "Variant Inventory Qty"),
                "inbound": ("Incoming",),
            },
            "reviews": {
                "sku": ("product_sku", "sku"),
                "rating": ("rating",),
                "title": ("title",),
                "body": ("body",),
                "author": ("reviewer_name", "author"),
                "created_at": ("created_at", "review_date"),
                "external_id": ("id", "review_id"),
            },
        },
        options={
            # Shopify repeats the order's total refund on each of its lines.
            "orders": {"refund_scope": "order"},
            "reviews": {"source": "shopify"},
        },
        attribute_pairs={
            "products": (
                ("Option1 Name", "Option1 Value"),
                ("Option2 Name", "Option2 Value"),
                ("Option3 Name", "Option3 Value"),
            )
        },
    ),
    TAOBAO: Preset(
        name=TAOBAO,
        label=_("Taobao / Tmall-style export (Chinese headers)"),
        columns={
            "products": {
                "title": ("宝贝名称", "宝贝标题", "商品名称", "商品标题"),
                "sku": ("商家编码", "商品编码", "外部编码", "货号"),
                "price": ("宝贝价格", "一口价", "价格", "单价"),
                "category": ("宝贝类目", "类目", "店铺分类"),
                "brand": ("品牌",),
                "description": ("宝贝描述", "商品描述"),
                "status": ("宝贝状态", "商品状态", "状态"),
            },
            "orders": {
                "order_number": ("订单编号", "订单号", "主订单编号"),
                "line_key": ("子订单编号", "子订单号"),
                "sku": ("商品编码", "商家编码", "外部系统编号", "外部编码", "货号"),
                "quantity": ("购买数量", "宝贝数量", "数量"),
                "amount": ("实付金额", "买家实际支付金额", "买家实付金额", "实收款"),
                "unit_price": ("单价", "价格", "宝贝单价", "商品价格"),
                "ordered_at": ("订单创建时间", "创建时间", "下单时间", "订单付款时间"),
                "status": ("订单状态", "交易状态"),
                "refund_status": ("退款状态", "售后状态"),
                "refunded_amount": ("退款金额",),
                "title": ("宝贝标题", "商品标题", "宝贝名称", "商品名称"),
            },
            "sales": {
                "sku": ("商品编码", "商家编码", "货号"),
                "date": ("统计日期", "日期"),
                "units": ("支付件数", "销量", "销售数量"),
                "revenue": ("支付金额", "销售额"),
            },
            "stock": {
                "sku": ("商家编码", "商品编码", "货号"),
                "on_hand": ("宝贝数量", "库存", "可售库存", "实物库存"),
                "inbound": ("在途库存", "采购在途"),
            },
            "reviews": {
                "sku": ("商家编码", "商品编码", "货号"),
                "body": ("评价内容", "初评内容", "评论内容"),
                "rating": ("评分", "评价结果", "星级"),
                "author": ("评价人", "买家昵称", "会员名"),
                "created_at": ("评价时间", "初评时间"),
                "external_id": ("评价ID", "评价编号"),
                "title": ("评价标题",),
            },
        },
        options={"reviews": {"source": "taobao"}},
    ),
}

_DROPPED = re.compile(r"[\s_\-.:：/*#]+")
_BRACKETED = re.compile(r"\s*[(\[【（][^)\]】）]*[)\]】）]\s*")


def normalise_header(header: str) -> str:
    """A header as compared with preset names: "Lineitem SKU", "lineitem_sku" and
    "ＬｉｎｅｉｔｅｍＳＫＵ" are one name."""
    text = unicodedata.normalize("NFKC", str(header)).casefold()
    return _DROPPED.sub("", text)


def _header_keys(header: str) -> tuple[str, ...]:
    """The exact key, then the key without a bracketed unit or note."""
    exact = normalise_header(header)
    bare = normalise_header(_BRACKETED.sub("", unicodedata.normalize("NFKC", str(header))))
    return (exact,) if not bare or bare == exact else (exact, bare)


def _match(columns: dict[str, tuple[str, ...]], headers: list[str]) -> dict[str, str]:
    """{field: header} for the fields these preset columns find among `headers`."""
    by_key: dict[str, str] = {}
    for precision in (0, 1):
        for header in headers:
            keys = _header_keys(header)
            if precision < len(keys):
                by_key.setdefault(keys[precision], header)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field_name, names in columns.items():
        for name in names:
            header = by_key.get(normalise_header(name))
            if header is not None and header not in used:
                mapping[field_name] = header
                used.add(header)
                break
    return mapping


def _score(kind: str, mapping: dict[str, str]) -> int:
    fields = FIELDS_BY_NAME[kind]
    return sum(2 if fields[name].required else 1 for name in mapping if name in fields)


def suggest_mapping(kind: str, headers: list[str]) -> tuple[str, dict]:
    """(preset name, {field: header, ...}) for a file of `kind` with these headers.

    The preset whose names match the most fields wins; on a tie a platform's preset wins over
    the generic template only if it recognised a header the template does not know. Fields
    it leaves unmapped are filled from the fields' own names and labels. For products,
    a Shopify file also gets `attribute_pairs` (Option1 Name/Value ...) and a generic file
    maps every column nothing else uses to `attributes`. ("", {}) when nothing matches.
    """
    if kind not in FIELDS:
        raise ValueError(f"unknown import kind {kind!r}")
    headers = [str(header) for header in headers]
    generic = _match(PRESETS[GENERIC].columns[kind], headers)
    best_name, best_mapping, best_score = (GENERIC, generic, _score(kind, generic))
    for preset in PRESETS.values():
        columns = preset.columns.get(kind)
        if not columns or preset.name == GENERIC:
            continue
        mapping = _match(columns, headers)
        score = _score(kind, mapping)
        # On a tie the platform wins if it knows a header the template does not.
        distinctive = bool(set(mapping.values()) - set(generic.values()))
        if score > best_score or (score and score == best_score and distinctive):
            best_name, best_mapping, best_score = preset.name, mapping, score
    if not best_score:
        return "", {}
    used = set(best_mapping.values())
    # Only the fields' own names and labels: a platform's other columns (Shopify's order
    # "Total") must not be taken for a line field by a looser generic alias.
    fallback = {
        field.name: (field.name, str(field.label))
        for field in FIELDS[kind]
        if field.name not in best_mapping and field.name != "attributes"
    }
    for field_name, header in _match(fallback, [h for h in headers if h not in used]).items():
        best_mapping[field_name] = header
        used.add(header)
    preset = PRESETS[best_name]
    if kind == "products":
        pairs = [
            [name, value]
            for name, value in preset.attribute_pairs.get(kind, ())
            if name in headers and value in headers
        ]
        if pairs:
            best_mapping["attribute_pairs"] = pairs
        elif best_name == GENERIC:
            extra = [h for h in headers if h not in used and h.strip()]
            if extra:
                best_mapping["attributes"] = extra
    return best_name, best_mapping


def preset_options(preset_name: str, kind: str) -> dict:
    """Validator defaults of a preset for a kind, e.g. Shopify orders' order-level refunds."""
    preset = PRESETS.get(preset_name)
    return dict(preset.options.get(kind, {})) if preset else {}


def presets_for(kind: str) -> list[Preset]:
    return [preset for preset in PRESETS.values() if kind in preset.columns]


def known_header_keys() -> frozenset[str]:
    """Every normalised header any preset or field knows (for header-row detection)."""
    keys: set[str] = set()
    for preset in PRESETS.values():
        for columns in preset.columns.values():
            for names in columns.values():
                keys.update(normalise_header(name) for name in names)
    for fields in FIELDS.values():
        keys.update(normalise_header(field.name) for field in fields)
    return frozenset(keys)
