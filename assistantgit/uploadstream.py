"""The upload written piece by piece (push --out): the same bytes as exportjson.upload_bytes,
without holding the data and its upload at once.

json.dumps of a whole 100 MB export keeps every chunk of its text in a list, then the joined
text, then its UTF-8: about 5 times the upload at once, on top of the data. Written a piece at
a time (runs of a few KB of the items of the export's arrays), with each piece dropped from
the data once written, the upload costs its own size, and the data shrinks while it grows.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .exportjson import as_ascii_json, upload_piece

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
                piece, odd = upload_piece(value, self.what)
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
    if type(value) is Unconverted:
        value = value.converted()
    if not _walked(value, depth):
        return _write_leaf(value, streamed, what, keep)
    write = streamed.out.write
    if type(value) is list:
        write(b"[")
        _write_items(value, depth + 1, streamed, what, keep)
        write(b"]")
        return False
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


def _walked(value, depth: int) -> bool:
    """Whether _write walks `value` (converted already) rather than writing it whole: the
    envelope and workspace objects, and the arrays of items in either."""
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
    piece, surrogates = upload_piece(run, what)
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
    piece, surrogates = upload_piece(value, what)
    streamed.surrogates = streamed.surrogates or surrogates
    streamed.out.write(piece)
    return piece
