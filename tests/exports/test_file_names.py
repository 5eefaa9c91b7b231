"""Download names: safe, and non-ASCII names survive through RFC 5987 `filename*`."""

from urllib.parse import unquote

from core.exports import content_disposition, safe_filename


def test_an_ascii_name_is_a_plain_quoted_filename():
    assert content_disposition("products-alpha-2026-03-01.csv") == (
        'attachment; filename="products-alpha-2026-03-01.csv"'
    )


def test_a_chinese_name_is_sent_as_utf8_with_an_ascii_fallback():
    header = content_disposition("商品-alpha-2026-03-01.xlsx")
    fallback, encoded = header.split("; filename*=UTF-8''")
    assert fallback.startswith('attachment; filename="') and fallback.isascii()
    assert fallback.endswith('.xlsx"')
    assert unquote(encoded) == "商品-alpha-2026-03-01.xlsx"


def test_quotes_separators_and_control_characters_never_reach_the_header():
    name = safe_filename('../../etc/pa"ss\r\nwd;x.csv')
    assert all(sign not in name for sign in ('"', "/", "\\", "\r", "\n", ";"))
    assert name.endswith(".csv")
    assert "\r" not in content_disposition('a"\r\nSet-Cookie: x.csv')
