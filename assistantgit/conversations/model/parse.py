"""Reading a conversation file's data into Conversations, Turns and Expectations (the format
is described in model.py and docs/testing.md). Bad content never raises: each problem is
collected with its key path and rule id (AG952 shape, AG953 value, AG954 duplicate name).
"""

from __future__ import annotations

import re

from . import (
    CONVERSATION_KEYS,
    DUPLICATE,
    FILE_KEYS,
    MAX_INPUT,
    RESPONSE_KEYS,
    SHAPE,
    TURN_KEYS,
    VALUE,
    Conversation,
    Expectation,
    Problem,
    SuiteFile,
    Turn,
)


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
            problems.append(
                Problem(
                    where + ("name",),
                    f"conversation '{conversation.name}' is defined twice in this "
                    f"file (also item {names[conversation.name] + 1}); names identify results",
                    DUPLICATE,
                )
            )
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
        problems.append(
            Problem(where + ("name",), f"conversation '{name}' needs turns: (a list of input/response)", SHAPE)
        )
        return None
    before = len(problems)
    context = {**shared, **_context(item, where, problems)}
    parsed = [_turn(turn, where + ("turns", n), n + 1, problems) for n, turn in enumerate(turns)]
    if len(problems) > before or None in parsed:
        return None
    return Conversation(name, context, parsed, where, suite)


def _turn(item, where: tuple, number: int, problems: list):
    if not isinstance(item, dict):
        problems.append(
            Problem(where, "a turn is a mapping: input: what the user says, response: what to expect", SHAPE)
        )
        return None
    _unknown(item, TURN_KEYS, where, problems)
    text = item.get("input")
    if not isinstance(text, str):
        message = (
            'a turn needs input: (text; "" for the opening message)'
            if text is None
            else f"input must be text (quote it), not {type(text).__name__}"
        )
        problems.append(Problem(where + ("input",) if "input" in item else where, message, SHAPE))
        return None
    if re.search(r"[\r\n\t]", text):
        problems.append(
            Problem(
                where + ("input",),
                "input must not hold a line break or tab (the service refuses them in message input)",
                VALUE,
            )
        )
    elif len(text) > MAX_INPUT:
        problems.append(
            Problem(
                where + ("input",), f"input is {len(text)} characters; the service takes at most {MAX_INPUT}", VALUE
            )
        )
    response = item.get("response", {})
    if response is None:
        response = {}
    if not isinstance(response, dict):
        problems.append(
            Problem(where + ("response",), "response must be a mapping of expectations (intent, text...)", SHAPE)
        )
        return None
    _unknown(response, RESPONSE_KEYS, where + ("response",), problems)
    expectations = []
    for key in sorted(k for k in response if k in RESPONSE_KEYS):
        value = _expectation(key, response[key], where + ("response", key), problems)
        if value is not None:
            expectations.append(Expectation(key, value, where + ("response", key)))
    if "intent" in response and response.get("no_intent"):
        problems.append(
            Problem(where + ("response", "no_intent"), "expect either intent: or no_intent:, not both", VALUE)
        )
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
