"""Password change and reset by email, with our templates."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_a_password_reset_email_is_sent_and_its_link_sets_a_new_password(client, owner):
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your EcomOps password"
    assert "Hello alice," in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    new_password = "a-brand-new-secret-42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == reverse("password_reset_complete")
    owner.refresh_from_db()
    assert owner.check_password(new_password)


@pytest.mark.django_db
def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, owner):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_used_or_forged_reset_link_says_it_no_longer_works(client, owner):
    response = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "forged-token"})
    )
    assert b"This link no longer works" in response.content


@pytest.mark.django_db
def test_the_reset_email_is_written_in_the_language_of_the_request(client, owner):
    client.post(reverse("set_language"), {"language": "zh-hans"})
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert mail.outbox[0].subject == "重置您的 EcomOps 密码"


@pytest.mark.django_db
def test_a_member_changes_their_password(owner_client, owner):
    response = owner_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-secret-7",
            "new_password2": "another-long-secret-7",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    owner.refresh_from_db()
    assert owner.check_password("another-long-secret-7")
    assert owner_client.get(reverse("password_change_done")).status_code == 200


@pytest.mark.django_db
def test_a_wrong_old_password_is_shown_next_to_the_field(owner_client):
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "x-long-secret-7", "new_password2": "x"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert b"invalid-feedback" in response.content
