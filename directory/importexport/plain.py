"""Read full-width input that means the plain thing as the plain thing: ＠ as @, １２ as 12.

Plain Python with no Django in it. Japanese input methods type full-width letters, digits and
signs, and the ideographic space, where a code, a number, an e-mail address or a URL means the
ASCII ones.
"""

# The full-width forms of ASCII (U+FF01–U+FF5E) sit 0xFEE0 above it; U+3000 is the wide space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def plain_width(value):
    """Fold full-width ASCII and the ideographic space to ASCII; leave every other character.

    NFKC's folding, limited to these characters: NFKC would also turn ① into 1 and half-width
    katakana into full-width, which are not the same text in a name, a label or a URL's path.
    Values that are not text (a spreadsheet's numbers) are returned as they are.
    """
    return value.translate(_FULL_WIDTH) if isinstance(value, str) else value
