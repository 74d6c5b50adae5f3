"""Reading downloaded JSON exports and writing upload-ready JSON.

The vendor's upload page wants one line of UTF-8 without a BOM, with no raw tab,
newline or carriage return, and at most 10 MB; downloads may carry a BOM, tabs for
indentation, and any key order.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import InputError, LimitError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


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
    try:
        return json.loads(text, parse_constant=_not_json)
    except _NotJson as error:
        raise InputError(f"{path}: invalid JSON: {error} is not a JSON number; fix the export") from None
    except json.JSONDecodeError as error:
        raise InputError.at(path, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise InputError(f"{path}: invalid JSON: nested too deeply") from None


class _NotJson(ValueError):
    pass


def _not_json(constant: str):
    raise _NotJson(constant)


def read_export_bytes(path) -> bytes:
    """An export file's bytes, with a one-line error for a missing or unreadable file."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not an export file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None


def read_json_export(path) -> object:
    return parse_json_bytes(read_export_bytes(path), path)


def upload_bytes(data, what: str = "the export") -> bytes:
    """Serialize for upload: single-line JSON, UTF-8 without BOM, raw control characters escaped."""
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # .nan or .inf in a source file: Python would write NaN, which no JSON reader takes
        raise InputError(
            f"{what}: a number is .nan or .inf, which JSON cannot hold; fix the source file that has it"
        ) from None
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: only \u escapes can carry it
        raw = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise LimitError(
            f"{what} would be {len(raw) / 1048576:.1f} MB; the upload page accepts at most 10 MB per skill: "
            "send a larger skill over the REST API with 'assistantgit push --env NAME'"
        )
    return raw
