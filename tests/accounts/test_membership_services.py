import pytest
from django.core.exceptions import ValidationError

from accounts.models import Membership, Role
from accounts.services import (
    membership_add,
    membership_remove,
    membership_role_change,
    merchant_create,
    merchant_update,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_creating_a_merchant_makes_its_creator_the_owner():
    user = UserFactory()
    merchant = merchant_create(name="Tea House", owner=user, currency="cny")
    assert merchant.slug == "tea-house"
    assert merchant.currency == "CNY"
    assert Membership.objects.get(merchant=merchant, user=user).role == Role.OWNER


def test_a_merchant_with_an_unknown_time_zone_is_refused(owner, merchant):
    with pytest.raises(ValidationError) as info:
        merchant_update(merchant=merchant, timezone="Mars/Olympus")
    assert "timezone" in info.value.message_dict
    merchant.refresh_from_db()
    assert merchant.timezone == "UTC"


def test_a_user_is_added_by_username_or_email(merchant, owner):
    carol = UserFactory(username="carol", email="Carol@Example.com")
    membership = membership_add(
        merchant=merchant, username_or_email="carol@example.com", role="analyst"
    )
    assert membership.user == carol
    assert membership.role == Role.ANALYST


def test_adding_an_unknown_user_is_a_form_error(merchant):
    with pytest.raises(ValidationError) as info:
        membership_add(merchant=merchant, username_or_email="nobody", role="viewer")
    assert "username_or_email" in info.value.message_dict


def test_adding_a_member_twice_is_a_form_error(merchant, viewer):
    with pytest.raises(ValidationError):
        membership_add(merchant=merchant, username_or_email="victor", role="manager")
    assert Membership.objects.get(user=viewer, merchant=merchant).role == Role.VIEWER


def test_the_last_owner_cannot_be_demoted(merchant, owner):
    membership = Membership.objects.get(user=owner, merchant=merchant)
    with pytest.raises(ValidationError):
        membership_role_change(membership=membership, role=Role.VIEWER)
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_the_last_owner_cannot_be_removed(merchant, owner):
    membership = Membership.objects.get(user=owner, merchant=merchant)
    with pytest.raises(ValidationError):
        membership_remove(membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_owner_can_step_down_when_another_owner_remains(merchant, owner):
    MembershipFactory(merchant=merchant, role=Role.OWNER)
    membership = Membership.objects.get(user=owner, merchant=merchant)
    membership_role_change(membership=membership, role=Role.MANAGER)
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER


def test_a_user_may_belong_to_several_merchants(merchant, other_merchant, owner):
    MembershipFactory(user=owner, merchant=other_merchant, role=Role.VIEWER)
    assert set(owner.memberships.values_list("merchant__slug", flat=True)) == {"alpha", "beta"}
