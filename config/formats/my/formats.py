"""Burmese dates in numbers: Django has no Burmese month names, and "2025-03-14" needs none."""

DATE_FORMAT = "Y-m-d"
