"""Reading one cell: numbers, money, dates, booleans and codes as merchants' files write them.

Every function takes the cell's text and returns the value or raises `ValueProblem` with a
translated sentence about the value. The common case is tried first with the C parsers
(`int()`, `Decimal()`, `date.fromisoformat()`), and only a cell they refuse goes through the
slower clean-up (full-width digits, currency symbols, thousands separators, other date forms),
so a clean million-row file costs little more than reading it.

Dates: ISO (2024-03-05, with a time and offset or Z), 2024/03/05, 2024.3.5, 20240305,
2024年3月5日, "Mar 5, 2024" / "5 March 2024", Excel serial numbers (from 2000), Unix
timestamps (10 or 13 digits), and day-month-year or month-day-year with slashes, dots or dashes.
The last are read only when unambiguous (a part above 12, or day equal to month) or when the
file's date order is known (`date_order` "DMY" or "MDY", detected per file from its unambiguous
rows or chosen by the user); an ambiguous one is an error, never a guess. Two-digit years are
refused. Dates before 2000 or more than a day in the future are refused as absurd.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import VALUE_MAX_CHARS

DMY, MDY = "DMY", "MDY"
DATE_ORDERS = (DMY, MDY)
MIN_DATE = dt.date(2000, 1, 1)
CENT = Decimal("0.01")
UTC = dt.UTC

# Excel's day 0 is 1899-12-30 (the 1900 leap-year bug included); serials of 2000-01-01 onward.
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_SERIAL_MIN = 36526
EXCEL_SERIAL_MAX = 2958465


class ValueProblem(Exception):
    """A cell that cannot be read; `message` is one translated sentence about the value."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def shorten(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _formula_check(text: str) -> None:
    if text.startswith("="):
        raise ValueProblem(
            "formula",
            _(
                "“%(value)s” looks like a spreadsheet formula; paste the values instead "
                "(in Excel: Paste Special › Values)."
            )
            % {"value": shorten(text)},
        )


def _error_value_check(text: str) -> None:
    if text.startswith("#") and text.rstrip("!?/0").upper() in _EXCEL_ERRORS:
        raise ValueProblem(
            "spreadsheet_error",
            _("The cell shows the spreadsheet error “%(value)s” instead of a value.")
            % {"value": shorten(text)},
        )


_EXCEL_ERRORS = {"#N/A", "#VALUE", "#REF", "#DIV", "#NUM", "#NAME", "#NULL", "#SPILL", "#CALC"}


# ---------------------------------------------------------------------------------- numbers

# Everything a merchant's file puts around a number that is not part of it.
# Longer cells are refused before any pattern runs (no regex ever sees a huge cell).
MAX_NUMBER_CHARS = 40
MAX_DATE_CHARS = 64
_CURRENCY_WORDS = re.compile(
    r"(?i)^(?:CNY|RMB|USD|EUR|GBP|JPY|HKD|TWD|AUD|CAD|SGD|US\$|HK\$|A\$|C\$|S\$|人民币)\s*|"
    r"\s*(?:CNY|RMB|USD|EUR|GBP|JPY|HKD|TWD|AUD|CAD|SGD|元|圆|人民币|块)$"
)
_SYMBOLS = str.maketrans("", "", "¥$€£₩₹")
_GROUP_MARKS = " \u00a0\u2009\u202f'"
_GROUPED_SPACE = re.compile(r"^[+-]?\d{1,3}(?:[ \u00a0\u2009\u202f']\d{3})+(?:[.,]\d+)?$")
_GROUP_MARKS_TABLE = str.maketrans("", "", _GROUP_MARKS)
_GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_GROUPED_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d{1,2}$")
_PLAIN = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)$")


