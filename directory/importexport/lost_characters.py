"""Characters a file lost when it was saved in an encoding that cannot hold them.

Japanese Excel saves a CSV in Shift_JIS (CP932) and writes each character CP932 lacks as "?"
(or a look-alike, ế as e; a character beyond the BMP, an emoji, as "??"): read back, the cell
looks like an edit of the stored value.
"""

import re

# Web and e-mail addresses hold ? of their own (https://x.jp/a?id=1): never a lost character.
ADDRESS = re.compile(r"(?:https?://|www\.)\S*|\S+@\S+", re.IGNORECASE)


def lost_characters(stored, incoming, encoding):
    """The characters of `stored` that `encoding` cannot hold (in order, each once), when
    `incoming` is `stored` with each of them replaced by one or two characters and nothing else
    changed; else "" (the same value, another edit, or nothing `encoding` lacks)."""
    if stored == incoming:
        return ""
    lost = set()
    for character in stored:
        try:
            character.encode(encoding)
        except UnicodeEncodeError:
            lost.add(character)
    if not lost:
        return ""
    # Bit p of `reach`: the characters of `stored` read so far can have become the first p of
    # `incoming`. Every way is followed at once: each lost character became one or two, and
    # trying the ways in turn doubles the tries with each lost character (a Korean note).
    after = {}
    for position, character in enumerate(incoming, start=1):
        after[character] = after.get(character, 0) | 1 << position
    reach = 1
    for character in stored:
        if character in lost:
            reach = reach << 1 | reach << 2
        else:
            reach = reach << 1 & after.get(character, 0)
        if not reach:
            return ""
    if not reach >> len(incoming) & 1:
        return ""
    return "".join(dict.fromkeys(character for character in stored if character in lost))


def garbled(value, stored=""):
    """The part of `value` whose "?" stands where a character was lost, as Excel writes
    "L?p h?c" for "Lớp học": from the first word holding "?" between two letters, or "??", to
    the last; "" when none, or each such word is in `stored` too (the text was kept)."""
    if value == stored or "?" not in value:
        return ""
    # Blanked to the same length, so the words found keep their places in `value`.
    masked = ADDRESS.sub(lambda address: " " * len(address[0]), value)
    kept = {stored[start:end] for start, end in _words(stored)}
    found = [
        (start, end)
        for start, end in _words(masked)
        if _lost_in(masked[start:end]) and masked[start:end] not in kept
    ]
    return value[found[0][0] : found[-1][1]] if found else ""


def _words(text):
    """(start, end) of each run of letters (of any script) and "?" in `text`."""
    start = None
    for position, character in enumerate(text):
        if character.isalpha() or character == "?":
            start = position if start is None else start
        elif start is not None:
            yield start, position
            start = None
    if start is not None:
        yield start, len(text)


def _lost_in(word):
    """Whether a word holds "??" (a character beyond the BMP, an emoji), or "?" between two
    letters: a "?" ending a question does neither."""
    return "??" in word or any(
        character == "?" and word[position - 1].isalpha() and word[position + 1].isalpha()
        for position, character in enumerate(word[1:-1], start=1)
    )
