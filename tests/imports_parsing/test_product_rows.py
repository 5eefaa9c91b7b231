"""Products: Shopify variant rows share their handle's title and options become attributes;
extra columns of our template become attributes; only the given fields are marked provided."""

from decimal import Decimal

from .files import write_csv
from .helpers import codes, read_file

SHOPIFY = [
    [
        "Handle",
        "Title",
        "Body (HTML)",
        "Vendor",
        "Type",
        "Option1 Name",
        "Option1 Value",
        "Option2 Name",
        "Option2 Value",
        "Variant SKU",
        "Variant Price",
        "Cost per item",
        "Status",
        "Image Src",
    ],
    [
        "merino-socks",
        "Merino Crew Socks",
        "<p>Warm</p>",
        "Northbound",
        "Socks",
        "Size",
        "M",
        "Colour",
        "Oatmeal",
        "APP-SCK-M-OAT",
        "17.99",
        "6.10",
        "active",
        "https://x/1.jpg",
    ],
    [
        "merino-socks",
        "",
        "",
        "",
        "",
        "",
        "L",
        "",
        "Oatmeal",
        "APP-SCK-L-OAT",
        "17.99",
        "6.10",
        "",
        "",
    ],
    ["merino-socks", "", "", "", "", "", "", "", "", "", "", "", "", "https://x/2.jpg"],
    [
        "bottle",
        "Glass Bottle",
        "",
        "Aqualuna",
        "Drinkware",
        "Title",
        "Default Title",
        "",
        "",
        "DRK-GLS-MNT",
        "21.95",
        "",
        "archived",
        "",
    ],
]


def test_a_shopify_products_export_reads_variants_with_their_options(tmp_path):
    preset, records, problems = read_file(write_csv(tmp_path / "p.csv", SHOPIFY), "products")
    assert preset == "shopify"
    socks_m, socks_l, bottle = records
    assert (socks_l.title, socks_l.brand, socks_l.category) == (
        "Merino Crew Socks",
        "Northbound",
        "Socks",
    )
    assert socks_m.attributes == {"Size": "M", "Colour": "Oatmeal"}
    assert socks_l.attributes == {"Size": "L", "Colour": "Oatmeal"}
    assert bottle.attributes is None
    assert (bottle.status, bottle.price, bottle.cost) == ("discontinued", Decimal("21.95"), None)
    # The image-only row has nothing to load: one "empty_row" problem the loader may skip.
    assert codes(problems) == [(4, "empty_row")]


def test_extra_columns_of_the_template_become_attributes(tmp_path):
    rows = [
        ["sku", "title", "price", "material", "capacity (ml)"],
        ["DRK-1", "Bottle", "19.90", "steel", "750"],
        ["DRK-2", "Cup", "9.90", "", ""],
    ]
    preset, records, problems = read_file(write_csv(tmp_path / "p.csv", rows), "products")
    assert (preset, problems) == ("generic", [])
    assert records[0].attributes == {"material": "steel", "capacity (ml)": "750"}
    assert records[1].attributes is None
    assert records[1].provided == frozenset({"sku", "title", "price"})


def test_a_formula_in_a_text_field_is_kept_as_text(tmp_path):
    rows = [["sku", "title", "price"], ["A", '=HYPERLINK("http://x","click")', "1"]]
    _preset, records, problems = read_file(write_csv(tmp_path / "p.csv", rows), "products")
    assert problems == []
    assert records[0].title == '=HYPERLINK("http://x","click")'


def test_text_longer_than_its_column_is_refused(tmp_path):
    rows = [["sku", "title", "price"], ["S" * 65, "t", "1"], ["B", "t" * 301, "1"]]
    _preset, _records, problems = read_file(write_csv(tmp_path / "p.csv", rows), "products")
    assert codes(problems) == [(2, "too_long"), (3, "too_long")]


def test_chinese_product_headers_and_values_are_understood(tmp_path):
    rows = [
        ["商家编码", "宝贝名称", "宝贝价格", "宝贝状态", "品牌"],
        ["KIT-PAN-28", "不粘锅 28cm", "￥1,299.00", "出售中", "Forge & Fern"],
    ]
    preset, records, problems = read_file(
        write_csv(tmp_path / "p.csv", rows, encoding="gbk"), "products"
    )
    assert (preset, problems) == ("taobao", [])
    assert (records[0].price, records[0].status) == (Decimal("1299.00"), "active")
