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

Parsing never raises for bad content: it collects Problems (key path, message, rule id),
which validate reports as AG9xx findings and `assistantgit test` refuses with exit 2.
Nothing here talks to a service (validate imports it on every commit).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

FOLDER = "conversations"       # inside a source tree, next to its root file (skill.yaml...)
MAX_INPUT = 2048               # v1 MessageInput.text: at most 2048 characters
FILE_KEYS = ("context", "conversations", "description")
CONVERSATION_KEYS = ("context", "description", "name", "turns")
TURN_KEYS = ("input", "response")
TEXT_KEYS = ("text", "text_contains", "text_matches", "text_one_of")
RESPONSE_KEYS = ("action", "confidence", "context", "entities", "intent", "no_intent", "node", "options") + TEXT_KEYS

SHAPE, VALUE, DUPLICATE = "AG902", "AG903", "AG904"


@dataclass(frozen=True)
class Problem:
    path: tuple        # key path in the file's data
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
    number: int        # 1-based, for messages
    input: str
    expectations: list
    path: tuple


@dataclass
class Conversation:
    name: str
    context: dict
    turns: list
    path: tuple
    file: "SuiteFile" = field(repr=False)

    @property
    def line(self) -> int:
        return self.file.conversation_line(self.path[1])


@dataclass(eq=False)
class SuiteFile:
    path: str                      # as shown to the user
    text: str | None
    data: object = None
    canonical: bool = False
    error: tuple | None = None     # (line, column, message): not UTF-8 or not YAML
    conversations: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def locate(self, key_path: tuple) -> tuple[int, int]:
        """(line, column) of a key path; only computed for what is reported."""
        from ..validate._locate import locate_canonical, locate_node

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
        from ..validate._locate import Lines

        return Lines(self.text)

    @cached_property
    def _document(self):
        from ..validate._locate import roundtrip_document

        return roundtrip_document(self.text)

    @cached_property
    def _item_lines(self) -> list:
        """Lines of the items of the top-level conversations: list, in canonical text (`  - ` at indent 2)."""
        lines, inside = [], False
        for number, line in enumerate(self.text.split("\n"), 1):
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
    from .. import canonical_yaml
    from ..errors import InputError
    from ..treeio import read_text

    shown = shown or str(path)
    try:
        text = read_text(Path(path))
    except InputError as problem:
        line = re.search(r":(\d+): ", problem.message)
        return SuiteFile(shown, None, error=(int(line.group(1)) if line else 1, 1, problem.message.split(": ", 1)[-1]))
    suite = SuiteFile(shown, text)
    try:
        suite.data, suite.canonical = canonical_yaml._fast_loads(text), True
    except (canonical_yaml._NotCanonical, TypeError):
        try:
            suite.data = canonical_yaml.slow_loads(text, shown)
        except InputError as problem:
            where = re.search(r":(\d+):(\d+): YAML error: (.*)$", problem.message)
            suite.error = (int(where.group(1)), int(where.group(2)), where.group(3)) if where else \
                (1, 1, problem.message.split(": ", 1)[-1])
            return suite
    parse(suite)
    return suite


def parse(suite: SuiteFile) -> None:
    """Fill `suite.conversations` and `suite.problems` from `suite.data`."""
    data, problems = suite.data, suite.problems
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        problems.append(Problem((), "a conversation file holds a mapping with a list under conversations:", SHAPE))
        return
    _unknown(data, FILE_KEYS, (), problems)
    shared = _context(data, (), problems)
    names: dict = {}
    for index, item in enumerate(data["conversations"]):
        where = ("conversations", index)
        conversation = _conversation(item, where, shared, suite, problems)
        if conversation is None:
            continue
        if conversation.name in names:
            problems.append(Problem(where + ("name",), f"conversation '{conversation.name}' is defined twice in this "
                                    f"file (also item {names[conversation.name] + 1}); names identify results", DUPLICATE))
            continue
        names[conversation.name] = index
        suite.conversations.append(conversation)
    if not data["conversations"]:
        problems.append(Problem(("conversations",), "conversations: is empty", SHAPE))


