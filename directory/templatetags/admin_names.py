"""Template helpers of the admin's recent actions and histories: what each names, as staff
read it."""

from django import template

from ..admin_auth import logged_name
from ..importexport.importlog import shown_reason

register = template.Library()
register.filter("logged_name", logged_name)
register.filter("change_reason", shown_reason)
