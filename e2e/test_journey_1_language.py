"""Journey 1: log in, switch the portal to 简体中文 and back, see the dashboard."""

from playwright.sync_api import expect


def test_operator_logs_in_switches_to_chinese_and_back_and_sees_the_dashboard(portal):
    operator = portal("demo")
    page = operator.page
    expect(page.locator("h1")).to_have_text("Dashboard")
    assert operator.path() == "/"

    operator.switch_language("zh-hans")
    expect(page.locator("h1")).to_have_text("仪表盘")
    operator.assert_translated()

    # The choice sticks across pages until it is changed back.
    operator.goto("/products/")
    assert operator.language() == "zh-hans"
    operator.assert_translated()

    operator.goto("/")
    operator.switch_language("en")
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("main")).to_contain_text("Revenue")
