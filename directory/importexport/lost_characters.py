"""Characters a file lost when it was saved in an encoding that cannot hold them.

Japanese Excel saves a CSV in Shift_JIS (CP932) and writes each character CP932 lacks as "?"
(or a look-alike, ế as e; a character beyond the BMP, an emoji, as "??"): read back, the cell
looks like an edit of the stored value.
"""


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
