"""The one YAML style assistantgit writes, and a fast reader for it.

Why not ruamel.yaml for everything: on a 10 MB skill its pure-Python emitter and
constructor take seconds, and pull/push run on every sync. The style here is a
strict subset of YAML 1.2 (block mappings and sequences, plain or JSON-style
double-quoted scalars, literal block scalars for multi-line text), so it can be
written and read with a few string operations.

Safety of the fast reader: a file is accepted by the fast path only when
re-emitting what was read gives back the exact same text. Any file a person edited
into another style (comments, single quotes, flow collections...) falls back to
ruamel.yaml's safe loader, so the fast path can never misread a file; it can only
decline it. Tests check that ruamel.yaml reads every emitted text to the same data.
"""
from __future__ import annotations

import json
import re
from json.decoder import scanstring

from .errors import InputError

# Keys that read best first, in this order; every other key follows alphabetically.
KEY_PRIORITY = {
    key: rank
    for rank, key in enumerate(
        (
            "format", "title", "name", "intent", "entity", "value", "text", "dialog_node", "action",
            "step", "variable", "collection", "data_type", "type", "response_type", "description",
            "language", "parent", "previous_sibling", "condition", "conditions", "fuzzy_match",
            "examples", "synonyms", "patterns", "values",
        )
    )
}

_RESERVED_PLAIN = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "="}
# A plain scalar must not start with an indicator, a digit or sign (numbers, dates),
# must not hold ": " or " #", must not end with ":" or white space.
_NEEDS_QUOTES = re.compile(r"""^[\s\-?:,\[\]{}#&*!|>'"%@`0-9+.]|: |:$| #|\s$""")
_BAD_FIRST = frozenset(" \t-?:,[]{}#&*!|>'\"%@`0123456789+.")
_BAD_LAST = frozenset(" \t:")
# Characters escaped inside double quotes beyond what JSON escapes: YAML non-printables
# and the Unicode line/paragraph separators, BOM and NEL that some readers fold.
_EXTRA_ESCAPES = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+(?:e[-+][0-9]+)?\Z")


def _rank(key) -> tuple:
    return (KEY_PRIORITY.get(key, 1000), key)


# Mappings of one kind (every example, every dialog node...) share their key set, so the
# order and the written keys are worked out once per key tuple, not once per mapping.
_KEY_ORDERS: dict = {}


def _ordered_keys(mapping: dict) -> list:
    """[(key, 'key:'), ...] in the canonical order."""
    keys = tuple(mapping)
    order = _KEY_ORDERS.get(keys)
    if order is None:
        order = [(key, _string(key) + ":") for key in sorted(keys, key=_rank)]
        if len(_KEY_ORDERS) > 4096:
            _KEY_ORDERS.clear()
        _KEY_ORDERS[keys] = order
    return order


def _quote(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    if _EXTRA_ESCAPES.search(quoted):
        quoted = _EXTRA_ESCAPES.sub(lambda m: "\\u%04x" % ord(m.group()), quoted)
    return quoted


def _string(text: str) -> str:
    # The _NEEDS_QUOTES test with plain string operations, several times faster: printable
    # text holds no line break (so '$' is the end) and no white space but ' '.
    if (
        text
        and text.isprintable()
        and text[0] not in _BAD_FIRST
        and text[-1] not in _BAD_LAST
        and ": " not in text
        and " #" not in text
        and (len(text) > 5 or text.lower() not in _RESERVED_PLAIN)  # the longest reserved word is 5
    ):
        return text
    return _quote(text)


def _float(number: float) -> str:
    if number != number:
        return ".nan"
    if number in (float("inf"), float("-inf")):
        return ".inf" if number > 0 else "-.inf"
    text = repr(number)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        if exponent[0] not in "+-":
            exponent = "+" + exponent
        text = f"{mantissa}e{exponent}"
    elif "." not in text:
        text += ".0"
    return text


def _scalar(value) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"cannot write a {type(value).__name__} as YAML")


def _block_lines(text: str):
    """Return (indicator, lines) when text reads best as a literal block scalar, else None."""
    if "\n" not in text or text[0] in " \n":
        return None
    lines = text.split("\n")
    for line in lines:
        if line and (not line.isprintable() or line[-1] == " "):
            return None
    if text.endswith("\n\n"):
        indicator, lines = "|+", lines[:-1]
    elif text.endswith("\n"):
        indicator, lines = "|", lines[:-1]
    else:
        indicator = "|-"
    return indicator, lines


