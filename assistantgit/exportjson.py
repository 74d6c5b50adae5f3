"""Reading downloaded JSON exports and writing upload-ready JSON.

The vendor's upload page wants one line of UTF-8 without a BOM, with no raw tab,
newline or carriage return, and at most 10 MB; downloads may carry a BOM, tabs for
indentation, and any key order.

An export is untrusted (issue 11): a duplicate key, a nesting deeper than
limits.MAX_DEPTH, an integer of more than MAX_INT_DIGITS digits or a number too large
for a float (1e400) is refused with its line and column, before anything is written.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, LimitError
from .limits import MAX_DEPTH, MAX_INT_DIGITS

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Exports read whole into memory (Watson JSON, published ZIPs, backups) are far below this;
# the cap also bounds a read from a device or a pipe named as an export.
MAX_EXPORT_BYTES = 256 * 1024 * 1024


class _Refused(ValueError):
    """A value the export may not hold; `token` finds its place in the text."""

    def __init__(self, problem: str, token: str | None = None, key: str | None = None):
        super().__init__(problem)
        self.problem = problem
        self.token = token
        self.key = key


def _no_duplicates(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set = set()
        for key, _value in pairs:
            if key in seen:
                raise _Refused(f"duplicate key {json.dumps(key, ensure_ascii=False)} in an object", key=key)
            seen.add(key)
    return result


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"the number {text} is too large for JSON readers (it would become infinity)", token=text)
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(
            f"an integer of {len(text.lstrip('-')):,} digits; at most {MAX_INT_DIGITS:,} are accepted", token=text
        )
    return int(text)


def _not_json(constant: str):
    raise _Refused(f"{constant} is not a JSON number", token=constant)


def loads_checked(text: str, where, duplicates_ok: bool = False, encoded: bytes | None = None):
    """JSON text as data, refusing what an untrusted export may not hold (see the module).
    `encoded`, when the caller has it, is the text's UTF-8 bytes (spares encoding it again)."""
    too_deep = nesting_beyond(text, MAX_DEPTH, encoded)
    if too_deep is not None:
        line, column = too_deep
        raise InputError.at(where, f"nested more than {MAX_DEPTH} levels deep; refusing the export", line, column)
    try:
        return json.loads(
            text,
            parse_constant=_not_json,
            parse_float=_finite,
            parse_int=_bounded_int,
            object_pairs_hook=None if duplicates_ok else _no_duplicates,
        )
    except _Refused as error:
        line, column = _locate(text, error)
        raise InputError.at(where, f"invalid JSON: {error.problem}", line, column) from None
    except json.JSONDecodeError as error:
        raise InputError.at(where, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:  # cannot happen below MAX_DEPTH; kept as the last net
        raise InputError(f"{where}: invalid JSON: nested too deeply") from None


def parse_json_bytes(raw: bytes, path) -> object:
    """Decode an export's bytes (BOM accepted) into data, with a one-line error naming the place."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError.at(
            path,
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "re-download the export or fix its encoding",
            line,
        ) from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return loads_checked(text, path, encoded=raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw)


# -- where a problem is: only on the error path, so plain Python is fast enough ----------------------

# Bytes kept to measure nesting: brackets (both kinds as '[' and ']': in JSON that parses they
# pair up properly, so only the depth matters) and quotes, to cut the strings out.
_OTHER_BYTES = bytes(c for c in range(256) if c not in b'[]{}"')
_AS_SQUARE = bytes.maketrans(b"{}", b"[]")


def nesting_beyond(text: str, limit: int, encoded: bytes | None = None) -> tuple[int, int] | None:
    """(line, column) of the first bracket nested deeper than `limit`, or None.

    Measured with a few C-speed byte operations (a fraction of json.loads' time): escapes
    dropped, everything but brackets and quotes deleted, the strings cut out; then each
    pass removes the innermost pairs, one level per pass. Only a text that is too deep is
    walked in Python, to say where. Two quotes in a row close a string and open the next
    (or open and close an empty one): dropping them changes nothing outside the strings,
    and leaves few quotes to cut at. `encoded` is the text's UTF-8, when the caller has it.
    """
    if text.count("[") + text.count("{") <= limit:
        return None
    data = text.encode("utf-8", "surrogatepass") if encoded is None else encoded
    data = _without_escapes(data)
    kept = data.translate(_AS_SQUARE, _OTHER_BYTES).replace(b'""', b"")
    brackets = b"".join(kept.split(b'"')[::2]) if b'"' in kept else kept
    for _level in range(limit):
        shorter = brackets.replace(b"[]", b"")
        if shorter == brackets or not shorter:
            return None
        brackets = shorter
    return _deep_place(text, limit) if b"[]" in brackets else None


def _without_escapes(data: bytes) -> bytes:
    """`data` without its backslashes and without each quote that one escapes: what is left
    of a JSON text's quotes are those that open and close strings.

    A backslash escapes the character after it, left to right: in a run of them, pairs
    cancel, and an odd run escapes what follows. Replacing the two-byte sequences `\\\\`
    and `\\"` does that, but costs ~40 ms on a 10 MB export whatever the number of escapes
    (a two-byte search is slow); splitting at the backslashes (a one-byte search) and
    walking the pieces costs a few ms when escapes are few, as in exports. A text that is
    mostly escapes takes the replacements, which cost the same whatever their number.
    """
    count = data.count(b"\\")
    if not count:
        return data
    if count > len(data) // 64:
        return _escapes_replaced(data)
    return _escapes_split(data)


def _escapes_replaced(data: bytes) -> bytes:
    """_without_escapes by replacement passes (the definition the split walk must match)."""
    return data.replace(b"\\\\", b"").replace(b'\\"', b"").replace(b"\\", b"")


def _escapes_split(data: bytes) -> bytes:
    """_without_escapes by a walk over the pieces between backslashes."""
    pieces = data.split(b"\\")
    kept = [pieces[0]]
    escaped_next = False  # the backslash before this piece is itself escaped
    for piece in pieces[1:]:
        if escaped_next:
            escaped_next = False
            kept.append(piece)
        elif not piece:  # the backslash before this piece escapes the next backslash
            escaped_next = True
        elif piece[0] == 0x22:  # an escaped quote: not a string's end
            kept.append(piece[1:])
        else:
            kept.append(piece)
    return b"".join(kept)


def _deep_place(text: str, limit: int) -> tuple[int, int]:
    depth, inside, escaped = 0, False, False
    line, line_start = 1, 0
    for index, char in enumerate(text):
        if inside:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside = False
        elif char == '"':
            inside = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line, index - line_start + 1
        elif char in "]}":
            depth -= 1
        if char == "\n":
            line, line_start = line + 1, index + 1
    return 1, 1


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|[A-Za-z]+|[{}\[\],:]')


def _locate(text: str, error: _Refused) -> tuple[int, int]:
    """(line, column) of the token an error names: a number's literal, or the repeated key."""
    scopes: list = []  # per open object: its keys so far; per open array: None
    expect_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "{":
            scopes.append(set())
            expect_key = True
        elif token == "[":
            scopes.append(None)
        elif token in "]}":
            if scopes:
                scopes.pop()
        elif token == ",":
            expect_key = bool(scopes) and scopes[-1] is not None
        elif token == ":":
            expect_key = False
        elif expect_key and token.startswith('"'):
            key = json.loads(token)
            if error.key is not None and key == error.key and key in scopes[-1]:
                return _line_column(text, match.start())
            scopes[-1].add(key)
        elif error.token is not None and error.token in (token, "-" + token):
            return _line_column(text, match.start())
    return 1, 1


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_export_bytes(path) -> bytes:
    """An export file's bytes, with a one-line error for a missing or unreadable file.

    The path is the user's: a link is followed, and `/dev/stdin` works; what is read is
    capped at MAX_EXPORT_BYTES, so a device that never ends (`/dev/zero`) is refused."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_EXPORT_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not an export file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    if len(raw) > MAX_EXPORT_BYTES:
        raise InputError(f"{path}: over {MAX_EXPORT_BYTES // 1048576} MB, more than any export this tool reads whole")
    return raw


def read_json_export(path) -> object:
    return parse_json_bytes(read_export_bytes(path), path)


def upload_bytes(data, what: str = "the export") -> bytes:
    """Serialize for upload: single-line JSON, UTF-8 without BOM, raw control characters escaped
    (a lone surrogate, which UTF-8 cannot carry, makes the whole text \\u escapes)."""
    raw, surrogates = _piece(data, what)
    return within_upload_limit(as_ascii_json(raw) if surrogates else raw, what)


# What json.dumps(..., ensure_ascii=False, separators=(",", ":"), allow_nan=False) makes for
# each call, made once: a push writes 17,000 pieces, and each json.dumps with arguments built
# an encoder (about 3 us a piece). Without the check for reference cycles (a dict of every
# container being written, a sixth of the encoding time): the data comes from parsed text,
# which has none (JSON cannot hold a reference; canonical.slow refuses YAML aliases), and
# from the formats' assembly, which builds trees. A cycle would be a bug, which ends in a
# RecursionError rather than a wrong file.
_UPLOAD_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False)


def _json_text(data, what: str) -> str:
    try:
        return _UPLOAD_JSON.encode(data)
    except ValueError:  # .nan or .inf in a source file: Python would write NaN, which no JSON reader takes
        raise InputError(
            f"{what}: a number is .nan or .inf, which JSON cannot hold; fix the source file that has it"
        ) from None


def within_upload_limit(raw: bytes, what: str) -> bytes:
    """`raw`, or a LimitError when the upload page would refuse its size."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise LimitError(
            f"{what} would be {len(raw) / 1048576:.1f} MB; the upload page accepts at most 10 MB per skill: "
            "send a larger skill over the REST API with 'assistantgit push --env NAME'"
        )
    return raw


# -- the upload written piece by piece --------------------------------------------------------------
# json.dumps of a whole 100 MB export keeps every chunk of its text in a list, then the joined
# text, then its UTF-8: about 5 times the upload at once, on top of the data. Written a piece at
# a time (each item of the export's arrays), with each piece dropped from the data once written,
# the upload costs its own size, and the data shrinks while it grows.

# Containers walked rather than serialized whole, by depth: the export's envelope and its
# workspace (objects), and the arrays of items in either; deeper values are one piece each.
_WALKED_OBJECT_DEPTH = 1
_WALKED_ARRAY_DEPTH = 2


class Unconverted(dict):
    """An item of an export still in its source form, with the conversion (a format's
    from_source) that streamed_upload applies when it writes it: a 100 MB skill's intents
    converted all at once took twice their memory. Its fields are the source's, so a
    conversion may only touch fields that nothing reads before the item is written."""

    __slots__ = ("convert",)

    def __init__(self, data: dict, convert: Callable[[dict], Any]):
        super().__init__(data)
        self.convert = convert

    def converted(self):
        return self.convert(dict(self))


@dataclass
class Streamed:
    """An upload written piece by piece (streamed_upload). Its text is kept as UTF-8, a
    lone surrogate as 'surrogatepass' bytes until `final` turns the whole text into \\u
    escapes, as upload_bytes does; `kept` lists (start, end, value) of the pieces the
    caller chose to keep, which stay in the data."""

    out: io.BytesIO = field(default_factory=io.BytesIO)
    kept: list = field(default_factory=list)
    surrogates: bool = False
    what: str = "the export"

    def final(self, replaced: list | None = None) -> bytes:
        """The upload's bytes; with `replaced` (one value per kept piece), each kept piece
        is replaced by that value, serialized as upload_bytes would."""
        raw = self.out.getvalue()  # the buffer itself, not a copy, while nothing else holds it
        self.out = io.BytesIO()
        surrogates = self.surrogates
        if replaced is not None:
            parts, last = [], 0
            for (start, end, _value), value in zip(self.kept, replaced):
                piece, odd = _piece(value, self.what)
                surrogates = surrogates or odd
                parts += [raw[last:start], piece]
                last = end
            parts.append(raw[last:])
            raw = b"".join(parts)
        return as_ascii_json(raw) if surrogates else raw


def streamed_upload(data, what: str, keep: Callable[[bytes], bool]) -> Streamed:
    """Serialize `data` as upload_bytes does (the same bytes, without its size limit),
    emptying it as it goes: every piece written is replaced by None in its container,
    but for the pieces `keep(their bytes)` chooses to keep (Streamed.kept). `keep` is asked
    about runs of items first: it must hold for a text that has a piece it holds for."""
    streamed = Streamed(what=what)
    _write(data, 0, streamed, what, keep)
    return streamed


def _write(value, depth: int, streamed: Streamed, what: str, keep) -> bool:
    """Write `value`; True when its container may drop it."""
    write = streamed.out.write
    if type(value) is Unconverted:
        value = value.converted()
    if type(value) is dict and depth <= _WALKED_OBJECT_DEPTH and all(type(k) is str for k in value):
        write(b"{")
        for index, key in enumerate(value):
            if index:
                write(b",")
            _write_piece(key, streamed, what)
            write(b":")
            if _write(value[key], depth + 1, streamed, what, keep):
                value[key] = None
        write(b"}")
        return False
    if type(value) is list and depth <= _WALKED_ARRAY_DEPTH:
        write(b"[")
        _write_items(value, depth + 1, streamed, what, keep)
        write(b"]")
        return False
    return _write_leaf(value, streamed, what, keep)


def _walked(value, depth: int) -> bool:
    """Whether _write walks `value` (an item converted already) rather than writing it whole."""
    if type(value) is list:
        return depth <= _WALKED_ARRAY_DEPTH
    return type(value) is dict and depth <= _WALKED_OBJECT_DEPTH and all(type(k) is str for k in value)


# The items of a walked array that are written whole go in runs, one encode call a run: a
# JSON array's text is its items' texts joined by ",", so a run's text without its brackets
# is what writing its items one by one writes. One call per item was a third of the time a
# push of 17,000 small items spent writing (call overhead, checks, the UTF-8 of each).
# A run is a few KB, so the data still shrinks as the upload grows: its length adapts to
# the items' size (one item when they are larger than _RUN_BYTES).
_RUN_BYTES = 16 * 1024
_RUN_ITEMS = 64


def _write_items(items: list, depth: int, streamed: Streamed, what: str, keep) -> None:
    """Write a walked array's items (`depth` is theirs), each dropped once written. A run is
    a slice of `items`, looked at through its set of types: an item in source form is
    converted, an item walked in its own right (rare) ends the run before it."""
    walked_types: set[type] = {list} if depth <= _WALKED_ARRAY_DEPTH else set()
    if depth <= _WALKED_OBJECT_DEPTH:
        walked_types.add(dict)
    index, count, limit = 0, len(items), 8
    while index < count:
        run = items[index : index + limit]
        kinds = set(map(type, run))
        if Unconverted in kinds:
            run = [item.converted() if type(item) is Unconverted else item for item in run]
            kinds = set(map(type, run))
        cut = None if kinds.isdisjoint(walked_types) else _first_walked(run, depth)
        if cut == 0:
            if index:
                streamed.out.write(b",")
            if _write(run[0], depth, streamed, what, keep):
                items[index] = None
            index += 1
            continue
        if cut is not None:
            run = run[:cut]
        limit = _write_run(items, run, index, streamed, what, keep)
        index += len(run)


def _first_walked(run: list, depth: int) -> int | None:
    return next((number for number, item in enumerate(run) if _walked(item, depth)), None)


def _write_run(items: list, run: list, first: int, streamed: Streamed, what: str, keep) -> int:
    """Write `run` (the items of `items` from index `first`, converted) and drop them; returns
    the length of the next run. A run that `keep` may want is written again item by item,
    so that Streamed.kept holds the very items it keeps."""
    out = streamed.out
    if first:
        out.write(b",")
    piece, surrogates = _piece(run, what)
    if keep(piece):
        for index, item in enumerate(run, first):
            if index > first:
                out.write(b",")
            if _write_leaf(item, streamed, what, keep):
                items[index] = None
        return 1
    streamed.surrogates = streamed.surrogates or surrogates
    out.write(memoryview(piece)[1:-1])
    items[first : first + len(run)] = [None] * len(run)
    return max(1, min(_RUN_ITEMS, len(run) * _RUN_BYTES // len(piece)))


def _write_leaf(value, streamed: Streamed, what: str, keep) -> bool:
    """Write `value` whole; True when its container may drop it (`keep` did not keep it)."""
    start = streamed.out.tell()
    piece = _write_piece(value, streamed, what)
    if keep(piece):
        streamed.kept.append((start, streamed.out.tell(), value))
        return False
    return True


def _write_piece(value, streamed: Streamed, what: str) -> bytes:
    piece, surrogates = _piece(value, what)
    streamed.surrogates = streamed.surrogates or surrogates
    streamed.out.write(piece)
    return piece


def _piece(value, what: str) -> tuple[bytes, bool]:
    """A value's JSON as upload_bytes writes it, and whether it holds a lone surrogate."""
    text = _json_text(value, what)
    try:
        return text.encode("utf-8"), False
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass"), True


_NOT_ASCII = re.compile("[^\x00-\x7e]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def as_ascii_json(raw: bytes) -> bytes:
    """JSON text written with ensure_ascii=False (lone surrogates as 'surrogatepass') as
    ensure_ascii=True writes it: outside strings a JSON text is ASCII, and inside them
    every character past '~' becomes its \\u escape (a surrogate pair past U+FFFF)."""
    return _NOT_ASCII.sub(_escaped, raw.decode("utf-8", "surrogatepass")).encode("ascii")
