"""The stream names of an OLE compound file, read from its directory alone ([MS-CFB]).

Excel saves an old workbook (.xls) as a compound file holding a "Workbook" stream, and a workbook
encrypted with a password as one holding "EncryptionInfo" and "EncryptedPackage" streams instead
of a zip. Telling them apart takes the header and the directory's sectors, found through the
allocation table (FAT): a few kilobytes, however big the file.
"""

import struct

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_FAT_SECTORS = 109  # the FAT sectors the header lists; a bigger file lists more elsewhere
ENTRY_BYTES = 128
LAST_SECTOR = 0xFFFFFFFA  # numbers from here on mark a chain's end, a free or a special sector
# An encrypted workbook's directory takes 3 sectors; a directory far longer is no workbook's.
MAX_DIRECTORY_SECTORS = 64


def stream_names(data):
    """The names of the storages and streams in a compound file's directory; an empty set for
    bytes that are not a compound file, or whose directory cannot be followed."""
    if not data.startswith(SIGNATURE) or len(data) < 512:
        return set()
    shift, directory = struct.unpack_from("<H", data, 30)[0], struct.unpack_from("<I", data, 48)[0]
    if shift not in (9, 12):  # 512- or 4,096-byte sectors: the only sizes the format has
        return set()
    size = 1 << shift
    fat = struct.unpack_from(f"<{HEADER_FAT_SECTORS}I", data, 76)
    names = set()
    sector = directory
    for _ in range(MAX_DIRECTORY_SECTORS):
        entries = _sector(data, size, sector)
        if entries is None:
            break
        for start in range(0, size, ENTRY_BYTES):
            length = struct.unpack_from("<H", entries, start + 64)[0]
            name = entries[start : start + min(length, 64)].decode("utf-16-le", "replace")
            names.add(name.rstrip("\x00"))
        sector = _next(data, size, fat, sector)
    names.discard("")
    return names


def _sector(data, size, number):
    """Sector `number`'s bytes (the header fills the first sector's room), or None past the end."""
    if number >= LAST_SECTOR:
        return None
    start = (number + 1) * size
    found = data[start : start + size]
    return found if len(found) == size else None


def _next(data, size, fat, number):
    """The sector after `number` in its chain, as the FAT says; LAST_SECTOR when it is not known."""
    per_sector = size // 4
    if number // per_sector >= len(fat):
        return LAST_SECTOR  # listed in a FAT sector the header does not name
    table = _sector(data, size, fat[number // per_sector])
    if table is None:
        return LAST_SECTOR
    return struct.unpack_from("<I", table, (number % per_sector) * 4)[0]
