"""Reading canonical YAML fast, and any other YAML through ruamel.yaml (slow.py).

Why not ruamel.yaml for everything: on a 10 MB skill its pure-Python constructor takes
seconds, and pull/push run on every sync. The canonical style (emit.py) is a strict
subset of YAML 1.2, so it can be read with a few string operations.

Safety of the fast reader: a file is accepted by the fast path only when re-emitting
what was read gives back the exact same text. Any file a person edited into another
style (comments, single quotes, flow collections...) falls back to ruamel.yaml's safe
loader, so the fast path can never misread a file; it can only decline it.

Re-emitting every file to compare took about 45% of reading a tree, so the reader checks
each line as it reads it against what `dumps` writes there: every scalar is written as
`write_string` (or `dumps`) would write it, every mapping's keys are in the order and
spelling `dumps` gives them, no nested node is empty. A text that passes every check is
what `dumps` writes for its data; anything the checks are unsure of (a multi-line quoted
text, a float...) is settled by re-emitting, as before, so the verdict never changes
(tests/canonical/read_test.py compares both on generated and real trees). The plain texts
of a file and its blocks are checked together, in written.py.
"""

from __future__ import annotations

import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # public in CPython, not in typeshed

from ..limits import MAX_DEPTH, MAX_INT_DIGITS
from .emit import dumps, write_string
from .slow import slow_loads
from .written import (
    NOT_PLAIN_START,
    PLAIN_KEYS_IN_ORDER,
    block_as_written,
    keys_as_written,
    plain_but_first,
    plain_keys_in_order,
    scalar_as_written,
)

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
# Each level of nesting indents canonical text by two spaces, the outermost by none.
_MAX_INDENT = 2 * (MAX_DEPTH - 1)
# The indents of a mapping (at most _MAX_INDENT) and of its children, made once, not per mapping.
_PADS = tuple(" " * indent for indent in range(_MAX_INDENT + 3))
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+(?:e[-+][0-9]+)?\Z")


class NotCanonical(Exception):
    """The text is not in the canonical style; the slow reader takes over."""


