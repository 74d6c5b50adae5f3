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
(tests/canonical/read_test.py compares both on generated and real trees).
"""

from __future__ import annotations

import re
from itertools import product
from json.decoder import scanstring  # type: ignore[attr-defined]  # public in CPython, not in typeshed
from operator import itemgetter

from ..limits import MAX_DEPTH, MAX_INT_DIGITS
from .emit import NOT_PLAIN_FIRST, NOT_PLAIN_LAST, RESERVED_PLAIN, block_lines, dumps, write_string
from .slow import slow_loads

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
# Each level of nesting indents canonical text by two spaces, the outermost by none.
_MAX_INDENT = 2 * (MAX_DEPTH - 1)
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+(?:e[-+][0-9]+)?\Z")


class NotCanonical(Exception):
    """The text is not in the canonical style; the slow reader takes over."""


class _FastReader:
    """Reads the canonical style line by line; raises NotCanonical at anything else.

    `unsure` ends True when a check could not prove a line is what `dumps` writes there
    (then fast_loads re-emits the data to decide). The loops are written out (no helper
    call per line) because this runs on every line of every file of a push.
    """

    def __init__(self, text: str):
        if not text.endswith("\n"):
            raise NotCanonical
        self.lines = text[:-1].split("\n")
        self.count = len(self.lines)
        self.unsure = False
        self.plain: list[str] = []  # plain texts read, checked together at the end (_all_plain)

    def document(self):
        first = self.lines[0]
        if first in ("{}", "[]") and self.count == 1:
            return {} if first == "{}" else []
        value, index = self.node(0, 0)
        if index != self.count:
            raise NotCanonical
        if self.plain and not _all_plain(self.plain):
            self.unsure = True
        return value

    def node(self, index: int, indent: int):
        line = self.lines[index]
        if len(line) - len(line.lstrip(" ")) != indent:
            raise NotCanonical
        if line.startswith("- ", indent) or (len(line) == indent + 1 and line[indent] == "-"):
            return self.sequence(index, indent)
        return self.mapping(index, indent)

    def mapping(self, index: int, indent: int, first: str | None = None):
        """A block mapping at `indent`; `first` is its first line's text after a '- '."""
        if indent > _MAX_INDENT:
            raise NotCanonical  # too deep: the slow reader refuses it with its place
        result = {}
        quoted_keys: dict | None = None  # key -> its text, for keys written in double quotes
        lines, count, plain = self.lines, self.count, self.plain
        pad = " " * indent
        while index < count:
            if first is not None:
                rest, first = first, None
                if rest[0] == "-":
                    raise NotCanonical
            else:
                line = lines[index]
                if not line.startswith(pad):
                    break
                rest = line[indent:]
                if not rest or rest[0] in " -":
                    break
            if rest[0] == '"':
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
            else:
                key, colon, text = rest.partition(": ")
                nested = not colon
                if nested:
                    if rest[-1] != ":":
                        raise NotCanonical
                    key = rest[:-1]
            if key in result:
                raise NotCanonical
            if nested:
                if index + 1 >= count:
                    raise NotCanonical
                value, index = self.node(index + 1, indent + 2)
                if not value:  # dumps writes an empty one inline, `key: {}`
                    self.unsure = True
                result[key] = value
            else:  # the common one-line scalars inline (a call less per line); the rest in inline_value
                head = text[:1]
                if head == '"':
                    try:
                        value, end = scanstring(text, 1)
                    except ValueError:
                        raise NotCanonical from None
                    if end != len(text):
                        raise NotCanonical
                    if ("\n" in value or write_string(value) != text) and not _written_as(value, text):
                        self.unsure = True
                    result[key] = value
                    index += 1
                elif head and head not in _NOT_SIMPLE_PLAIN:
                    value = _CONSTANTS.get(text, text)
                    if value is text:
                        plain.append(text)
                    result[key] = value
                    index += 1
                else:
                    result[key], index = self.inline_value(text, index, indent + 2)
        keys = tuple(result)
        if quoted_keys is None:
            in_order = _PLAIN_KEYS_IN_ORDER.get(keys)
            if in_order is None:
                in_order = _keys_as_written(keys, {})
                if len(_PLAIN_KEYS_IN_ORDER) > 4096:
                    _PLAIN_KEYS_IN_ORDER.clear()
                _PLAIN_KEYS_IN_ORDER[keys] = in_order
        else:
            in_order = _keys_as_written(keys, quoted_keys)
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
        if value is not None and value is not True and value is not False and not _written_as(value, text):
            self.unsure = True
        return value, index + 1

    def block(self, indicator: str, index: int, indent: int):
        if indicator not in ("|", "|-", "|+"):
            raise NotCanonical
        pad = " " * indent
        collected = []
        start = index = index + 1
        while index < self.count:
            line = self.lines[index]
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
            if not collected:
                raise NotCanonical
            text = "\n".join(collected)
            if indicator == "|":
                text += "\n"
        # dumps writes `text` so when block_lines gives these lines, and writes each at `indent`,
        # an empty one as an empty line: a line of only the indent is not its writing
        if block_lines(text) != (indicator, collected) or pad in self.lines[start:index]:
            self.unsure = True
        return text, index

    def sequence(self, index: int, indent: int):
        if indent > _MAX_INDENT:
            raise NotCanonical  # too deep: the slow reader refuses it with its place
        result = []
        lines, count, plain = self.lines, self.count, self.plain
        bare = " " * indent + "-"
        item = bare + " "
        child = indent + 2
        while index < count:
            line = lines[index]
            if line.startswith(item):
                rest = line[child:]
                head = rest[:1]
                if head not in _NOT_PLAIN_ITEM and ": " not in rest and rest[-1] != ":":
                    value = _CONSTANTS.get(rest, rest)  # most items: one line of plain text, in fewest steps
                    if value is rest:
                        plain.append(rest)
                    result.append(value)
                    index += 1
                    continue
                if not head or head == " ":
                    raise NotCanonical
            elif line == bare:
                value, index = self.node(index + 1, child)
                if type(value) is not list or not value:  # dumps writes a mapping item as `- key: ...`
                    self.unsure = True
                result.append(value)
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
                    if ("\n" in value or write_string(value) != rest) and not _written_as(value, rest):
                        self.unsure = True
                    index += 1
                else:
                    raise NotCanonical
            elif head == "|" or rest == "{}" or rest == "[]":
                value, index = self.inline_value(rest, index, child)
            elif ": " in rest or rest[-1] == ":":
                value, index = self.mapping(index, child, rest)
            elif head not in _NUMBER_START:  # a text the quick turn left: "{" or "[" first
                value = _CONSTANTS.get(rest, rest)
                if value is rest:
                    plain.append(rest)
                index += 1
            else:
                value = _plain(rest)
                if value is rest:
                    plain.append(rest)
                elif value is not None and value is not True and value is not False and not _written_as(value, rest):
                    self.unsure = True
                index += 1
            result.append(value)
        return result, index