def _conversation(item, where: tuple, shared: dict, suite: SuiteFile, problems: list):
    if not isinstance(item, dict):
        problems.append(Problem(where, "a conversation is a mapping (name, turns, optional context)", SHAPE))
        return None
    _unknown(item, CONVERSATION_KEYS, where, problems)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem(where, "a conversation needs a name: (text)", SHAPE))
        return None
    turns = item.get("turns")
    if not isinstance(turns, list) or not turns:
        problems.append(Problem(where + ("name",), f"conversation '{name}' needs turns: (a list of input/response)", SHAPE))
        return None
    before = len(problems)
    context = {**shared, **_context(item, where, problems)}
    parsed = [_turn(turn, where + ("turns", n), n + 1, problems) for n, turn in enumerate(turns)]
    if len(problems) > before or None in parsed:
        return None
    return Conversation(name, context, parsed, where, suite)


def _turn(item, where: tuple, number: int, problems: list):
    if not isinstance(item, dict):
        problems.append(Problem(where, "a turn is a mapping: input: what the user says, response: what to expect", SHAPE))
        return None
    _unknown(item, TURN_KEYS, where, problems)
    text = item.get("input")
    if not isinstance(text, str):
        message = "a turn needs input: (text; \"\" for the opening message)" if text is None else \
            f"input must be text (quote it), not {type(text).__name__}"
        problems.append(Problem(where + ("input",) if "input" in item else where, message, SHAPE))
        return None
    if re.search(r"[\r\n\t]", text):
        problems.append(Problem(where + ("input",), "input must not hold a line break or tab (the service refuses "
                                "them in message input)", VALUE))
    elif len(text) > MAX_INPUT:
        problems.append(Problem(where + ("input",), f"input is {len(text)} characters; the service takes at most "
                                f"{MAX_INPUT}", VALUE))
    response = item.get("response", {})
    if response is None:
        response = {}
    if not isinstance(response, dict):
        problems.append(Problem(where + ("response",), "response must be a mapping of expectations (intent, text...)",
                                SHAPE))
        return None
    _unknown(response, RESPONSE_KEYS, where + ("response",), problems)
    expectations = []
    for key in sorted(k for k in response if k in RESPONSE_KEYS):
        value = _expectation(key, response[key], where + ("response", key), problems)
        if value is not None:
            expectations.append(Expectation(key, value, where + ("response", key)))
    if "intent" in response and response.get("no_intent"):
        problems.append(Problem(where + ("response", "no_intent"), "expect either intent: or no_intent:, not both",
                                VALUE))
    return Turn(number, text, expectations, where)


def _expectation(key: str, value, where: tuple, problems: list):
    """The normalised value of one expectation, or None (with a problem) when it is unusable."""
    def bad(message: str, rule: str = SHAPE):
        problems.append(Problem(where, f"{key}: {message}", rule))

    if key in ("intent", "node", "action", "text", "text_contains", "text_matches"):
        if not isinstance(value, str) or (key != "text" and not value.strip()):
            return bad("must be text (quote it)" if not isinstance(value, str) else "must not be empty")
        if key == "intent":
            return value[1:] if value.startswith("#") else value
        if key == "text_matches":
            try:
                re.compile(value)
            except re.error as error:
                return bad(f"not a regular expression ({error})", VALUE)
        return value
    if key == "confidence":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return bad("must be a number from 0 to 1")
        if not 0 <= value <= 1:
            return bad(f"{value} is outside 0 to 1", VALUE)
        return float(value)
    if key == "no_intent":
        if value is not True:
            return bad("write no_intent: true, or leave it out")
        return True
    if key in ("text_one_of", "options", "entities"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return bad("must be a list of texts (quote numbers)")
        if key == "text_one_of" and not value:
            return bad("must list at least one text", VALUE)
        return [_entity(v) for v in value] if key == "entities" else list(value)
    if key == "context":
        if not isinstance(value, dict) or not value:
            return bad("must be a mapping of variable: expected value")
        return dict(value)
    return None


def _entity(text: str) -> tuple:
    """`@name`, `name` or `name:value` -> (name, value or None)."""
    text = text[1:] if text.startswith("@") else text
    name, sep, value = text.partition(":")
    return (name.strip(), value.strip() if sep else None)


def _context(mapping: dict, where: tuple, problems: list) -> dict:
    value = mapping.get("context")
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(where + ("context",), "context must be a mapping of variable: value", SHAPE))
        return {}
    return dict(value)


def _unknown(mapping: dict, allowed: tuple, where: tuple, problems: list) -> None:
    for key in mapping:
        if key not in allowed:
            problems.append(Problem(where + (key,), f"unknown key {key!r} (allowed here: {', '.join(allowed)})", SHAPE))


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
