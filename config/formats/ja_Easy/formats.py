"""Easy Japanese dates in kana, as its readers read them ("2026ねん 4がつ 1にち"), not in
Japanese's kanji (2026年4月1日), which a page in Easy Japanese writes only with its reading."""

DATE_FORMAT = "Yねん nがつ jにち"
MONTH_DAY_FORMAT = "nがつ jにち"
