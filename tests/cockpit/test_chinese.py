"""The cockpit in 简体中文: it renders, in Chinese, with the merchant's currency."""

import pytest
from django.urls import reverse
from django.utils import translation

PANEL_HEADINGS = (
    "Open crises",
    "Reviews getting worse",
    "Stockout risks",
    "Overstock",
    "Drafts waiting for approval",
    "Jobs",
    "Money at risk in open crises",
)


@pytest.fixture
def chinese_client(viewer_client):
    viewer_client.post(reverse("set_language"), {"language": "zh-hans"})
    return viewer_client


def test_the_full_cockpit_renders_in_chinese(chinese_client, store, merchant):
    response = chinese_client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "仪表盘" in html
    assert "$48,000.00" in html  # amounts in the merchant's currency, grouped
    with translation.override("zh-hans"):
        for heading in PANEL_HEADINGS:
            assert translation.gettext(heading) in html


@pytest.mark.django_db
def test_an_empty_cockpit_renders_in_chinese(chinese_client):
    response = chinese_client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
