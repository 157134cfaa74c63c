"""/organisations/: the directory, profiles, profile editing and member management."""

from django.urls import path

from regionlink.organisations import views

urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("<slug:code>/", views.organisation_detail, name="organisation-detail"),
    path("<slug:code>/edit/", views.organisation_edit, name="organisation-edit"),
    path("<slug:code>/members/", views.organisation_members, name="organisation-members"),
    path("<slug:code>/members/add/", views.member_add, name="organisation-member-add"),
    path("<slug:code>/members/new/", views.member_create, name="organisation-member-create"),
    path(
        "<slug:code>/members/<int:pk>/role/",
        views.member_change_role,
        name="organisation-member-role",
    ),
    path(
        "<slug:code>/members/<int:pk>/remove/",
        views.member_remove,
        name="organisation-member-remove",
    ),
]
