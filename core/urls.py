from django.urls import path

from accounts import views as account_views

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", account_views.merchant_settings, name="merchant-settings"),
    path("settings/members/", account_views.member_list, name="member-list"),
    path("settings/members/add/", account_views.member_add, name="member-add"),
    path(
        "settings/members/<int:member_id>/role/",
        account_views.member_role_change,
        name="member-role-change",
    ),
    path(
        "settings/members/<int:member_id>/remove/",
        account_views.member_remove,
        name="member-remove",
    ),
]