class _FastReader:
    """Reads the canonical style line by line; raises NotCanonical at anything else.

    `unsure` ends True when a check could not prove a line is what `dumps` writes there
    (then fast_loads re-emits the data to decide). The loops are written out (no helper
    call per line or per node) because this runs on every line of every file of a push.
    """

    def __init__(self, text: str):
        if not text.endswith("\n"):
            raise NotCanonical
        # The last line (empty, made NUL here) ends every loop below: no line of a canonical
        # text starts with NUL; a line empty or of spaces only raises IndexError: declined.
        self.lines = text.split("\n")
        self.lines[-1] = "\0"
        self.count = len(self.lines) - 1
        self.unsure = False
        # Plain texts read, first character checked; the rest of write_string's tests are
        # made on all of them at the end (written.plain_but_first).
        self.plain: list[str] = []

    def document(self):
        first = self.lines[0]
        if first in ("{}", "[]") and self.count == 1:
            return {} if first == "{}" else []
        head = first[:1]
        if head == "-" and (first == "-" or first[1] == " "):
            value, index = self.sequence(0, 0)
        elif head in _NOT_NODE_START or head == "-":
            raise NotCanonical
        else:
            value, index = self.mapping(0, 0, first)
        if index != self.count:
            raise NotCanonical
        if self.plain and not plain_but_first(self.plain):
            self.unsure = True
        return value

    def mapping(self, index: int, indent: int, rest: str):
        """A block mapping at `indent`; `rest` is its first line's text after the indent (or a '- ')."""
        if indent > _MAX_INDENT or rest[0] == "-":
            raise NotCanonical  # too deep: the slow reader refuses it with its place
        result: dict = {}
        quoted_keys: dict | None = None  # key -> its text, for keys written in double quotes
        lines, plain = self.lines, self.plain
        pad = _PADS[indent]
        while True:
            if rest[0] != '"':
                key, colon, text = rest.partition(": ")
                if colon and text[0] not in NOT_PLAIN_START:
                    # most lines: a plain key and a one-line plain text (or null, true, false)
                    if key in result:
                        raise NotCanonical
                    if text in _CONSTANTS:
                        result[key] = _CONSTANTS[text]
                    else:
                        result[key] = text
                        plain.append(text)
                    index += 1
                    line = lines[index]
                    if line.startswith(pad):
                        rest = line[indent:]
                        if rest[0] not in _NOT_KEY_START:
                            continue
                    break
                nested = not colon
                if nested:
                    if rest[-1] != ":":
                        raise NotCanonical
                    key = rest[:-1]
            else:
                try:
                    key, end = scanstring(rest, 1)
                except ValueError:
                    raise NotCanonical from None
                if rest[end : end + 1] != ":":
                    raise NotCanonical
                text = rest[end + 1 :]
                nested = not text  # `"key":`, a node on the next lines
                if text:
                    if text[0] != " ":
                        raise NotCanonical
                    text = text[1:]
                if quoted_keys is None:
                    quoted_keys = {}
                quoted_keys[key] = rest[:end]
            if key in result:
                raise NotCanonical
            if nested:  # a mapping or a list on the next lines, indented by two more
                index += 1
                line = lines[index]
                rest = line[indent + 2 :]
                head = rest[:1]
                if head in _NOT_NODE_START or not line.startswith(_PADS[indent + 2]):
                    raise NotCanonical
                if head != "-":
                    result[key], index = self.mapping(index, indent + 2, rest)
                elif rest == "-" or rest[1] == " ":
                    result[key], index = self.sequence(index, indent + 2)
                else:
                    raise NotCanonical
            elif text[:1] == '"':
                try:
                    value, end = scanstring(text, 1)
                except ValueError:
                    raise NotCanonical from None
                if end != len(text):
                    raise NotCanonical
                if ("\n" in value or write_string(value) != text) and not scalar_as_written(value, text):
                    self.unsure = True
                result[key] = value
                index += 1
            else:
                result[key], index = self.inline_value(text, index, indent + 2)
            line = lines[index]
            if not line.startswith(pad):
                break
            rest = line[indent:]
            if rest[0] in _NOT_KEY_START:
                break
        if quoted_keys is None:
            if len(result) == 1:  # its one key is in order, and written as itself if plain
                if key[:1] in NOT_PLAIN_START:
                    self.unsure = True
                else:
                    plain.append(key)
                return result, index
            keys = tuple(result)
            in_order = PLAIN_KEYS_IN_ORDER.get(keys)
            if in_order is None:
                in_order = plain_keys_in_order(keys)
        else:
            in_order = keys_as_written(tuple(result), quoted_keys)
        if not in_order:
            self.unsure = True
        return result, index

    def inline_value(self, text: str, index: int, child_indent: int):
        if text == "{}" or text == "[]":
            if child_indent > _MAX_INDENT:  # an empty mapping or list is a level of nesting too
                raise NotCanonical
            return ({} if text == "{}" else []), index + 1
        if text[:1] == "|":
            return self.block(text, index, child_indent)
        value = read_scalar(text)
        if value is not None and value is not True and value is not False and not scalar_as_written(value, text):
            self.unsure = True
        return value, index + 1

    def block(self, indicator: str, index: int, indent: int):
        if indicator not in ("|", "|-", "|+"):
            raise NotCanonical
        lines, count = self.lines, self.count
        pad = " " * indent
        collected = []
        start = index = index + 1
        while index < count:
            line = lines[index]
            if line.startswith(pad):
                collected.append(line[indent:])
            elif line == "":
                collected.append("")
            else:
                break
            index += 1
        if indicator == "|+":
            text = "\n".join(collected) + "\n"
        else:
            while collected and collected[-1] == "":
                collected.pop()
                index -= 1
            text = "\n".join(collected)
            if indicator == "|":
                text += "\n"
        if not collected:
            raise NotCanonical
        # dumps writes `text` so when block_lines gives these lines, and writes each at `indent`,
        # an empty one as an empty line: a line of only the indent is not its writing
        if not block_as_written(indicator, collected, text) or pad in lines[start:index]:
            self.unsure = True
        return text, index

    def sequence(self, index: int, indent: int):
        if indent > _MAX_INDENT:
            raise NotCanonical  # too deep: the slow reader refuses it with its place
        lines, plain = self.lines, self.plain
        bare = " " * indent + "-"
        item = bare + " "
        child = indent + 2
        inner = " " * child if child <= _MAX_INDENT else ""  # "": no item is a mapping of one line
        line = lines[index]
        result: list = []
        while True:
            if line.startswith(item):
                rest = line[child:]
                head = rest[0]
                if head not in NOT_PLAIN_START and (":" not in rest or (": " not in rest and rest[-1] != ":")):
                    # most items: one line of plain text (or null, true, false), in fewest steps
                    if rest in _CONSTANTS:
                        result.append(_CONSTANTS[rest])
                    else:
                        result.append(rest)
                        plain.append(rest)
                    index += 1
                    line = lines[index]
                    continue
                if head == " ":
                    raise NotCanonical
                if head not in NOT_PLAIN_START:  # `- key: text`, a mapping of one line? (dialog texts)
                    key, colon, text = rest.partition(": ")
                    if colon and text[0] not in NOT_PLAIN_START and not lines[index + 1].startswith(inner):
                        # its one key is in order; that it and the text are written plain
                        # is checked with the other plain texts
                        if text in _CONSTANTS:
                            result.append({key: _CONSTANTS[text]})
                        else:
                            result.append({key: text})
                            plain.append(text)
                        plain.append(key)
                        index += 1
                        line = lines[index]
                        continue
            elif line == bare:  # a list in the list, on the next lines
                line = lines[index + 1]  # dumps writes a mapping item as `- key: ...`
                rest = line[child:]
                if not (rest == "-" or rest[:2] == "- ") or not line.startswith(" " * child):
                    raise NotCanonical
                value, index = self.sequence(index + 1, child)
                result.append(value)
                line = lines[index]
                continue
            elif line.startswith(bare):
                raise NotCanonical
            else:
                break
            if head == '"':
                try:
                    value, end = scanstring(rest, 1)
                except ValueError:
                    raise NotCanonical from None
                if rest[end : end + 1] == ":":
                    value, index = self.mapping(index, child, rest)
                elif end == len(rest):
                    if ("\n" in value or write_string(value) != rest) and not scalar_as_written(value, rest):
                        self.unsure = True
                    index += 1
                else:
                    raise NotCanonical
            elif head == "|" or rest == "{}" or rest == "[]":
                value, index = self.inline_value(rest, index, child)
            elif ": " in rest or rest[-1] == ":":
                value, index = self.mapping(index, child, rest)
            elif head not in _NUMBER_START:  # a text starting as no plain text does ("{", "!"...)
                value = rest
                self.unsure = True
                index += 1
            else:
                value = _plain(rest)
                if value is rest or (  # a text starting as no plain text does ("-x", "1a")
                    value is not None
                    and value is not True
                    and value is not False
                    and not scalar_as_written(value, rest)
                ):
                    self.unsure = True
                index += 1
            result.append(value)
            line = lines[index]
        return result, index


