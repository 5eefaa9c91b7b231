"""Members: owners add, re-role and remove members; nobody else may; the last owner stays."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory


def role_url(membership):
    return reverse("member-role-change", kwargs={"member_id": membership.pk})


def remove_url(membership):
    return reverse("member-remove", kwargs={"member_id": membership.pk})


def role_data(membership, role):
    return {f"m{membership.pk}-role": role}


@pytest.fixture
def owner_membership(owner, merchant):
    return Membership.objects.get(user=owner, merchant=merchant)


@pytest.fixture
def viewer_membership(viewer, merchant):
    return Membership.objects.get(user=viewer, merchant=merchant)


@pytest.mark.django_db
def test_the_member_list_shows_everyone_with_their_role(owner_client, viewer_membership):
    html = owner_client.get(reverse("member-list")).content.decode()
    assert "alice" in html and "victor" in html
    assert "Add a member" in html
    assert role_url(viewer_membership) in html


@pytest.mark.django_db
def test_an_owner_adds_an_existing_user_by_username(owner_client, merchant):
    UserFactory(username="carol")
    response = owner_client.post(
        reverse("member-add"), {"username_or_email": "carol", "role": Role.ANALYST}
    )
    assert response.status_code == 302
    assert Membership.objects.get(merchant=merchant, user__username="carol").role == Role.ANALYST


@pytest.mark.django_db
def test_an_owner_adds_an_existing_user_by_email(owner_client, merchant):
    UserFactory(username="dave", email="dave@example.com")
    owner_client.post(
        reverse("member-add"), {"username_or_email": "DAVE@example.com", "role": Role.MANAGER}
    )
    assert Membership.objects.get(merchant=merchant, user__username="dave").role == Role.MANAGER


@pytest.mark.django_db
def test_adding_an_unknown_user_shows_the_error_next_to_the_field(owner_client, merchant):
    response = owner_client.post(
        reverse("member-add"), {"username_or_email": "nobody", "role": Role.VIEWER}
    )
    assert response.status_code == 400
    assert "No user with this username or email." in response.content.decode()
    assert "username_or_email" in response.context["add_form"].errors


@pytest.mark.django_db
def test_adding_someone_twice_is_refused(owner_client, viewer):
    response = owner_client.post(
        reverse("member-add"), {"username_or_email": "victor", "role": Role.OWNER}
    )
    assert response.status_code == 400
    assert "already a member" in response.content.decode()


@pytest.mark.django_db
def test_an_owner_changes_a_role(owner_client, viewer_membership):
    response = owner_client.post(
        role_url(viewer_membership), role_data(viewer_membership, Role.MANAGER)
    )
    assert response.status_code == 302
    viewer_membership.refresh_from_db()
    assert viewer_membership.role == Role.MANAGER


@pytest.mark.django_db
def test_the_last_owner_cannot_be_demoted(owner_client, owner_membership):
    response = owner_client.post(
        role_url(owner_membership), role_data(owner_membership, Role.VIEWER)
    )
    assert response.status_code == 400
    assert "A merchant must keep at least one owner." in response.content.decode()
    owner_membership.refresh_from_db()
    assert owner_membership.role == Role.OWNER


@pytest.mark.django_db
def test_an_owner_can_step_down_once_there_is_another_owner(
    owner_client, owner_membership, viewer_membership
):
    owner_client.post(role_url(viewer_membership), role_data(viewer_membership, Role.OWNER))
    owner_client.post(role_url(owner_membership), role_data(owner_membership, Role.ANALYST))
    owner_membership.refresh_from_db()
    assert owner_membership.role == Role.ANALYST
    assert owner_client.post(reverse("member-add"), {}).status_code == 403


@pytest.mark.django_db
def test_an_unknown_role_is_an_error_not_a_crash(owner_client, viewer_membership):
    response = owner_client.post(role_url(viewer_membership), role_data(viewer_membership, "god"))
    assert response.status_code == 400
    viewer_membership.refresh_from_db()
    assert viewer_membership.role == Role.VIEWER


@pytest.mark.django_db
def test_an_owner_removes_a_member(owner_client, viewer_membership):
    assert owner_client.post(remove_url(viewer_membership)).status_code == 302
    assert not Membership.objects.filter(pk=viewer_membership.pk).exists()


@pytest.mark.django_db
def test_the_last_owner_cannot_be_removed(owner_client, owner_membership):
    response = owner_client.post(remove_url(owner_membership))
    assert response.status_code == 400
    assert "A merchant must keep at least one owner." in response.content.decode()
    assert Membership.objects.filter(pk=owner_membership.pk).exists()


@pytest.mark.django_db
def test_a_viewer_sees_members_but_no_management_controls(viewer_client, owner_membership):
    html = viewer_client.get(reverse("member-list")).content.decode()
    assert "alice" in html
    assert "Add a member" not in html
    assert role_url(owner_membership) not in html
    assert remove_url(owner_membership) not in html


@pytest.mark.django_db
def test_a_viewer_gets_403_for_every_member_change(viewer_client, owner_membership):
    UserFactory(username="carol")
    add = viewer_client.post(reverse("member-add"), {"username_or_email": "carol", "role": "owner"})
    assert add.status_code == 403
    demote = viewer_client.post(role_url(owner_membership), role_data(owner_membership, "viewer"))
    assert demote.status_code == 403
    assert viewer_client.post(remove_url(owner_membership)).status_code == 403
    owner_membership.refresh_from_db()
    assert owner_membership.role == Role.OWNER
    assert not Membership.objects.filter(user__username="carol").exists()


@pytest.mark.django_db
def test_another_merchants_member_id_is_not_found(owner_client, other_merchant):
    theirs = MembershipFactory(merchant=other_merchant, role=Role.VIEWER)
    assert owner_client.post(role_url(theirs), role_data(theirs, Role.OWNER)).status_code == 404
    assert owner_client.post(remove_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.VIEWER


@pytest.mark.django_db
def test_member_changes_only_accept_post(owner_client, viewer_membership):
    assert owner_client.get(remove_url(viewer_membership)).status_code == 405
    assert Membership.objects.filter(pk=viewer_membership.pk).exists()


@pytest.mark.django_db
def test_an_owner_who_leaves_goes_to_the_dashboard_of_another_merchant(
    owner_client, owner, owner_membership, merchant, other_merchant
):
    MembershipFactory(merchant=merchant, role=Role.OWNER)
    MembershipFactory(user=owner, merchant=other_merchant, role=Role.VIEWER)
    response = owner_client.post(remove_url(owner_membership))
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert owner_client.session.get("active_merchant_id") is None
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert other_merchant.name in html
