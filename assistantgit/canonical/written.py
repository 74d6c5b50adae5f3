"""Whether what the fast reader (read.py) took from a file is written as `dumps` writes
it: scalars, a mapping's keys, a block's lines, and the plain texts of a whole file at once.

Why plain texts at once: a push reads ~200,000 of them; one call per text to `write_string`
would cost more than reading them. Joined, they are tested in a few C-speed scans.
tests/canonical/read_test.py holds each test to `write_string` / `block_lines` / `dumps`.
"""

from __future__ import annotations

from itertools import product
from operator import itemgetter

from .emit import NOT_PLAIN_FIRST, NOT_PLAIN_LAST, RESERVED_PLAIN, dumps, write_string

# Every spelling str.lower() folds to a word YAML reads as another type (write_string quotes
# them): only ASCII letters fold to these words' letters, so their upper/lower mixes are all.
RESERVED_SPELLINGS = frozenset(
    "".join(spelling) for word in RESERVED_PLAIN for spelling in product(*({c, c.upper()} for c in word))
)
# A text's first character (or none) with which `write_string` does not write it as itself.
NOT_PLAIN_START = NOT_PLAIN_FIRST | {""}


def all_plain(texts: list[str]) -> bool:
    """Whether `write_string` writes each text as itself, for texts read from one line each."""
    try:
        return NOT_PLAIN_FIRST.isdisjoint(map(itemgetter(0), texts)) and plain_but_first(texts)
    except IndexError:  # an empty text
        return False


def plain_but_first(texts: list[str]) -> bool:
    """all_plain for texts whose first characters the reader has checked (none in
    NOT_PLAIN_START). Joined, a ': ' or ' #' across two texts only makes this say False
    more often (then fast_loads re-emits to decide); a one-character search (memchr) spares
    most texts the slower two-character one."""
    joined = "".join(texts)
    return (
        joined.isprintable()
        and ("#" not in joined or " #" not in joined)
        and (":" not in joined or ": " not in joined)
        and NOT_PLAIN_LAST.isdisjoint(map(itemgetter(-1), texts))
        and RESERVED_SPELLINGS.isdisjoint(texts)
    )


def block_as_written(indicator: str, lines: list[str], text: str) -> bool:
    """Whether `block_lines(text)` is `(indicator, lines)`, for the `text` read from a block's
    `lines` (no trailing empty line unless `|+`; `text` joins them, ending as `indicator`
    says): its tests made on the lines read, without splitting `text` again."""
    return (
        lines[0][:1] not in ("", " ")
        and "".join(lines).isprintable()
        and " \n" not in text
        and text[-1] != " "
        and (len(lines) > 1 if indicator == "|-" else indicator == "|" or lines[-1] == "")
    )


def scalar_as_written(value, text: str) -> bool:
    """Whether `dumps` writes the scalar `value` as `text` (a value in a mapping or a list)."""
    if type(value) is str and "\n" not in value:
        return write_string(value) == text
    if type(value) is int:
        return str(value) == text
    return dumps([value]) == "- " + text + "\n"


def keys_as_written(keys: tuple, quoted: dict) -> bool:
    """Whether a mapping's keys, as the text wrote them (plain, or `quoted[key]`), are in the
    order and spelling `dumps` writes them."""
    written = "".join(quoted.get(key, key) + ": null\n" for key in keys)
    return dumps(dict.fromkeys(keys)) == written


# Key tuples of mappings whose keys are all plain -> whether that is their canonical order
# and spelling. Mappings of one kind share their keys, so this is worked out once per kind
# (the reader looks here itself: a call less per mapping).
PLAIN_KEYS_IN_ORDER: dict[tuple, bool] = {}


def plain_keys_in_order(keys: tuple) -> bool:
    """keys_as_written for plain keys, remembered in PLAIN_KEYS_IN_ORDER."""
    in_order = keys_as_written(keys, {})
    if len(PLAIN_KEYS_IN_ORDER) > 4096:
        PLAIN_KEYS_IN_ORDER.clear()
    PLAIN_KEYS_IN_ORDER[keys] = in_order
    return in_order
