"""English dates as the directory writes them: "14 March 2025", unambiguous for every reader."""

DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
