"""Public pages of the directory."""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .models import City, ClassLink, Department, Prefecture


class HomeView(ListView):
    template_name = "directory/home.html"
    context_object_name = "cities"

    def get_queryset(self):
        return City.objects.select_related("prefecture")


class CityDetailView(DetailView):
    template_name = "directory/city_detail.html"

    def get_queryset(self):
        return City.objects.select_related("prefecture").prefetch_related(
            Prefetch(
                "departments",
                queryset=Department.objects.prefetch_related(
                    Prefetch("class_links", queryset=ClassLink.objects.order_by("position"))
                ),
            ),
        )


class PrefectureDetailView(DetailView):
    template_name = "directory/prefecture_detail.html"
    slug_field = slug_url_kwarg = "code"

    def get_queryset(self):
        return Prefecture.objects.prefetch_related("cities")