def _emit_block(indicator_prefix: str, block, indent: int, out: list) -> None:
    indicator, lines = block
    out.append(indicator_prefix + indicator)
    pad = " " * indent
    out.extend(pad + line if line else "" for line in lines)


def _emit_value(head: str, value, indent: int, out: list) -> None:
    """Write `value` after `head` ('key:' or '-'); its children go at `indent`."""
    # Exact type tests first: they are the common case and the cheapest check.
    if type(value) is str:
        if "\n" in value and (block := _block_lines(value)):
            _emit_block(head + " ", block, indent, out)
        else:
            out.append(head + " " + _string(value))
    elif isinstance(value, dict):
        if value:
            out.append(head)
            _emit_mapping(value, indent, out)
        else:
            out.append(head + " {}")
    elif isinstance(value, list):
        if value:
            out.append(head)
            _emit_sequence(value, indent, out)
        else:
            out.append(head + " []")
    elif isinstance(value, str) and (block := _block_lines(value)):
        _emit_block(head + " ", block, indent, out)
    else:
        out.append(head + " " + _scalar(value))


def _emit_mapping(mapping: dict, indent: int, out: list, first_prefix: str | None = None) -> None:
    pad = " " * indent
    prefix = pad if first_prefix is None else first_prefix
    child = indent + 2
    for key, key_text in _ordered_keys(mapping):
        _emit_value(prefix + key_text, mapping[key], child, out)
        prefix = pad


def _emit_sequence(items: list, indent: int, out: list) -> None:
    pad = " " * indent
    dash = pad + "- "
    child = indent + 2
    for item in items:
        if type(item) is str and "\n" not in item:  # most items: one line of text
            out.append(dash + _string(item))
        elif isinstance(item, dict) and item:
            _emit_mapping(item, child, out, first_prefix=dash)
        else:
            _emit_value(pad + "-", item, child, out)


def dumps(data) -> str:
    """Return the canonical YAML text of a JSON-like mapping or list."""
    if isinstance(data, dict) and data:
        out: list = []
        _emit_mapping(data, 0, out)
    elif isinstance(data, list) and data:
        out = []
        _emit_sequence(data, 0, out)
    elif isinstance(data, (dict, list)):
        out = ["{}" if isinstance(data, dict) else "[]"]
    else:
        raise TypeError("a source file holds a mapping or a list")
    out.append("")
    return "\n".join(out)


class _NotCanonical(Exception):
    """The text is not in the canonical style; the slow reader takes over."""


class _FastReader:
    """Reads the canonical style line by line; raises _NotCanonical at anything else.

    The loops are written out (no helper call per line) because this runs on every
    line of every file of a push.
    """

    def __init__(self, text: str):
        if not text.endswith("\n"):
            raise _NotCanonical
        self.lines = text[:-1].split("\n")
        self.count = len(self.lines)

    def document(self):
        first = self.lines[0]
        if first in ("{}", "[]") and self.count == 1:
            return {} if first == "{}" else []
        value, index = self.node(0, 0)
        if index != self.count:
            raise _NotCanonical
        return value

    def node(self, index: int, indent: int):
        line = self.lines[index]
        if len(line) - len(line.lstrip(" ")) != indent:
            raise _NotCanonical
        if line.startswith("- ", indent) or len(line) == indent + 1 and line[indent] == "-":
            return self.sequence(index, indent)
        return self.mapping(index, indent)

    def mapping(self, index: int, indent: int, first: str | None = None):
        """A block mapping at `indent`; `first` is its first line's text after a '- '."""
        result = {}
        lines, count = self.lines, self.count
        pad = " " * indent
        while index < count:
            if first is not None:
                rest, first = first, None
                if rest[0] == "-":
                    raise _NotCanonical
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
                    raise _NotCanonical from None
                if rest[end:end + 1] != ":":
                    raise _NotCanonical
                tail = rest[end + 1:]
            else:
                cut = rest.find(": ")
                if cut < 0:
                    if rest[-1] != ":":
                        raise _NotCanonical
                    key, tail = rest[:-1], ""
                else:
                    key, tail = rest[:cut], rest[cut + 1:]
            if key in result:
                raise _NotCanonical
            if not tail:
                if index + 1 >= count:
                    raise _NotCanonical
                result[key], index = self.node(index + 1, indent + 2)
            elif tail[0] != " ":
                raise _NotCanonical
            else:
                result[key], index = self.inline_value(tail[1:], index, indent + 2)
        return result, index

    def inline_value(self, text: str, index: int, child_indent: int):
        if text == "{}":
            return {}, index + 1
        if text == "[]":
            return [], index + 1
        if text[:1] == "|":
            return self.block(text, index, child_indent)
        return _plain_or_quoted(text), index + 1

    def block(self, indicator: str, index: int, indent: int):
        if indicator not in ("|", "|-", "|+"):
            raise _NotCanonical
        pad = " " * indent
        collected = []
        index += 1
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
            return "\n".join(collected) + "\n", index
        while collected and collected[-1] == "":
            collected.pop()
            index -= 1
        if not collected:
            raise _NotCanonical
        text = "\n".join(collected)
        return (text + "\n" if indicator == "|" else text), index

    def sequence(self, index: int, indent: int):
        result = []
        lines, count = self.lines, self.count
        bare = " " * indent + "-"
        child = indent + 2
        while index < count:
            line = lines[index]
            if not line.startswith(bare):
                break
            if len(line) == indent + 1:
                value, index = self.node(index + 1, child)
                result.append(value)
                continue
            rest = line[child:]
            if line[indent + 1] != " " or not rest or rest[0] == " ":
                raise _NotCanonical
            head = rest[0]
            if head == '"':
                try:
                    value, end = scanstring(rest, 1)
                except ValueError:
                    raise _NotCanonical from None
                if rest[end:end + 1] == ":":
                    value, index = self.mapping(index, child, rest)
                elif end == len(rest):
                    index += 1
                else:
                    raise _NotCanonical
            elif head == "|" or rest == "{}" or rest == "[]":
                value, index = self.inline_value(rest, index, child)
            elif ": " in rest or rest[-1] == ":":
                value, index = self.mapping(index, child, rest)
            else:
                value = _plain(rest)
                index += 1
            result.append(value)
        return result, index


