"""A desk's phone numbers in one cell, as staff type them and exports write them."""

import pytest

from directory.phones import Phone, PhoneError, format_phones, parse_phones


def test_it_reads_labels_numbers_and_extensions_and_keeps_numbers_in_international_form():
    assert parse_phones("代表: 024-924-0000; 相談: 024-924-0001 内線 123\n03-5555-0000 ext.5") == [
        Phone("+81249240000", "", "代表"),
        Phone("+81249240001", "123", "相談"),
        Phone("+81355550000", "5", ""),
    ]
    assert parse_phones("") == []


def test_it_writes_back_the_text_it_reads_in_the_japanese_form_with_either_extension_word():
    found = parse_phones("代表: +81 24 924 0000; 相談: 0249240001 x 123")
    assert format_phones(found) == "代表: 024-924-0000; 相談: 024-924-0001 ext. 123"
    assert format_phones(found, "内線") == "代表: 024-924-0000; 相談: 024-924-0001 内線 123"
    assert parse_phones(format_phones(found, "内線")) == found


@pytest.mark.parametrize("text", ["12-34", "Fax: 0000", "代表: phone"])
def test_it_names_a_number_that_is_not_one_in_japan(text):
    with pytest.raises(PhoneError) as error:
        parse_phones(text)
    assert error.value.number == text.rpartition(":")[2].strip()
