"""The English / 简体中文 switch."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_switching_to_chinese_renders_pages_in_zh_hans(owner_client):
    response = owner_client.post(
        reverse("set_language"), {"language": "zh-hans", "next": reverse("product-list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("product-list")
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "仪表盘" in html


@pytest.mark.django_db
def test_english_is_the_default_and_the_switch_offers_both_languages(owner_client):
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert '<html lang="en">' in html
    assert f'action="{reverse("set_language")}" method="post"' in html
    assert 'value="zh-hans"' in html and "简体中文" in html
    assert 'value="en"' in html


@pytest.mark.django_db
def test_the_login_page_can_be_switched_before_signing_in(client):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")})
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