def _number_text(raw: str) -> str:
    """The plain "[-]digits[.digits]" form of a cell, or raise ValueProblem."""
    text = unicodedata.normalize("NFKC", raw).strip()
    _formula_check(text)
    _error_value_check(text)
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueProblem(
            "not_a_number", _("“%(value)s” is not a number.") % {"value": shorten(text)}
        )
    negative = False
    if text.startswith("(") and text.endswith(")"):
        # Accounting notation: (12.50) is minus 12.50.
        negative, text = True, text[1:-1].strip()
    text = _CURRENCY_WORDS.sub("", text).translate(_SYMBOLS).strip()
    if text.endswith("-") and not text.startswith("-"):
        negative, text = True, text[:-1].strip()
    if text[:1] in "+-" and text[1:2] == " ":
        text = text[0] + text[1:].strip()
    # "1 234,50" and "1'234.50" group thousands; "1 2 3" is not a number.
    if any(mark in text for mark in _GROUP_MARKS) and _GROUPED_SPACE.match(text):
        text = text.translate(_GROUP_MARKS_TABLE)
    if "," in text:
        if _GROUPED_COMMA.match(text):
            text = text.replace(",", "")
        elif _GROUPED_DOT.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif _DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")
    if not _PLAIN.match(text):
        raise ValueProblem(
            "not_a_number", _("“%(value)s” is not a number.") % {"value": shorten(raw.strip())}
        )
    if negative:
        text = text[1:] if text.startswith("-") else "-" + text.lstrip("+")
    return text


def to_int(raw: str) -> int:
    """A whole number: 12, "1,200", "１２", "12.0"; not 12.5."""
    try:
        return int(raw)
    except ValueError:
        pass
    text = _number_text(raw)
    try:
        return int(text)
    except ValueError:
        pass
    value = Decimal(text)
    if value != value.to_integral_value():
        raise ValueProblem(
            "not_whole", _("“%(value)s” is not a whole number.") % {"value": shorten(raw.strip())}
        )
    return int(value)


def to_decimal(raw: str) -> Decimal:
    """An amount rounded to cents: 12.5, "¥1,234.50", "$ 12", "1.234,56", "(3.00)", "12元"."""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal(_number_text(raw))
    if not value.is_finite():
        raise ValueProblem(
            "not_a_number", _("“%(value)s” is not a number.") % {"value": shorten(raw.strip())}
        )
    if value.adjusted() > 15:
        raise ValueProblem(
            "too_large", _("“%(value)s” is far too large.") % {"value": shorten(raw.strip())}
        )
    return value.quantize(CENT, ROUND_HALF_UP)


def quantity(raw: str, maximum: int) -> int:
    value = to_int(raw)
    if value < 0:
        raise ValueProblem(
            "negative",
            _("“%(value)s” is negative; a quantity must be 0 or more.")
            % {"value": shorten(raw.strip())},
        )
    if value > maximum:
        raise ValueProblem(
            "too_large",
            _("“%(value)s” is more than %(maximum)s units; that looks like a mistake.")
            % {"value": shorten(raw.strip()), "maximum": f"{maximum:,}"},
        )
    return value


def money(raw: str, maximum: int) -> Decimal:
    value = to_decimal(raw)
    if value < 0:
        raise ValueProblem(
            "negative",
            _("“%(value)s” is negative; an amount must be 0 or more.")
            % {"value": shorten(raw.strip())},
        )
    if value > maximum:
        raise ValueProblem(
            "too_large",
            _("“%(value)s” is more than %(maximum)s; that looks like a mistake.")
            % {"value": shorten(raw.strip()), "maximum": f"{maximum:,}"},
        )
    return value


def bounded_int(raw: str, minimum: int, maximum: int) -> int:
    value = to_int(raw)
    if not minimum <= value <= maximum:
        raise ValueProblem(
            "out_of_range",
            _("“%(value)s” is not between %(minimum)s and %(maximum)s.")
            % {"value": shorten(raw.strip()), "minimum": minimum, "maximum": maximum},
        )
    return value


