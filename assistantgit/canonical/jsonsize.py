"""The size of a canonical text's data as compact JSON, counted on the text: no data built,
no JSON written.

validate's AG601 adds up the JSON size of every item of a tree to learn whether the export
fits the upload page's 10 MB. A commit hook names one file, yet parsing and dumping the
other 5,000 of a 10 MB tree to learn that one number was two thirds of its run.

Canonical text (emit.py) maps onto compact JSON line by line: a line's indentation and line
break vanish, `- ` becomes the comma or bracket after the item, `key: ` becomes `"key":`
plus the comma after its value, a nested node opens with a bracket, and a plain text `abc`
becomes `"abc"` (a backslash more before each `"` and `\\`). Those are ASCII characters, so
the JSON's size is the text's own UTF-8 size corrected by counts. A run of plain items at one
indentation (examples, synonyms: most lines of a skill) is corrected in one step: a regular
expression proves each of them plain and the run's correction is `-indent` per line plus
its quotes and backslashes. Any other scalar is read, checked to be what `dumps` writes,
and measured with json.dumps.

Only a text proven canonical line by line is counted: every scalar as `dumps` writes it,
the keys of each mapping in its order, each nested node indented two spaces more than its
parent. Anything else gives None and the caller parses the text (tests compare the count
with json.dumps of what `loads` reads, on generated texts and on real trees).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]  # public in CPython, not in typeshed

from ..limits import MAX_DEPTH, MAX_INT_DIGITS
from .emit import KEY_PRIORITY, NOT_PLAIN_FIRST, NOT_PLAIN_LAST, RESERVED_PLAIN, dumps, write_string
from .read import NotCanonical, read_scalar


@dataclass(frozen=True)
class Counted:
    size: int  # bytes of json.dumps(data, ensure_ascii=False, separators=(",", ":")) in UTF-8
    texts: dict[str, int]  # top-level key -> how many items of its list are texts


# Items of one list, one per line, at one indentation.
_RUN = re.compile(r"( *)- [^\n]*\n(?:\1- [^\n]*\n)*")
# The start of an item of a run that write_string would not leave plain (the text is known
# printable): an indicator, digit or sign first, or a reserved word. Its other tests, no ' '
# or ':' last and no ': ' or ' #' inside, are made with str.find (_Counter.odd_items).
_ODD_ITEM = re.compile(
    r"""\n *- (?:[ \-?:,\[\]{}#&*!|>'"%@`0-9+.]|(?i:null|~|true|false|yes|no|on|off|y|n|<<|=)(?=\n))"""
)
# A line deeper than the readers nest (fast_loads and slow_loads refuse it, each its way).
_TOO_DEEP = "\n" + " " * (2 * MAX_DEPTH - 10)
_EMPTY = {"{}\n": 2, "[]\n": 2}
_CONSTANTS = frozenset({"null", "true", "false"})
_NUMBER_START = frozenset("-.0123456789")
# A scalar JSON writes with the same bytes, as dumps writes it: null, true, false, {}, [], an
# integer (no sign, no leading zero, within the readers' digits).
_SAME_IN_JSON = re.compile(r"null|true|false|\{\}|\[\]|0|[1-9][0-9]{0,%d}" % (MAX_INT_DIGITS - 1)).fullmatch
# A plain key -> (its place in the canonical order, what `key:` adds as JSON).
_PLAIN_KEYS: dict = {}


class _Declined(Exception):
    """The text is not proven canonical: the caller parses it."""


def json_size(text: str) -> Counted | None:
    """The compact JSON size of the data of a canonical text, or None for any other text."""
    if text in _EMPTY:
        return Counted(_EMPTY[text], {})
    if not text.endswith("\n") or not text.replace("\n", "").isprintable() or _TOO_DEEP in text:
        return None  # a line break only at the ends of lines; canonical text escapes the rest
    try:
        return _Counter(text).count()
    except (_Declined, NotCanonical, ValueError, IndexError):
        return None


def _key(key: str, written: str) -> tuple:
    """(the key's place in the canonical order, the bytes `key:` gains as `"key":` plus the
    comma after its value), when `written` is how write_string writes the key."""
    if written is key:
        known = _PLAIN_KEYS.get(key)
        if known is None:
            if write_string(key) != key:
                raise _Declined
            if len(_PLAIN_KEYS) > 4096:
                _PLAIN_KEYS.clear()
            known = _PLAIN_KEYS[key] = ((KEY_PRIORITY.get(key, 1000), key), _json_bytes(key) - _utf8(key) + 1)
        return known
    if write_string(key) != written:
        raise _Declined
    return (KEY_PRIORITY.get(key, 1000), key), _json_bytes(key) - _utf8(written) + 1


def _quoted_key(content: str) -> bool:
    """Whether a line's content (after its indentation and `- `) starts with a quoted key."""
    try:
        end = scanstring(content, 1)[1]
    except ValueError:
        return False
    return content[end : end + 1] == ":"


def _utf8(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def _json_bytes(value) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))


