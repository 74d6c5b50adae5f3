"""Whether texts the fast reader took from a file are written as `dumps` writes them,
tested on many at once (read.py collects them while reading, then asks once per file).

Why at once: a push reads ~200,000 plain texts; one call per text to `write_string`
would cost more than reading them. Joined, the texts are tested in a few C-speed scans.
tests/canonical/read_test.py holds each test to `write_string` / `block_lines`.
"""

from __future__ import annotations

from itertools import product
from operator import itemgetter

from .emit import NOT_PLAIN_FIRST, NOT_PLAIN_LAST, RESERVED_PLAIN

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
