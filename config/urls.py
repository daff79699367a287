"""Top-level URL configuration: the admin and the public directory."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("directory.urls")),
]
