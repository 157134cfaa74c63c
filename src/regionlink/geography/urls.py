from django.urls import path

from regionlink.geography import views

urlpatterns = [
    path("regions/", views.region_list, name="region-list"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/<str:code>/", views.unit_detail, name="unit-detail"),
    path("units/<str:code>/communes/", views.unit_communes, name="unit-communes"),
]
