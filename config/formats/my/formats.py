"""Burmese dates in numbers: Django has no Burmese month names, and "2025-03-14" needs none."""

DATE_FORMAT = "Y-m-d"
# A day a week or more away ("opens Monday, …"), written as every other date on the page.
MONTH_DAY_FORMAT = "Y-m-d"
