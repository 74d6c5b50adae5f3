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
import json
import re
from pathlib import Path

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
    raw, surrogates = upload_piece(data, what)
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


def upload_piece(value, what: str) -> tuple[bytes, bool]:
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
