"""A compound file's stream names are read from its header and directory, within bounds."""

import struct

from directory.importexport.compound_file import SIGNATURE, stream_names
from tests import crafted_files


def test_the_names_of_an_encrypted_workbook_are_read_from_every_sector_of_its_directory():
    # The directory's first sector is at the start, the rest after 400 KB of encrypted workbook.
    _name, data = crafted_files.encrypted_workbook(400_000)
    assert {"EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"} <= stream_names(data)


def test_a_directory_whose_chain_loops_is_read_no_further_than_its_bound():
    _name, data = crafted_files.old_workbook()
    directory = struct.unpack_from("<I", data, 48)[0]
    # The FAT (sector 0, just after the header) says the directory's sector follows itself:
    # read without a bound, it would be read for ever.
    looping = bytearray(data)
    struct.pack_into("<I", looping, 512 + directory * 4, directory)
    assert "Workbook" in stream_names(bytes(looping))


def test_bytes_that_only_start_as_a_compound_file_hold_no_names():
    for data in (crafted_files.old_workbook()[1][:600], SIGNATURE + bytes(1024)):
        assert stream_names(data) == set()
