"""Nepali dates in CLDR's order, year first: "2026 डिसेम्बर 1" (Django has no Nepali formats, and
its default "Dec. 1, 2026" is English order). Its month names are corrected in locale_django/."""

DATE_FORMAT = "Y F j"
MONTH_DAY_FORMAT = "F j"
