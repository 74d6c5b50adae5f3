"""Where a YAML node is: key path -> (line, column), both 1-based.

Source files are nearly always in canonical form, whose layout is fixed (two-space
indents, `- ` items, one key per line), so a node is found by scanning lines, with no
YAML parser. Files a person restyled are located with ruamel.yaml's round-trip
loader, which records the line and column of every key and item.
"""

from __future__ import annotations

from .emit import write_string


class Lines:
    """A canonical text split once, with each line's indentation, for many look-ups."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.indents = [len(line) - len(line.lstrip(" ")) for line in self.lines]


def locate_canonical(text, path: tuple) -> tuple[int, int]:
    """Line and column of `path` in canonical text (or Lines); the deepest part found when the rest is missing."""
    split = text if isinstance(text, Lines) else Lines(text)
    lines, indents = split.lines, split.indents
    start, end, indent = 0, len(lines), 0
    item_line = -1  # a `- key: value` line: its mapping's first key sits after the dash
    found = (1, 1)
    for part in path:
        if isinstance(part, str):
            prefix = write_string(part) + ":"
            hit = None
            for index in range(start, end):
                if lines[index].startswith(prefix, indent) and (
                    indents[index] == indent or (index == item_line and indents[index] == indent - 2)
                ):
                    hit = index
                    break
            if hit is None:
                return found
            found = (hit + 1, indent + 1)
            stop = hit + 1
            while stop < end and (not lines[stop] or indents[stop] > indent):
                stop += 1
            start, end, indent = hit + 1, stop, indent + 2
        else:
            items = [
                index
                for index in range(start, end)
                if indents[index] == indent and lines[index][indent : indent + 1] == "-"
            ]
            if not isinstance(part, int) or part >= len(items):
                return found
            hit = items[part]
            stop = items[part + 1] if part + 1 < len(items) else end
            if lines[hit] == " " * indent + "-":  # a list inside a list: it starts on the next line
                found = (hit + 2, indent + 3)
                start, end, indent = hit + 1, stop, indent + 2
            else:
                found = (hit + 1, indent + 3)
                start, end, indent, item_line = hit, stop, indent + 2, hit
    return found


def locate_roundtrip(text: str, path: tuple) -> tuple[int, int]:
    """Line and column of `path` in any YAML text, through ruamel.yaml's round-trip loader."""
    return locate_node(roundtrip_document(text), path)


def roundtrip_document(text: str):
    """ruamel.yaml's round-trip document of a text (None when it does not parse), for many look-ups."""
    from ruamel.yaml import YAML

    try:
        return YAML().load(text)
    except Exception:  # a file that does not parse has its own finding; point at its start
        return None


def locate_node(node, path: tuple) -> tuple[int, int]:
    """Line and column of `path` in a round-trip document (1, 1 when it is None)."""
    found = (1, 1)
    for part in path:
        try:
            if isinstance(part, str):
                line, col = node.lc.key(part)
            else:
                line, col = node.lc.item(part)
            node = node[part]
        except (AttributeError, KeyError, IndexError, TypeError):
            return found
        found = (line + 1, col + 1)
    return found


def locate(text: str, path: tuple) -> tuple[int, int]:
    """Line and column of `path` in any source text: canonical text by its layout, else parsed."""
    from .read import is_canonical

    if not path:
        return (1, 1)
    return locate_canonical(text, path) if is_canonical(text) else locate_roundtrip(text, path)
