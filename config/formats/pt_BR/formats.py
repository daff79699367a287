"""Brazilian dates as written in Brazil, 01/04/2026: Django's Portuguese month names are
capitalised ("Abril"), which Portuguese does not do in a date."""

DATE_FORMAT = "d/m/Y"
MONTH_DAY_FORMAT = "d/m"
