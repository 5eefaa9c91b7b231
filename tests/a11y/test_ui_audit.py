"""The page checks of `tests/ui_audit.py` find what they are meant to find, and only that."""

from tests.ui_audit import severity_colour_only, unlabelled_fields, untranslated_texts

ZH_PAGE = """<!doctype html><html lang="zh-hans"><head><title>商品 · EcomOps</title></head><body>
<nav><a class="nav-link" href="/">仪表盘</a><a class="nav-link" href="/p">Products</a></nav>
<h1>商品</h1>
<button type="submit">Save</button><button type="submit">保存</button>
<label for="q">Search</label><input id="q" placeholder="SKU, title or brand">
<select><option>全部</option><option>Any rating</option></select>
<select translate="no"><option>Drinkware</option></select>
<span class="badge text-bg-danger">严重</span><span class="badge">Draft</span>
<th>SKU</th><th>USD</th><th>KIT-PAN-28</th><th>order_number</th>
<h2 data-i18n="data">Summit Water Bottle</h2><h3>Summit Water Bottle</h3>
<button lang="en">English</button>
<span title="“Water leaks from the seal”">漏水</span>
<p>Paragraphs of data are not checked.</p>
<a href="/x" aria-label="Close">×</a>
</body></html>"""


def test_untranslated_texts_are_english_ui_texts_outside_data():
    assert untranslated_texts(ZH_PAGE, allow=["Summit Water Bottle"]) == [
        "Products",
        "Save",
        "Search",
        "SKU, title or brand",
        "Any rating",
        "Draft",
        "Close",
    ]


def test_data_passed_in_allow_is_not_reported_and_without_it_it_is():
    assert "Summit Water Bottle" in untranslated_texts(ZH_PAGE)


def test_unlabelled_fields_are_fields_without_label_wrapping_label_or_aria():
    html = """<form>
    <label for="a">A</label><input id="a" name="a">
    <label>B <input name="b"></label>
    <input name="c" aria-label="C">
    <span id="dl">D</span><select name="d" aria-labelledby="dl"></select>
    <input type="hidden" name="csrf"><input type="submit" value="Go">
    <input name="e" id="e"><textarea name="f"></textarea><select name="g"></select>
    </form>"""
    assert unlabelled_fields(html) == [
        '<input id="e" name="e">',
        '<textarea name="f">',
        '<select name="g">',
    ]


def test_colour_only_severity_is_a_coloured_badge_or_dot_without_words():
    html = """<div>
    <span class="badge text-bg-danger">Critical</span>
    <span class="badge text-bg-warning"><span class="visually-hidden">High</span></span>
    <span class="badge text-bg-danger" id="empty"></span>
    <span class="text-danger" id="dot">●</span>
    <span class="text-danger">Overdue</span>
    <div class="progress"><div class="progress-bar bg-danger" style="width: 40%"></div></div>
    </div>"""
    assert severity_colour_only(html) == [
        '<span id="empty" class="badge text-bg-danger">',
        '<span id="dot" class="text-danger">',
    ]
