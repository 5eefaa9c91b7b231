"""A job's result summary reads as a table in the user's language, nested values flattened."""

from django.utils import translation

from jobs.templatetags.jobs_tags import result_rows


def test_known_result_keys_are_translated_and_unknown_ones_stay_readable():
    result = {"total": 3, "failed_count": 1, "custom_key": "x"}
    with translation.override("zh-hans"):
        rows = [(row.label, row.value) for row in result_rows(result)]
    assert rows == [("总数", "3"), ("失败数", "1"), ("Custom key", '<span translate="no">x</span>')]


def test_empty_lists_show_a_dash_and_failures_read_as_text_not_json():
    with translation.override("en"):
        result = {"failed": [], "skipped": [{"sku": "A-1", "error": "timeout"}]}
        rows = {row.label: row.value for row in result_rows(result)}
    assert rows["Failures"] == "—"
    assert rows["Skipped"] == (
        'SKU: <span translate="no">A-1</span>, Error: <span translate="no">timeout</span>'
    )
