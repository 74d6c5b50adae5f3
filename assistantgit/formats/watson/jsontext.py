"""An export's JSON text read value by value from its bytes, for the streaming reader
(stream.py): decoded a chunk at a time, each value parsed when the reader comes to it, and
refused (Declined) wherever the whole read would refuse or might read otherwise."""

from __future__ import annotations

import codecs
import json
import re

from ...exportjson import nesting_beyond
from ...limits import MAX_DEPTH, MAX_INT_DIGITS

_CHUNK = 1 << 18  # bytes decoded at a time (a text of up to 1 MB: four bytes a character at most)
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's white space, no more


class Declined(Exception):
    """The streaming reader cannot be sure of this export: read it whole instead."""


def finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise Declined
    return value


def bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise Declined
    return int(text)


def not_a_number(_text: str):
    raise Declined  # NaN, Infinity: not JSON numbers


class Text:
    """The export's text, decoded from its bytes a chunk at a time; `at` is the reading place in `buf`."""

    def __init__(self, raw: bytes, start: int):
        self.raw = memoryview(raw)
        self.next = start  # the first byte not decoded yet
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.buf = ""
        self.at = 0
        self.start = 0  # where the last value read starts in `buf`

    def more(self) -> bool:
        """Decode more bytes onto what is left to read; False at the end. A value longer
        than a chunk doubles what is decoded each time, so retrying it stays linear."""
        if self.next >= len(self.raw):
            return False
        size = max(_CHUNK, len(self.buf) - self.at)
        chunk = self.raw[self.next : self.next + size]
        self.next += len(chunk)
        try:
            text = self.decoder.decode(chunk, final=self.next >= len(self.raw))
        except UnicodeDecodeError:
            raise Declined from None
        self.buf = self.buf[self.at :] + text
        self.at = 0
        return True

    def peek(self) -> str:
        """The next character after white space ("" at the end)."""
        while True:
            self.at = _SPACE.match(self.buf, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.buf):
                return self.buf[self.at]
            if not self.more():
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise Declined
        self.at += 1

    def value(self, decoder: json.JSONDecoder, depth: int):
        """The JSON value at the reading place, inside `depth` brackets. A value that fails
        or ends where the decoded text ends may be cut short: it is read again with more
        text. Its own nesting is measured as the whole read measures the export's (only a
        value with more brackets than the depth left can be too deep)."""
        self.peek()
        while True:
            try:
                value, end = decoder.raw_decode(self.buf, self.at)
            except json.JSONDecodeError:
                if not self.more():
                    raise Declined from None
                continue
            except RecursionError:
                raise Declined from None
            if end < len(self.buf) or not self.more():
                start, limit, buf = self.at, MAX_DEPTH - depth, self.buf
                if buf.count("[", start, end) + buf.count("{", start, end) > limit:
                    if nesting_beyond(buf[start:end], limit) is not None:
                        raise Declined
                self.start, self.at = start, end
                return value