class _Counter:
    """One pass over the lines. `opened` holds the containers a line may belong to, as
    [indentation, is a list, rank of its last key]; `expected` is the indentation the next
    line must have after a line that opens a node (-1: none), `expected_list` its kind
    (None: either). The common lines are handled inline, as read.py does: this runs on
    every line of a tree."""

    def __init__(self, text: str):
        self.text = text
        self.size = _utf8(text) + 1  # the root's opening bracket (each value adds its comma or closing one)
        self.opened: list[list] = []
        self.expected = 0
        self.expected_list: bool | None = None
        self.texts: dict[str, int] = {}
        self.top_key: str | None = None

    def count(self) -> Counted:
        text, end = self.text, len(self.text)
        opened, plain_keys, place = self.opened, _PLAIN_KEYS, self.place
        size, pos = 0, 0
        # the run of items around `pos` and where its lines that are not plain texts start
        run_end, next_odd = -1, 0
        odd: list[int] = []
        while pos < end:
            stop = text.index("\n", pos)
            line = text[pos:stop]
            rest = line.lstrip(" ")
            indent = stop - pos - len(rest)
            if rest[:2] == "- ":
                if pos >= run_end:  # not in a run of items met before
                    if rest[2] in NOT_PLAIN_FIRST or rest[-1] in NOT_PLAIN_LAST or ": " in rest:  # not a plain text
                        run_end, odd = pos, []
                    else:
                        run_end = _RUN.match(text, pos).end()  # type: ignore[union-attr]  # a `- ` line always matches
                        odd = self.odd_items(pos, run_end)
                    next_odd = 0
                while next_odd < len(odd) and odd[next_odd] < pos:
                    next_odd += 1
                stop = odd[next_odd] if next_odd < len(odd) else run_end
                if stop > pos:  # plain items: `- ` and the line break give way to quotes and a comma
                    lines = text.count("\n", pos, stop)
                    place(indent, True)
                    size += text.count('"', pos, stop) + text.count("\\", pos, stop) - indent * lines
                    self.note_texts(lines)
                    pos = stop
                    continue
                stop = pos + len(line)
                place(indent, True)
                content = rest[2:]
                if content[:1] == '"' and _quoted_key(content):
                    # an item that is a mapping: `- ` becomes the comma after it and its opening bracket
                    size -= indent + 1
                    container = [indent + 2, False, None]
                    opened.append(container)
                    self.size += size
                    size = 0
                    pos = self.quoted_key_line(content, indent + 2, stop, container)
                    continue
                key, colon, value = content.partition(": ")
                if not colon and content[-1:] == ":" and content[:1] != '"':
                    key, colon = content[:-1], ""
                elif not colon or content[:1] == '"':  # a scalar item: `- ` becomes the comma after it
                    size -= indent + 2
                    pos = stop + 1 if _SAME_IN_JSON(content) else self.value(content, indent + 2, stop, True)
                    continue
                # an item that is a mapping: `- ` becomes the comma after it and its opening bracket
                indent += 2
                size -= indent - 1
                container = [indent, False, None]
                opened.append(container)
            elif rest == "-":  # an item that is a list: `-` alone becomes a comma and a bracket
                place(indent, True)
                size -= indent
                self.expected, self.expected_list = indent + 2, True
                pos = stop + 1
                continue
            else:
                if rest[:1] == '"':
                    size -= indent + 1
                    self.size += size
                    size = 0
                    pos = self.quoted_key_line(rest, indent, stop, None)
                    continue
                key, colon, value = rest.partition(": ")
                if not colon:
                    if rest[-1:] != ":":
                        raise _Declined
                    key = rest[:-1]
                if indent == 0:
                    self.top_key = key
                size -= indent + 1
                if not opened or opened[-1][0] != indent or opened[-1][1] or self.expected >= 0:
                    container = place(indent, False)  # not the mapping of the line above
                else:
                    container = opened[-1]
            known = plain_keys.get(key)
            if known is None:
                known = _key(key, key)
            rank, gained = known
            if container[2] is not None and rank <= container[2]:
                raise _Declined  # not the canonical order (or the same key twice)
            container[2] = rank
            size += gained
            if not colon:  # `key:` alone: a node opens below (its bracket)
                size += 1
                self.expected, self.expected_list = indent + 2, None
                pos = stop + 1
                continue
            size -= 1  # the space after the colon
            if (
                value
                and value[0] not in NOT_PLAIN_FIRST
                and value[-1] not in NOT_PLAIN_LAST
                and ": " not in value
                and " #" not in value
                and (len(value) > 5 or value.lower() not in RESERVED_PLAIN)
            ):  # a plain text (the text is printable): quoted in JSON
                size += 2 + value.count('"') + value.count("\\")
                pos = stop + 1
            elif _SAME_IN_JSON(value):
                pos = stop + 1
            else:
                pos = self.value(value, indent + 2, stop, False)
        self.size += size
        if self.expected >= 0:
            raise _Declined  # a node opened and never given
        return Counted(self.size, self.texts)

    def odd_items(self, pos: int, stop: int) -> list[int]:
        """Where the lines of the run of items from `pos` to `stop` start that are not plain
        texts, in order: found for the whole run at once (one line at a time would go over
        the rest of the run again after each)."""
        text = self.text
        starts = set()
        if pos == 0:  # the first line has no line break before it
            if _ODD_ITEM.match("\n" + text[: text.index("\n") + 1]):
                starts.add(0)
        for found in _ODD_ITEM.finditer(text, max(pos - 1, 0), stop):
            starts.add(found.start() + 1)
        for mark in (": ", " #", " \n", ":\n"):
            at = text.find(mark, pos, stop)
            while at >= 0:
                starts.add(text.rfind("\n", pos, at) + 1 or pos)
                at = text.find(mark, text.index("\n", at + 1), stop)
        return sorted(starts)

    def place(self, indent: int, is_list: bool) -> list:
        """The container a line at `indent` belongs to (a new one after an opening line)."""
        if self.expected >= 0:
            if indent != self.expected or self.expected_list not in (None, is_list):
                raise _Declined
            self.expected = -1
            container = [indent, is_list, None]
            self.opened.append(container)
            return container
        opened = self.opened
        while opened and opened[-1][0] > indent:
            opened.pop()
        if not opened or opened[-1][0] != indent or opened[-1][1] is not is_list:
            raise _Declined
        return opened[-1]

    def note_texts(self, count: int) -> None:
        """Texts that are items of a list under a top-level key (intent examples)."""
        opened = self.opened
        if len(opened) == 2 and opened[1][0] == 2 and opened[1][1] and not opened[0][1] and self.top_key is not None:
            self.texts[self.top_key] = self.texts.get(self.top_key, 0) + count

    def quoted_key_line(self, rest: str, indent: int, stop: int, container: list | None) -> int:
        """A mapping entry whose key is double-quoted (`container`: the mapping an item opened)."""
        key, end = scanstring(rest, 1)
        if rest[end : end + 1] != ":":
            raise _Declined
        written, after = rest[:end], rest[end + 1 :]
        if container is None:
            if indent == 0:
                self.top_key = key
            container = self.place(indent, False)
        rank, gained = _key(key, written)
        if container[2] is not None and rank <= container[2]:
            raise _Declined
        container[2] = rank
        self.size += gained
        if not after:
            self.size += 1
            self.expected, self.expected_list = indent + 2, None
            return stop + 1
        if after[:1] != " ":
            raise _Declined
        self.size -= 1
        return self.value(after[1:], indent + 2, stop, False)

    def value(self, written: str, child: int, stop: int, item: bool) -> int:
        """A scalar written on its line (or a block starting there); `child` is where a block's lines are."""
        head = written[:1]
        if head in _NUMBER_START:
            value = read_scalar(written)
            if type(value) is int:
                if str(value) != written:
                    raise _Declined
                return stop + 1  # as many bytes in JSON
        elif written in _CONSTANTS or written == "{}" or written == "[]":
            return stop + 1  # null, true, false, {} and []: as many bytes in JSON (_TOO_DEEP bounds the depth)
        elif head == "|":
            return self.block(written, child, stop, item)
        elif write_string(written) is written:  # a plain text
            self.size += 2 + written.count('"') + written.count("\\")
            if item:
                self.note_texts(1)
            return stop + 1
        else:
            value = read_scalar(written)
        if type(value) is str and "\n" not in value:
            if write_string(value) != written:
                raise _Declined
            if "\\u" in written:  # characters JSON writes as they are (U+2028...)
                self.size += _json_bytes(value) - _utf8(written)
            # else json.dumps writes it as write_string does: as many bytes
        else:
            if dumps([value]) != "- " + written + "\n":
                raise _Declined
            self.size += _json_bytes(value) - _utf8(written)
        if item and type(value) is str:
            self.note_texts(1)
        return stop + 1

    def block(self, indicator: str, indent: int, stop: int, item: bool) -> int:
        """A literal block (`|`, `|-`, `|+`) read as read.py reads it, proven as it proves it."""
        if indicator not in ("|", "|-", "|+"):
            raise _Declined
        text, pad = self.text, " " * indent
        lines, pos = [], stop + 1
        while pos < len(text):
            end = text.index("\n", pos)
            line = text[pos:end]
            if not line.startswith(pad) and line != "":
                break
            lines.append(line)
            pos = end + 1
        if indicator != "|+":
            while lines and lines[-1] == "":
                pos -= 1  # the empty line is not the block's: the text goes on with it
                lines.pop()
            if not lines:
                raise _Declined
        content = "\n".join(line[indent:] for line in lines)
        value = content if indicator == "|-" else content + "\n"
        written = "".join(("  " + line[indent:] if line else "") + "\n" for line in lines)
        if dumps([value]) != "- " + indicator + "\n" + written:
            raise _Declined
        consumed = text[stop + 1 : pos]
        self.size += _json_bytes(value) - len(indicator) - _utf8(consumed)
        if item:
            self.note_texts(1)
        return pos