def _starts_mapping(rest: str) -> bool:
    if rest[0] == '"':
        try:
            _, end = scanstring(rest, 1)
        except ValueError:
            raise _NotCanonical from None
        return rest[end:end + 1] == ":"
    if rest in ("{}", "[]") or rest[0] == "|":
        return False
    return ": " in rest or rest[-1] == ":"


_CONSTANTS = {"null": None, "true": True, "false": False}
_NUMBER_START = frozenset("-.0123456789")


def _plain(text: str):
    """The value of a plain (unquoted) scalar."""
    if text[0] in _NUMBER_START:
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
        if text in (".nan", ".inf", "-.inf"):
            return float(text.replace(".", ""))
        return text
    return _CONSTANTS.get(text, text)


def _plain_or_quoted(text: str):
    if text[0] == '"':
        try:
            value, end = scanstring(text, 1)
        except ValueError:
            raise _NotCanonical from None
        if end != len(text):
            raise _NotCanonical
        return value
    return _plain(text)


def _fast_loads(text: str):
    """Read canonical text, or raise _NotCanonical."""
    try:
        data = _FastReader(text).document()
    except (IndexError, RecursionError):
        raise _NotCanonical from None
    if dumps(data) != text:
        raise _NotCanonical
    return data


def is_canonical(text: str) -> bool:
    """True when the text is exactly what `dumps` writes for its data."""
    try:
        _fast_loads(text)
    except (_NotCanonical, TypeError):
        return False
    return True


def loads(text: str, path: str = "<string>"):
    """Read a source file: the fast path for canonical text, ruamel.yaml for anything else."""
    try:
        return _fast_loads(text)
    except (_NotCanonical, TypeError):
        return slow_loads(text, path)


def slow_loads(text: str, path: str = "<string>"):
    """Read any YAML with ruamel.yaml's safe loader, as JSON-like data."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=False)
    try:
        data = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        problem = error.problem or error.context or "invalid YAML"
        raise InputError(f"{where}: YAML error: {problem}") from None
    except YAMLError as error:
        raise InputError(f"{path}: YAML error: {str(error).splitlines()[0]}") from None
    return _json_like(data, path)


def _json_like(value, path: str):
    """Turn YAML-only types (dates, sets) back into what a JSON export can hold."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                if isinstance(key, (int, float, bool)) or key is None:
                    key = _scalar(key)
                else:
                    raise InputError(f"{path}: a mapping key must be text, found {type(key).__name__}")
            out[key] = _json_like(item, path)
        return out
    if isinstance(value, list):
        return [_json_like(item, path) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise InputError(f"{path}: a {type(value).__name__} value cannot be part of a skill export")
