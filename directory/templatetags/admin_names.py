"""Template helper of the admin's recent actions: what each names, as staff read it."""

from django import template

from ..admin_auth import logged_name

register = template.Library()
register.filter("logged_name", logged_name)
