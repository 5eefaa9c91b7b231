"""Journey 2: import a small orders CSV written in GBK with Chinese headers, map the one column
the portal does not recognise, watch the job's progress bar complete, see the notification, find
the imported units in the product's daily sales and the bad row in the per-row error report."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

# Demo Store's time zone: an order line counts on the store's local date.
STORE_ZONE = ZoneInfo("America/New_York")
# An import of a few rows is done in seconds; the worker shares two cores with other stacks.
IMPORT_TIMEOUT = 120_000


def _demo_skus(page, count: int) -> list[str]:
    """SKUs of the first products of the catalogue, read from the product list as a user does."""
    links = page.locator("#product-results tbody tr td:first-child a")
    expect(links.first).to_be_visible()
    return [links.nth(index).inner_text().strip() for index in range(count)]


def _orders_csv(*, skus: list[str], day: dt.date, stamp: str) -> tuple[bytes, dict]:
    """A Taobao-like order export in GBK. "成交时间" is a header no preset knows, so the user
    maps it; the last row has a negative quantity and must be rejected on its own."""
    first, second = skus
    when = f"{day.isoformat()} 10:15:32"
    rows = [
        ("订单编号", "商品编码", "数量", "单价", "成交时间", "买家留言"),
        (f"E2E{stamp}01", first, "5", "29.95", when, "请尽快发货"),
        (f"E2E{stamp}02", first, "2", "29.95", when, ""),
        (f"E2E{stamp}02", second, "3", "12.50", when, "送给朋友的礼物"),
        (f"E2E{stamp}03", second, "-3", "12.50", when, "数量写错了"),
    ]
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    expected = {"first_units": 7, "bad_row": len(rows), "bad_value": "-3", "valid": 3}
    return text.encode("gbk"), expected


def test_operator_imports_a_gbk_orders_csv_with_chinese_headers_and_sees_it_loaded(
    portal, tmp_path
):
    started = time.monotonic()
    operator = portal("demo")
    page = operator.page

    # Two SKUs that exist in the store, from the catalogue.
    operator.goto("/products/")
    skus = _demo_skus(page, 2)

    # The orders are of a day no earlier import on this stack can have used (one day further
    # back per import made before), so that day's units are this file's alone.
    operator.goto("/imports/")
    summary = page.locator("main").get_by_text(re.compile(r"^\s*\d+ imports?\b")).first
    earlier = int(re.search(r"\d+", summary.inner_text()).group()) if summary.count() else 0
    day = dt.datetime.now(STORE_ZONE).date() - dt.timedelta(days=3 + earlier)
    stamp = dt.datetime.now(dt.UTC).strftime("%y%m%d%H%M%S")
    content, expected = _orders_csv(skus=skus, day=day, stamp=stamp)
    upload = tmp_path / f"订单导出_{stamp}.csv"
    upload.write_bytes(content)

    # Upload: choose the kind of data and the file.
    page.get_by_role("link", name="New import").first.click()
    expect(page.get_by_role("heading", name="Upload a file")).to_be_visible()
    page.get_by_label("What does the file contain?").select_option(label="Orders")
    page.get_by_label("File (CSV or Excel XLSX)").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and check the columns").click()

    # The mapping page: GBK detected, recognised as a Taobao export, Chinese headers read right.
    expect(page.get_by_role("heading", name=re.compile(r"^Check the columns of"))).to_be_visible()
    operator.assert_healthy()
    detected = page.locator("section[aria-labelledby=detected-title]")
    expect(detected).to_contain_text(re.compile(r"gb(k|18030|2312)", re.IGNORECASE))
    expect(detected).to_contain_text("Taobao")
    preview = page.locator("section[aria-labelledby=preview-title]")
    expect(preview.get_by_role("columnheader", name="商品编码")).to_be_visible()
    expect(preview).to_contain_text("送给朋友的礼物")

    # What was recognised is pre-filled; the order time column is left for the user.
    mapping = page.locator("section[aria-labelledby=mapping-title]")
    expect(mapping.get_by_label(re.compile(r"^Order number"))).to_have_value("订单编号")
    expect(mapping.get_by_label(re.compile(r"^SKU"))).to_have_value("商品编码")
    expect(mapping.get_by_label(re.compile(r"^Quantity"))).to_have_value("数量")
    ordered_at = mapping.get_by_label(re.compile(r"^Ordered at"))
    expect(ordered_at).to_have_value("")
    ordered_at.select_option(label="成交时间")
    mapping.get_by_label("Load the valid rows and give me the rejected ones (CSV)").check()
    mapping.get_by_role("button", name="Start the import").click()

    # The import page, then its job: the progress bar fills up to 100 %.
    expect(page.get_by_role("heading", name=re.compile(r"from 订单导出_"))).to_be_visible()
    operator.assert_healthy()
    import_path = operator.path()
    page.get_by_role("link", name="Open the job").click()
    expect(page.get_by_role("heading", name=re.compile(r"Import of 订单导出_"))).to_be_visible()
    progress = page.locator("#job-status").get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuenow", "100", timeout=IMPORT_TIMEOUT)
    expect(page.locator("#job-status")).to_contain_text("Succeeded")
    operator.assert_healthy()

    # The notification bell has it; it leads back to the import's report.
    page.reload()
    bell = page.locator("#notification-bell")
    bell.get_by_role("button", name="Notifications").click()
    notification = bell.get_by_role("link", name=re.compile(r"Finished: Import of 订单导出_"))
    expect(notification.first).to_be_visible()
    notification.first.click()
    expect(page).to_have_url(re.compile(re.escape(import_path) + "$"))
    operator.assert_healthy()

    # The report: three rows loaded, the bad one rejected and explained with its row number.
    status = page.locator("#import-status")
    expect(status.locator(".badge").first).to_have_text("Loaded")
    expect(status).to_contain_text("Loaded: 3 created, 0 updated, 0 unchanged.")
    expect(status).to_contain_text("1 row was rejected")
    counts = page.locator("section[aria-labelledby=import-counts-title]")
    expect(counts.get_by_role("row", name="Read")).to_contain_text("4")
    expect(counts.get_by_role("row", name="Valid")).to_contain_text(str(expected["valid"]))
    expect(counts.get_by_role("row", name="Rejected")).to_contain_text("1")
    problems = page.locator("section[aria-labelledby=import-errors-title] tbody tr")
    expect(problems).to_have_count(1)
    bad = problems.first
    expect(bad.locator("td").nth(0)).to_have_text(str(expected["bad_row"]))
    expect(bad.locator("td").nth(1)).to_have_text("数量")
    expect(bad.locator("td").nth(2)).to_have_text(expected["bad_value"])
    expect(bad.locator("td").nth(3)).to_contain_text("negative")
    expect(page.get_by_role("link", name="Download the rejected rows (CSV)")).to_be_visible()

    # The product's daily sales of that day are now the imported lines: 5 + 2 units.
    operator.goto("/products/")
    operator.search(skus[0])
    page.locator("#product-results").get_by_role("link", name=skus[0], exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"Daily sales"))).to_be_visible()
    operator.assert_healthy()
    sales = json.loads(page.locator("#product-sales-data").text_content() or "{}")
    units = dict(zip(sales["x"], sales["units"], strict=True))
    assert units.get(day.isoformat()) == expected["first_units"], units.get(day.isoformat())
    expect(page.locator("[data-chart=product-sales-data] svg").first).to_be_visible()

    print(f"\njourney 2 (import) took {time.monotonic() - started:.1f} s")
