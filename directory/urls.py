"""Public URLs of the directory."""

from django.urls import path

from . import reporting, views

app_name = "directory"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("search/", views.CitySearchView.as_view(), name="search"),
    path("cities/<slug:slug>/", views.CityDetailView.as_view(), name="city-detail"),
    path(
        "cities/<slug:slug>/report/",
        reporting.ReportProblemView.as_view(),
        name="city-report",
    ),
    path("places/<str:code>/", views.PlaceDetailView.as_view(), name="place-detail"),
    path(
        "cities/<slug:slug>/desks/<int:pk>/staff-card/",
        views.StaffCardView.as_view(),
        name="staff-card",
    ),
    path(
        "prefectures/<str:code>/",
        views.PrefectureDetailView.as_view(),
        name="prefecture-detail",
    ),
    path("data/hsds/", views.hsds_download, name="hsds"),
    path(
        "data/<slug:kind>.<slug:fmt>",
        views.open_data_download,
        name="open-data",
    ),
]