# ------------------------------------------------------------------------------------ dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_TIME = (
    r"(?:(?:[T\s]+|\s*[T日号]\s*)(?P<H>\d{1,2})[:时点](?P<M>\d{1,2})"
    r"(?:[:分](?P<S>\d{1,2})(?:[.,](?P<F>\d{1,9}))?秒?)?分?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?)?"
)
_YMD = r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
_YMD_ZH = r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"
_XXY = r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})"
_XXY2 = r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{2})"
_MON_D_Y = r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"
_D_MON_Y = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s-](?P<mon>[A-Za-z]{3,9})\.?,?[\s-](?P<y>\d{4})"
_DATE_PATTERNS = tuple(
    (form, re.compile(pattern + _TIME))
    for form, pattern in (
        ("ymd", _YMD),
        ("ymd", _YMD_ZH),
        ("xxy", _XXY),
        ("xxy2", _XXY2),
        ("mdy", _MON_D_Y),
        ("dmy", _D_MON_Y),
    )
)
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_AMBIGUOUS_PARTS = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.]\d{4}\b")


def _bad_date(raw: str) -> ValueProblem:
    return ValueProblem(
        "bad_date",
        _(
            "“%(value)s” is not a date we can read; use 2024-03-05 (year-month-day) or "
            "2024-03-05 14:30."
        )
        % {"value": shorten(raw.strip())},
    )


def _tz_from(text: str | None, default: dt.tzinfo | None) -> dt.tzinfo | None:
    if not text:
        return default
    text = text.strip().upper().removeprefix("UTC").removeprefix("GMT").strip()
    if not text or text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "").strip()
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes > 59:
        raise ValueError("offset")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def parse_datetime_text(raw: str, date_order: str = "") -> tuple[dt.datetime, bool, bool]:
    """(naive or aware datetime, has_time, is_aware) of a cell, any supported form.

    Raises ValueProblem; range checks are the caller's.
    """
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not text or len(text) > MAX_DATE_CHARS:
        raise _bad_date(raw)
    _formula_check(text)
    _error_value_check(text)
    if _DIGITS.fullmatch(text):
        # A Unix timestamp comes back aware, a spreadsheet serial day naive: ask the value (a
        # zero-padded serial such as "00100000.0" is as long as a timestamp).
        value = _from_number(raw, text)
        return value, "." in text or len(text) >= 10, value.tzinfo is not None
    for form, pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        if form == "xxy2":
            raise ValueProblem(
                "two_digit_year",
                _("“%(value)s” has a two-digit year; use four digits (2024, not 24).")
                % {"value": shorten(raw.strip())},
            )
        year = int(parts["y"])
        if form == "ymd":
            month, day = int(parts["m"]), int(parts["d"])
        elif form in ("mdy", "dmy"):
            month = _MONTHS.get(parts["mon"].lower())
            if month is None:
                raise _bad_date(raw)
            day = int(parts["d"])
        else:
            month, day = _day_month(raw, int(parts["a"]), int(parts["b"]), date_order)
        try:
            hour, minute, second, micro = _time_parts(parts)
            tzinfo = _tz_from(parts.get("tz"), None)
            value = dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tzinfo)
        except ValueError:
            raise _bad_date(raw) from None
        return value, parts.get("H") is not None, tzinfo is not None
    raise _bad_date(raw)


