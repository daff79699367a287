"""Top-level URL configuration: the admin, the health check and the public directory."""

from django.contrib import admin
from django.urls import include, path

from directory.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("directory.urls")),
]
