from django.urls import path

from regionlink.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("favicon.ico", views.favicon),
]
