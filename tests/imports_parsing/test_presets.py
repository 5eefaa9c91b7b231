"""Mapping suggestions: the best-matching preset, header names compared loosely."""

from imports.parsing import FIELDS, PRESETS, normalise_header, suggest_mapping


def test_header_names_are_compared_without_case_spacing_or_full_width_forms():
    assert normalise_header("Lineitem SKU") == normalise_header("lineitem_sku")
    assert normalise_header("ＬｉｎｅｉｔｅｍＳＫＵ") == normalise_header("Lineitem sku")
    assert normalise_header("*订单编号：") == normalise_header("订单编号")


def test_a_shopify_orders_header_row_picks_the_shopify_preset():
    headers = [
        "Name",
        "Email",
        "Financial Status",
        "Created at",
        "Lineitem quantity",
        "Lineitem price",
        "Lineitem sku",
        "Total",
        "Refunded Amount",
    ]
    preset, mapping = suggest_mapping("orders", headers)
    assert preset == "shopify"
    assert mapping["order_number"] == "Name"
    assert mapping["sku"] == "Lineitem sku"
    # The order's Total is not a line amount.
    assert "amount" not in mapping


def test_taobao_headers_with_units_in_brackets_and_full_width_forms_are_matched():
    headers = ["订单编号", "子订单编号", "商家编码", "购买数量", "实付金额（元）", "订单创建时间"]
    preset, mapping = suggest_mapping("orders", headers)
    assert preset == "taobao"
    assert mapping == {
        "order_number": "订单编号",
        "line_key": "子订单编号",
        "sku": "商家编码",
        "quantity": "购买数量",
        "amount": "实付金额（元）",
        "ordered_at": "订单创建时间",
    }


def test_our_own_template_maps_every_field_by_name():
    for kind, fields in FIELDS.items():
        headers = [field.name for field in fields if field.type != "attributes"]
        preset, mapping = suggest_mapping(kind, headers)
        assert preset == "generic"
        assert {field: mapping[field] for field in headers} == {h: h for h in headers}


def test_a_file_matching_nothing_gets_no_suggestion():
    assert suggest_mapping("orders", ["foo", "bar"]) == ("", {})


def test_every_preset_names_only_real_fields():
    for preset in PRESETS.values():
        for kind, columns in preset.columns.items():
            assert set(columns) <= {field.name for field in FIELDS[kind]}
