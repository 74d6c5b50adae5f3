"""The conversation test file: what it may hold, read into plain objects with the place
(key path) of everything, so a failure or a finding names its file and line.

    conversations:                        # conversations/orders.yaml, in the source tree
      - name: Where is my parcel
        context:                          # optional: context variables to start with
          customer_tier: gold
        turns:
          - input: where is my parcel
            response:
              intent: order_status
              node: node_order_status
              text_contains: order number

Parsing (parse.py) never raises for bad content: it collects Problems (key path, message, rule id),
which validate reports as AG95x findings and `assistantgit test` refuses with exit 2.
Nothing here talks to a service (validate imports it on every commit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

FOLDER = "conversations"  # inside a source tree, next to its root file (skill.yaml...)
MAX_INPUT = 2048  # v1 MessageInput.text: at most 2048 characters
FILE_KEYS = ("context", "conversations", "description")
CONVERSATION_KEYS = ("context", "description", "name", "turns")
TURN_KEYS = ("input", "response")
TEXT_KEYS = ("text", "text_contains", "text_matches", "text_one_of")
RESPONSE_KEYS = ("action", "confidence", "context", "entities", "intent", "no_intent", "node", "options") + TEXT_KEYS

SHAPE, VALUE, DUPLICATE = "AG952", "AG953", "AG954"


@dataclass(frozen=True)
class Problem:
    path: tuple  # key path in the file's data
    message: str
    rule: str


@dataclass
class Expectation:
    """One assertion of a turn: `key` is a RESPONSE_KEYS name, `value` its normalised value."""

    key: str
    value: object
    path: tuple


@dataclass
class Turn:
    number: int  # 1-based, for messages
    input: str
    expectations: list
    path: tuple


@dataclass
class Conversation:
    name: str
    context: dict
    turns: list
    path: tuple
    file: SuiteFile = field(repr=False)

    @property
    def line(self) -> int:
        return self.file.conversation_line(self.path[1])


@dataclass(eq=False)
class SuiteFile:
    path: str  # as shown to the user
    text: str | None
    data: object = None
    canonical: bool = False
    error: tuple | None = None  # (line, column, message): not UTF-8 or not YAML
    conversations: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def locate(self, key_path: tuple) -> tuple[int, int]:
        """(line, column) of a key path; only computed for what is reported."""
        from ...canonical import locate_canonical, locate_node

        if self.text is None or not key_path:
            return (1, 1)
        if self.canonical:
            return locate_canonical(self._lines, tuple(key_path))
        return locate_node(self._document, tuple(key_path))

    def conversation_line(self, index: int) -> int:
        """The line of the index-th conversation; reports ask for all of them, so they are found in one pass."""
        if self.canonical and index < len(self._item_lines):
            return self._item_lines[index]
        return self.locate(("conversations", index))[0]

    @cached_property
    def _lines(self):
        from ...canonical import Lines

        return Lines(self.text or "")

    @cached_property
    def _document(self):
        from ...canonical import roundtrip_document

        return roundtrip_document(self.text or "")

    @cached_property
    def _item_lines(self) -> list:
        """Lines of the items of the top-level conversations: list, in canonical text (`  - ` at indent 2)."""
        lines, inside = [], False
        for number, line in enumerate((self.text or "").split("\n"), 1):
            if line.startswith("conversations:"):
                inside = True
            elif line and not line.startswith(" "):
                inside = False
            elif inside and (line.startswith("  - ") or line == "  -"):
                lines.append(number)
        return lines

    def where(self, key_path: tuple) -> str:
        return f"{self.path}:{self.locate(key_path)[0]}"


def read_suite(path: Path, shown: str | None = None) -> SuiteFile:
    """Read and parse one conversation file; problems are collected, never raised."""
    from ... import canonical
    from ...errors import InputError
    from ...tree import read_text

    shown = shown or str(path)
    try:
        text = read_text(Path(path))
    except InputError as problem:
        line = re.search(r":(\d+): ", problem.message)
        return SuiteFile(shown, None, error=(int(line.group(1)) if line else 1, 1, problem.message.split(": ", 1)[-1]))
    suite = SuiteFile(shown, text)
    try:
        suite.data, suite.canonical = canonical.fast_loads(text), True
    except (canonical.NotCanonical, TypeError):
        try:
            suite.data = canonical.slow_loads(text, shown)
        except InputError as problem:
            where = re.search(r":(\d+):(\d+): YAML error: (.*)$", problem.message)
            suite.error = (
                (int(where.group(1)), int(where.group(2)), where.group(3))
                if where
                else (1, 1, problem.message.split(": ", 1)[-1])
            )
            return suite
    from .parse import parse

    parse(suite)
    return suite


def suite_files(root: Path) -> list[Path]:
    """The conversation files of a source tree: conversations/**/*.yaml; hidden names and links are skipped
    (a tree is untrusted input: nothing is read through a link)."""
    import os

    folder = Path(root) / FOLDER
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for current, dirs, names in os.walk(folder):  # os.walk does not descend into linked folders
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(current) / name
            if name.endswith(".yaml") and not name.startswith(".") and not path.is_symlink():
                found.append(path)
    return sorted(found)


def selected_suite_files(root: Path, paths: list) -> list[str]:
    """Paths (from `root`, with '/') of the tree's conversation files that `paths` name or hold; all without paths."""
    every = [p.relative_to(root).as_posix() for p in suite_files(root)]
    if not paths:
        return every
    base, chosen = Path(root).resolve(), []
    for given in paths:
        absolute = Path(given).resolve()
        try:
            rel = absolute.relative_to(base).as_posix()
        except ValueError:
            continue
        if absolute.is_dir():
            chosen += [r for r in every if rel == "." or r.startswith(rel + "/")]
        elif rel in every:
            chosen.append(rel)
    return sorted(set(chosen))