def _time_parts(parts: dict) -> tuple[int, int, int, int]:
    if parts.get("H") is None:
        return 0, 0, 0, 0
    hour, minute = int(parts["H"]), int(parts["M"])
    second = int(parts["S"] or 0)
    micro = int((parts["F"] or "0")[:6].ljust(6, "0"))
    ampm = (parts.get("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("hour")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    return hour, minute, second, micro


def _day_month(raw: str, first: int, second: int, date_order: str) -> tuple[int, int]:
    """(month, day) of a dd/mm/yyyy or mm/dd/yyyy date, never guessed."""
    if first > 12 and second > 12:
        raise _bad_date(raw)
    if first > 12 or (first == second):
        order = DMY
    elif second > 12:
        order = MDY
    else:
        order = ""
    if order and date_order in DATE_ORDERS and order != date_order and first != second:
        example = "31/12/2024" if date_order == DMY else "12/31/2024"
        raise ValueProblem(
            "date_order_mismatch",
            _(
                "“%(value)s” does not fit the date order of this file (like %(example)s); "
                "check the date order."
            )
            % {"value": shorten(raw.strip()), "example": example},
        )
    order = order or (date_order if date_order in DATE_ORDERS else "")
    if not order:
        raise ValueProblem(
            "ambiguous_date",
            _(
                "“%(value)s” could be day/month or month/day; choose the date order of this "
                "file (day first or month first) or use 2024-03-05."
            )
            % {"value": shorten(raw.strip())},
        )
    return (second, first) if order == DMY else (first, second)


def _from_number(raw: str, text: str) -> dt.datetime:
    """Excel serials (5 digits, optional fraction), YYYYMMDD, Unix seconds or milliseconds."""
    if "." not in text and len(text) == 8:
        try:
            return dt.datetime(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            raise _bad_date(raw) from None
    if "." not in text and len(text) in (10, 13):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        try:
            return dt.datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise _bad_date(raw) from None
    serial = float(text)
    if EXCEL_SERIAL_MIN <= serial <= EXCEL_SERIAL_MAX:
        return excel_serial(serial)
    raise _bad_date(raw)


def excel_serial(serial: float) -> dt.datetime:
    """The naive datetime of an Excel serial day number (1900 date system)."""
    value = EXCEL_EPOCH + dt.timedelta(days=serial)
    # Serial fractions carry float noise: round to the second.
    if value.microsecond:
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    return value


def ambiguous_date_parts(text: str) -> tuple[int, int] | None:
    """The two leading numbers of a dd/mm/yyyy-like cell, for the per-file date order scan."""
    match = _AMBIGUOUS_PARTS.match(text)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def date_order_evidence(first: int, second: int) -> str:
    """ "DMY", "MDY" or "" (ambiguous) for one dd/mm/yyyy-like value."""
    if first > 12 >= second:
        return DMY
    if second > 12 >= first:
        return MDY
    return ""


# ---------------------------------------------------------------------------- small choices

_BOOLEANS = {
    **dict.fromkeys(
        ("1", "true", "t", "yes", "y", "on", "x", "✓", "√", "是", "有", "真", "对", "促销", "活动"),
        True,
    ),
    **dict.fromkeys(
        ("0", "false", "f", "no", "n", "off", "-", "✗", "×", "否", "无", "没有", "假", "不是"),
        False,
    ),
}


def to_bool(raw: str) -> bool:
    value = _BOOLEANS.get(unicodedata.normalize("NFKC", raw).strip().casefold())
    if value is None:
        raise ValueProblem(
            "not_a_boolean",
            _("“%(value)s” is not yes or no (use yes/no, true/false, 1/0 or 是/否).")
            % {"value": shorten(raw.strip())},
        )
    return value


_RATING_WORDS = {"好评": 5, "中评": 3, "差评": 1}
_RATING_SUFFIX = re.compile(r"\s*(?:stars?|星|分)$", re.IGNORECASE)


def to_rating(raw: str) -> int:
    text = unicodedata.normalize("NFKC", raw).strip()
    if text in _RATING_WORDS:
        return _RATING_WORDS[text]
    if text and set(text) <= {"★", "☆"}:
        stars = text.count("★")
    else:
        try:
            stars = to_int(_RATING_SUFFIX.sub("", text))
        except ValueProblem:
            stars = 0
    if not 1 <= stars <= 5:
        raise ValueProblem(
            "bad_rating",
            _("“%(value)s” is not a rating from 1 to 5 stars.") % {"value": shorten(raw.strip())},
        )
    return stars


_CURRENCIES = {
    "¥": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "RMB": "CNY",
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "HK$": "HKD",
}
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def to_currency(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip().upper()
    code = _CURRENCIES.get(text, text)
    if not _CURRENCY_CODE.match(code):
        raise ValueProblem(
            "bad_currency",
            _("“%(value)s” is not a currency code such as CNY, USD or EUR.")
            % {"value": shorten(raw.strip())},
        )
    return code


_LANGUAGES = {
    **dict.fromkeys(("en", "en-us", "en-gb", "english", "英文", "英语"), "en"),
    **dict.fromkeys(
        (
            "zh",
            "zh-cn",
            "zh-hans",
            "zh-tw",
            "zh-hk",
            "zh-hant",
            "cn",
            "chinese",
            "中文",
            "汉语",
            "简体中文",
            "繁體中文",
            "繁体中文",
        ),
        "zh",
    ),
}


def to_language(raw: str) -> str:
    return _LANGUAGES.get(raw.strip().casefold().replace("_", "-"), "other")


_PRODUCT_STATUSES = {
    **dict.fromkeys(
        ("active", "published", "enabled", "on sale", "上架", "已上架", "出售中", "在售", "在架"),
        "active",
    ),
    **dict.fromkeys(
        ("draft", "inactive", "unpublished", "disabled", "仓库中", "下架", "已下架", "未上架"),
        "draft",
    ),
    "草稿": "draft",
    **dict.fromkeys(
        ("discontinued", "archived", "deleted", "停产", "停售", "已删除", "归档", "已归档"),
        "discontinued",
    ),
}


def to_product_status(raw: str) -> str:
    status = _PRODUCT_STATUSES.get(unicodedata.normalize("NFKC", raw).strip().casefold())
    if status is None:
        raise ValueProblem(
            "bad_status",
            _("“%(value)s” is not a product status (active, draft or discontinued).")
            % {"value": shorten(raw.strip())},
        )
    return status


# What an order's status says about its units.
ORDER_OK, ORDER_CANCELLED, ORDER_REFUNDED, ORDER_PARTIALLY_REFUNDED = (
    "",
    "cancelled",
    "refunded",
    "partially_refunded",
)
# Checked in this order; the first list names refund states in which nothing was refunded.
_NOT_REFUNDED_WORDS = (
    "没有申请退款",
    "未申请退款",
    "无退款",
    "未退款",
    "退款关闭",
    "退款已关闭",
    "拒绝退款",
    "退款中",
    "申请退款",
    "等待卖家同意",
    "no refund",
    "not refunded",
    "refund closed",
    "refund declined",
    "refund rejected",
    "refund pending",
)
_PARTIAL_WORDS = ("partially_refunded", "partially refunded", "partial refund", "部分退款")
_REFUNDED_WORDS = ("refunded", "退款成功", "已退款", "全额退款", "退款完成", "已退货")
# Not the English "closed": Shopify closes (archives) orders that were fulfilled.
_CANCELLED_WORDS = ("cancel", "void", "expired", "交易关闭", "订单关闭", "已关闭", "取消", "作废")


def order_status_class(raw: str) -> str:
    """Which of ORDER_OK, ORDER_CANCELLED, ORDER_REFUNDED, ORDER_PARTIALLY_REFUNDED a status is.

    Statuses the lists do not name (paid, pending, 交易成功, 等待买家付款, 卖家已发货…) count
    their units normally.
    """
    text = unicodedata.normalize("NFKC", raw).strip().casefold()
    if not text or any(word in text for word in _NOT_REFUNDED_WORDS):
        return ORDER_OK
    if any(word in text for word in _PARTIAL_WORDS):
        return ORDER_PARTIALLY_REFUNDED
    if any(word in text for word in _REFUNDED_WORDS):
        return ORDER_REFUNDED
    if any(word in text for word in _CANCELLED_WORDS):
        return ORDER_CANCELLED
    return ORDER_OK


_EXCEL_TEXT_WRAPPER = re.compile(r'^="(.*)"$', re.DOTALL)


def identifier(raw: str) -> str:
    """A code as the user meant it: stripped, and Excel's ="0123" text wrapper removed (Chinese
    platform exports write long order numbers that way so Excel keeps every digit)."""
    text = raw.strip()
    if text.startswith('="'):
        match = _EXCEL_TEXT_WRAPPER.match(text)
        if match:
            text = match.group(1).strip()
    return text


def preview_text(value: object) -> str:
    return shorten(value, VALUE_MAX_CHARS)
