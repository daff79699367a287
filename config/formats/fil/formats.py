"""Filipino dates as written in the Philippines: "March 14, 2025" (Django ships no Filipino)."""

DATE_FORMAT = "F j, Y"
