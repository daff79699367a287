"""Indonesian dates with the month in full, as CLDR writes them: "1 Desember 2026". Django's
"j N Y" gave "1 Des. 2026" beside "14 Maret 2026": a stop Indonesian abbreviations do not take."""

DATE_FORMAT = "j F Y"
