"""Writing the one YAML style assistantgit writes; read.py reads it back.

Why not ruamel.yaml's emitter: on a 10 MB skill it takes seconds, and pull runs on
every sync. The style here is a strict subset of YAML 1.2 (block mappings and
sequences, plain or JSON-style double-quoted scalars, literal block scalars for
multi-line text), so it is written with a few string operations. Tests check that
ruamel.yaml reads every emitted text to the same data.
"""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring

# Keys that read best first, in this order; every other key follows alphabetically.
KEY_PRIORITY = {
    key: rank
    for rank, key in enumerate(
        (
            "format",
            "format_version",
            "title",
            "name",
            "intent",
            "entity",
            "value",
            "text",
            "dialog_node",
            "action",
            "step",
            "variable",
            "collection",
            "data_type",
            "type",
            "response_type",
            "description",
            "language",
            "parent",
            "previous_sibling",
            "condition",
            "conditions",
            "fuzzy_match",
            "examples",
            "synonyms",
            "patterns",
            "values",
        )
    )
}

RESERVED_PLAIN = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "="}
# A plain scalar must not start with an indicator, a digit or sign (numbers, dates),
# must not hold ": " or " #", must not end with ":" or white space.
NEEDS_QUOTES = re.compile(r"""^[\s\-?:,\[\]{}#&*!|>'"%@`0-9+.]|: |:$| #|\s$""")
NOT_PLAIN_FIRST = frozenset(" \t-?:,[]{}#&*!|>'\"%@`0123456789+.")
NOT_PLAIN_LAST = frozenset(" \t:")
# Characters escaped inside double quotes beyond what JSON escapes: YAML non-printables
# and the Unicode line/paragraph separators, BOM and NEL that some readers fold.
_EXTRA_ESCAPES = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _rank(key) -> tuple:
    return (KEY_PRIORITY.get(key, 1000), key)


# Mappings of one kind (every example, every dialog node...) share their key set, so the
# order and the written keys are worked out once per key tuple, not once per mapping.
_KEY_ORDERS: dict = {}


# Every key written since start-up with its written form ('key:'), so that a caller can ask
# about all the keys of a whole render at once (secrets.py: is any a credential's, and which
# files hold it?) without walking the data again; None once there are too many to keep.
_KEYS_WRITTEN: dict | None = {}
_MAX_KEYS_KEPT = 65536


def _ordered_keys(mapping: dict) -> list:
    """[(key, 'key:'), ...] in the canonical order."""
    keys = tuple(mapping)
    order = _KEY_ORDERS.get(keys)
    if order is None:
        order = [(key, write_string(key) + ":") for key in sorted(keys, key=_rank)]
        if len(_KEY_ORDERS) > 4096:
            _KEY_ORDERS.clear()
        _KEY_ORDERS[keys] = order
        _note_keys(order)
    return order


def _note_keys(order: list) -> None:
    global _KEYS_WRITTEN
    if _KEYS_WRITTEN is not None:
        _KEYS_WRITTEN.update(order)
        if len(_KEYS_WRITTEN) > _MAX_KEYS_KEPT:
            _KEYS_WRITTEN = None


def keys_written() -> dict[str, str] | None:
    """{key: its written form, 'key:'} for every mapping key `dumps` has written in this
    process (so a superset of any one render's keys), or None when there were too many to
    keep: then nothing can be said."""
    return None if _KEYS_WRITTEN is None else dict(_KEYS_WRITTEN)


def _quote(text: str) -> str:
    quoted = encode_basestring(text)  # what json.dumps(text, ensure_ascii=False) returns, without its encoder
    if _EXTRA_ESCAPES.search(quoted):
        quoted = _EXTRA_ESCAPES.sub(lambda m: "\\u%04x" % ord(m.group()), quoted)
    return quoted


def write_string(text: str) -> str:
    """A text as a scalar: plain when YAML reads it back as the same text, else double-quoted."""
    # The NEEDS_QUOTES test with plain string operations, several times faster: printable
    # text holds no line break (so '$' is the end) and no white space but ' '.
    if (
        text
        and text.isprintable()
        and text[0] not in NOT_PLAIN_FIRST
        and text[-1] not in NOT_PLAIN_LAST
        and ": " not in text
        and " #" not in text
        and (len(text) > 5 or text.lower() not in RESERVED_PLAIN)  # the longest reserved word is 5
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


def scalar(value) -> str:
    """A scalar value (text, number, true/false, null) as canonical YAML writes it."""
    if isinstance(value, str):
        return write_string(value)
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


def block_lines(text: str):
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
        if "\n" in value and (block := block_lines(value)):
            _emit_block(head + " ", block, indent, out)
        else:
            out.append(head + " " + write_string(value))
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
    elif isinstance(value, str) and (block := block_lines(value)):
        _emit_block(head + " ", block, indent, out)
    else:
        out.append(head + " " + scalar(value))


def _emit_mapping(mapping: dict, indent: int, out: list, first_prefix: str | None = None) -> None:
    pad = " " * indent
    prefix = pad if first_prefix is None else first_prefix
    child = indent + 2
    for key, key_text in _ordered_keys(mapping):
        value = mapping[key]
        if type(value) is str and "\n" not in value:  # most values: one line of text, as _emit_value writes it
            out.append(prefix + key_text + " " + write_string(value))
        else:
            _emit_value(prefix + key_text, value, child, out)
        prefix = pad


def _inner_plain(texts: list) -> bool:
    """True when no text holds what write_string tests inside a text (a character that is
    not printable, a line break among them, ': ' or ' #'): one C-speed test for a whole
    list of examples or synonyms. Joined, two texts may make ': ' where neither holds it;
    that only sends the list the slow way."""
    joined = "".join(texts)
    return joined.isprintable() and ": " not in joined and " #" not in joined


def _emit_sequence(items: list, indent: int, out: list) -> None:
    pad = " " * indent
    dash = pad + "- "
    child = indent + 2
    texts = [item for item in items if type(item) is str]
    inner_plain = _inner_plain(texts)
    if inner_plain and len(texts) == len(items):  # a list of texts only, in one go: left to test are
        # write_string's tests of a text's ends and of the reserved words
        out.extend(
            [
                dash + item
                if item
                and item[0] not in NOT_PLAIN_FIRST
                and item[-1] not in NOT_PLAIN_LAST
                and (len(item) > 5 or item.lower() not in RESERVED_PLAIN)
                else dash + write_string(item)
                for item in items
            ]
        )
        return
    for item in items:
        if type(item) is str and "\n" not in item:  # most items: one line of text
            if (  # the same test as above, inline: no call for most examples of a list that has mentions
                inner_plain
                and item
                and item[0] not in NOT_PLAIN_FIRST
                and item[-1] not in NOT_PLAIN_LAST
                and (len(item) > 5 or item.lower() not in RESERVED_PLAIN)
            ):
                out.append(dash + item)
            else:
                out.append(dash + write_string(item))
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


def canonical_json(value) -> str:
    """One text per JSON value, whatever its key order: to compare and sort data."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