_CONSTANTS = {"null": None, "true": True, "false": False}
_NUMBER_START = frozenset("-.0123456789")
# First characters (or none) after the indent of a line that is not a key of the mapping there.
_NOT_KEY_START = frozenset(("\0", " ", "-"))
# ... nor the first line of a mapping or list there.
_NOT_NODE_START = frozenset(("\0", "", " "))


def _plain(text: str):
    """The value of a plain (unquoted) scalar."""
    if text[0] in _NUMBER_START:
        if _INT.match(text):
            if len(text) > MAX_INT_DIGITS:
                raise NotCanonical  # the slow reader refuses it with its place
            return int(text)
        if _FLOAT.match(text):
            return float(text)
        if text in (".nan", ".inf", "-.inf"):
            return float(text.replace(".", ""))
        return text
    return _CONSTANTS.get(text, text)


def read_scalar(text: str):
    """The value of a plain or double-quoted scalar as canonical text writes it (NotCanonical otherwise)."""
    if text[0] == '"':
        try:
            value, end = scanstring(text, 1)
        except ValueError:
            raise NotCanonical from None
        if end != len(text):
            raise NotCanonical
        return value
    return _plain(text)


def fast_loads(text: str):
    """Read canonical text, or raise NotCanonical."""
    try:
        reader = _FastReader(text)
        data = reader.document()
    except (IndexError, RecursionError):
        raise NotCanonical from None
    if reader.unsure and dumps(data) != text:
        raise NotCanonical
    return data


def is_canonical(text: str) -> bool:
    """True when the text is exactly what `dumps` writes for its data."""
    try:
        fast_loads(text)
    except (NotCanonical, TypeError):
        return False
    return True


def loads(text: str, path: str = "<string>"):
    """Read a source file: the fast path for canonical text, ruamel.yaml for anything else."""
    try:
        return fast_loads(text)
    except (NotCanonical, TypeError):
        return slow_loads(text, path)
