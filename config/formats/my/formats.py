"""Burmese dates as CLDR writes them, year first: "2026 ဧပြီ 1". Django has no Burmese month
names: they are CLDR's, in locale_django/my/."""

DATE_FORMAT = "Y F j"
# A day a week or more away ("opens Monday, …"), written as every other date on the page.
MONTH_DAY_FORMAT = "F j"
