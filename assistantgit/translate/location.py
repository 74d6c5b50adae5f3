"""One translatable string of a tree, and how its text is held (shared by units and outputs)."""

from __future__ import annotations

from dataclasses import dataclass

from .placeholders import placeholders, split

TEXT, MEMBER, EXAMPLE, VALUE, CONCAT = "text", "member", "example", "value", "concat"
# Every character str.splitlines() breaks at: keys stay one line in PO comments and CSV cells.
_LINE_BREAKS = {ord(c): f"\\u{ord(c):04x}" for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"} | {
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
}


@dataclass(frozen=True)
class Location:
    """One translatable string of a tree."""

    key: str
    item: str  # "intent:order_status": the item the string belongs to
    text: str
    note: str  # for the translator: where the string is shown
    rel: str  # the tree file that holds it
    path: tuple  # where the string (or its holder, see `how`) sits in that file's data
    how: str  # TEXT, MEMBER (of a set), EXAMPLE (a mapping with mentions), VALUE, CONCAT
    group: str = ""  # the set a MEMBER or EXAMPLE belongs to, or that a VALUE's translation joins


def translatable(text) -> bool:
    """A string with something to translate: not blank, not only placeholders."""
    if not isinstance(text, str):
        return False
    if not placeholders(text):
        return bool(text.strip())
    return any(not is_placeholder and run.strip() for is_placeholder, run in split(text))


def one_line(key: str) -> str:
    """A key as one line (line breaks and tabs of the texts in it escaped)."""
    return key.translate(_LINE_BREAKS)
