"""Vietnamese dates without Django's leading "Ngày": a sentence names the day itself ("Đã kết
thúc ngày 31 tháng 3 năm 2025"), and Django's form made it read "ngày Ngày 31…"."""

DATE_FORMAT = r"j \t\h\á\n\g n \n\ă\m Y"
MONTH_DAY_FORMAT = r"j \t\h\á\n\g n"
