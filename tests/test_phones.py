"""A desk's phone numbers in one cell, as staff type them and exports write them."""

import pytest

from directory.phones import Phone, PhoneError, TwoNumbers, format_phones, parse_phones


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


@pytest.mark.parametrize(
    "text", ["12-34", "Fax: 0000", "Text: 0000", "代表: phone", "代表: +1 202 555 0100"]
)
def test_it_names_a_number_that_is_not_one_in_japan(text):
    with pytest.raises(PhoneError) as error:
        parse_phones(text)
    assert error.value.number == text.rpartition(":")[2].strip()


def test_it_keeps_a_label_as_written_and_reads_full_width_digits_in_the_number_alone():
    found = parse_phones("相談：外国語: ０２４−９２４−０００１ 内線１２３；ＦＡＸ：024-924-0002")
    assert found == [
        Phone("+81249240001", "123", "相談：外国語"),
        Phone("+81249240002", "", "ＦＡＸ"),
    ]
    assert parse_phones(format_phones(found)) == found


def test_a_number_outside_japan_saved_before_they_were_refused_is_written_with_its_country_code():
    # Not as (202) 555-0100, which would read back as 020-2555-0100: an import names it instead.
    text = format_phones([Phone("+12025550100", label="US")])
    assert text == "US: +1 202-555-0100"
    with pytest.raises(PhoneError) as error:
        parse_phones(text)
    assert error.value.number == "+1 202-555-0100"


def test_a_label_written_without_a_colon_is_kept_not_dropped():
    # Else the fax would be published as one more number to call.
    assert parse_phones(
        "代表 024-924-0000; FAX 024-924-0009; 相談窓口０２４－９２４－０００１"
    ) == [
        Phone("+81249240000", "", "代表"),
        Phone("+81249240009", "", "FAX"),
        Phone("+81249240001", "", "相談窓口"),
    ]


@pytest.mark.parametrize(
    "text",
    ["代表：024-924-0000 内線：123", "代表: 024-924-0000（内線123）", "代表: 024-924-0000 ext.123"],
)
def test_an_extension_written_with_a_colon_or_in_brackets_is_read_as_one(text):
    assert parse_phones(text) == [Phone("+81249240000", "123", "代表")]


@pytest.mark.parametrize(
    "text",
    ["代表: 0138-21-0000、相談: 0120-123-456", "代表 ０１３８−２１−００００ / 相談: 0120-123-456"],
)
def test_two_numbers_with_no_separator_between_them_are_refused_not_one_kept_as_a_label(text):
    with pytest.raises(TwoNumbers) as error:
        parse_phones(text)
    assert error.value.number == text
    # A label may still hold other figures, such as the hours it answers.
    assert parse_phones("受付 9:00-17:00: 024-924-0000")[0].label == "受付 9:00-17:00"
