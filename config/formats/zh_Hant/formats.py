"""Traditional Chinese month and day as written, 1月6日: Django's pads the month, 01月6日."""

MONTH_DAY_FORMAT = "n月j日"
