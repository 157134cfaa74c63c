from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from regionlink.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
]
