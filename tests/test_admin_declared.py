"""The ModelAdmins' declared columns, filters and actions: link health and freshness included, and
actions that change records offered only to those who may change them."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from directory.admin_filters import VerificationFilter
from directory.models import City
from directory.roles import DIRECTORY_EDITORS
from tests.builders import make_city, make_department, make_staff, sign_in

pytestmark = pytest.mark.django_db

CHANGING_ACTIONS = {"mark_verified_today", "check_city_links", "check_selected_links"}


def offered(response):
    form = response.context["action_form"]  # None when no action is offered at all
    return {name for name, _ in form.fields["action"].choices if name} if form else set()


def changelist(model):
    return reverse(f"admin:directory_{model}_changelist")


def test_an_editor_sees_link_health_and_freshness_columns_filters_and_actions(client):
    city = make_city()
    make_department(city)
    client = sign_in(client, make_staff("editor", DIRECTORY_EDITORS))

    cities = client.get(changelist("city"))
    assert cities.context["cl"].list_display[-1] == "last_verified"
    assert VerificationFilter in {type(spec) for spec in cities.context["cl"].filter_specs}
    assert {"mark_verified_today", "check_city_links"} <= offered(cities)

    departments = client.get(changelist("department"))
    assert departments.context["cl"].list_display[-2:] == ["link_check", "original_page"]
    assert "check_selected_links" in offered(departments)
    page = client.get(
        reverse("admin:directory_department_change", args=[city.departments.get().pk])
    )
    assert "link check" in page.text.lower()


def test_a_staff_member_who_may_only_view_is_offered_no_action_that_changes_records(client):
    city = make_city()
    make_department(city)
    viewer = make_staff("viewer")
    codenames = ["view_city", "view_department", "change_all_cities"]
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = sign_in(client, viewer)

    for model in ("city", "department"):
        response = client.get(changelist(model))
        assert response.status_code == 200
        assert not offered(response) & CHANGING_ACTIONS

    client.post(
        changelist("city"), {"action": "mark_verified_today", "_selected_action": [city.pk]}
    )
    assert City.objects.get(pk=city.pk).last_verified is None
