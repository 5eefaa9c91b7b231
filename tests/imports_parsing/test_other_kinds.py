"""Daily sales, stock levels and reviews read into their records."""

import datetime as dt
from decimal import Decimal

from .files import write_csv
from .helpers import codes, read_file


def test_daily_sales_read_units_revenue_and_promotion_flags(tmp_path):
    rows = [
        ["日期", "商品编码", "销量", "销售额", "是否促销"],
        ["2026-03-01", "A", "3", "89.70", "是"],
        ["2026-03-02", "A", "0", "", "否"],
        ["2026-03-03", "A", "-1", "0", ""],
    ]
    _preset, records, problems = read_file(write_csv(tmp_path / "s.csv", rows), "sales")
    assert [(r.date, r.units, r.revenue, r.on_promotion) for r in records] == [
        (dt.date(2026, 3, 1), 3, Decimal("89.70"), True),
        (dt.date(2026, 3, 2), 0, None, False),
    ]
    assert records[1].provided == frozenset({"sku", "date", "units", "on_promotion"})
    assert codes(problems) == [(4, "negative")]


def test_stock_levels_read_on_hand_and_inbound(tmp_path):
    rows = [["SKU", "On hand", "Incoming"], ["A", "12", "40"], ["B", "3", ""], ["C", "lots", "1"]]
    _preset, records, problems = read_file(write_csv(tmp_path / "k.csv", rows), "stock")
    assert [(r.sku, r.on_hand, r.inbound) for r in records] == [("A", 12, 40), ("B", 3, None)]
    assert codes(problems) == [(4, "not_a_number")]


def test_taobao_reviews_read_ratings_words_and_get_a_stable_id(tmp_path):
    rows = [
        ["商家编码", "评价内容", "评价结果", "评价时间", "评价人"],
        ["DRK-BTL", "漏水，很失望", "差评", "2026-03-02 10:00:00", "t**1"],
        ["DRK-BTL", "Great bottle", "好评", "2026-03-03 10:00:00", "t**2"],
    ]
    path = write_csv(tmp_path / "r.csv", rows, encoding="gbk")
    preset, records, problems = read_file(path, "reviews")
    again = read_file(path, "reviews")[1]
    assert (preset, problems) == ("taobao", [])
    assert [(r.rating, r.language, r.source) for r in records] == [
        (1, "zh", "taobao"),
        (5, "en", "taobao"),
    ]
    assert records[0].external_id.startswith("fp-")
    assert [r.external_id for r in records] == [r.external_id for r in again]
    assert records[0].external_id != records[1].external_id


def test_a_review_without_text_is_refused(tmp_path):
    rows = [["sku", "body", "rating"], ["A", "  ", "5"]]
    _preset, _records, problems = read_file(write_csv(tmp_path / "r.csv", rows), "reviews")
    assert codes(problems) == [(2, "required")]