# Key tuples of mappings whose keys are all plain -> whether that is their canonical order
# and spelling. Mappings of one kind share their keys, so this is worked out once per kind.
_PLAIN_KEYS_IN_ORDER: dict = {}


def _keys_as_written(keys: tuple, quoted: dict) -> bool:
    """Whether a mapping's keys, as the text wrote them (plain, or `quoted[key]`), are in the
    order and spelling `dumps` writes them."""
    written = "".join(quoted.get(key, key) + ": null\n" for key in keys)
    return dumps(dict.fromkeys(keys)) == written


# Every spelling str.lower() folds to a word YAML reads as another type (write_string quotes
# them): only ASCII letters fold to these words' letters, so their upper/lower mixes are all.
_RESERVED_SPELLINGS = frozenset(
    "".join(spelling) for word in RESERVED_PLAIN for spelling in product(*({c, c.upper()} for c in word))
)


def _all_plain(texts: list[str]) -> bool:
    """Whether `write_string` writes each text as itself (see it), for non-empty texts read
    from one line each: its tests made on them all at once, in C, instead of a call per text
    (a push reads ~200,000 of them). Joined, a ': ' or ' #' across two texts only makes
    this say False more often (then fast_loads re-emits to decide)."""
    joined = "".join(texts)
    try:
        return (
            joined.isprintable()
            and ": " not in joined
            and " #" not in joined
            and NOT_PLAIN_FIRST.isdisjoint(map(itemgetter(0), texts))
            and NOT_PLAIN_LAST.isdisjoint(map(itemgetter(-1), texts))
            and _RESERVED_SPELLINGS.isdisjoint(texts)
        )
    except IndexError:  # an empty text (the reader takes none as plain)
        return False


def _written_as(value, text: str) -> bool:
    """Whether `dumps` writes the scalar `value` as `text` (a value in a mapping or a list)."""
    if type(value) is str and "\n" not in value:
        return write_string(value) == text
    if type(value) is int:
        return str(value) == text
    return dumps([value]) == "- " + text + "\n"


_CONSTANTS = {"null": None, "true": True, "false": False}
_NUMBER_START = frozenset("-.0123456789")
# First characters the mapping loop leaves to inline_value: numbers, blocks, {} and [].
_NOT_SIMPLE_PLAIN = _NUMBER_START | frozenset("|{[")
# First characters (or none) of a list item that the item loop's quick turn leaves to the
# cases after it: quoted texts, blocks, {} and [], numbers, a space too many.
_NOT_PLAIN_ITEM = _NOT_SIMPLE_PLAIN | frozenset(('"', " ", ""))


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
