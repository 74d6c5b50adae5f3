"""What a turn expects, checked against the assistant's Reply.

Each check returns None when the expectation holds, else (expected, actual) as a person
reads them: `#order_status (confidence >= 0.5)` against `#cancel_order (0.62)`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .replies import Reply


def _intent(reply: Reply) -> str:
    top = reply.top_intent
    return f"#{top[0]} ({top[1]:.2f})" if top else "no intent"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _entities(reply: Reply) -> str:
    return ", ".join(f"@{name}:{value}" for name, value in reply.entities) or "no entity"


def _names(ids: list, reply: Reply) -> str:
    shown = [f"{i} ({reply.titles[i]})" if reply.titles.get(i) else i for i in ids]
    return ", ".join(shown) or "none"


def check_intent(wanted: str, reply: Reply):
    top = reply.top_intent
    return None if top and top[0] == wanted else (f"#{wanted}", _intent(reply))


def check_confidence(minimum: float, reply: Reply):
    top = reply.top_intent
    return None if top and top[1] >= minimum else (f"top intent confidence >= {minimum:g}", _intent(reply))


def check_no_intent(_, reply: Reply):
    return None if not reply.intents else ("no intent", _intent(reply))


def check_entities(wanted: list, reply: Reply):
    missing = [
        (name, value)
        for name, value in wanted
        if not any(n == name and (value is None or v == value) for n, v in reply.entities)
    ]
    if not missing:
        return None
    return (", ".join(f"@{n}:{v}" if v is not None else f"@{n}" for n, v in wanted), _entities(reply))


def check_text(wanted: str, reply: Reply):
    return None if reply.text == wanted else (_quoted(wanted), _quoted(reply.text))


def check_text_contains(wanted: str, reply: Reply):
    return None if wanted in reply.text else (f"a text containing {_quoted(wanted)}", _quoted(reply.text))


def check_text_matches(pattern: str, reply: Reply):
    return None if re.search(pattern, reply.text) else (f"a text matching /{pattern}/", _quoted(reply.text))


def check_text_one_of(choices: list, reply: Reply):
    if reply.text in choices:
        return None
    return ("one of " + ", ".join(_quoted(c) for c in choices), _quoted(reply.text))


def check_options(wanted: list, reply: Reply):
    if reply.options == wanted:
        return None
    return (
        ", ".join(_quoted(o) for o in wanted) or "no options",
        ", ".join(_quoted(o) for o in reply.options) or "no options",
    )


def check_node(wanted: str, reply: Reply):
    if wanted in reply.nodes or wanted in (reply.titles.get(n) for n in reply.nodes):
        return None
    return (f"dialog node {wanted} to run", f"ran {_names(reply.nodes, reply)}")


def check_action(wanted: str, reply: Reply):
    if wanted in reply.actions or wanted in (reply.titles.get(a) for a in reply.actions):
        return None
    return (f"action {wanted} to run", f"ran {_names(reply.actions, reply)}")


def check_context(wanted: dict, reply: Reply):
    wrong = {k: v for k, v in wanted.items() if reply.variables.get(k) != v}
    if not wrong:
        return None

    def show(mapping: dict) -> str:
        return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in mapping.items())

    return (show(wrong), show({k: reply.variables.get(k) for k in wrong}))


CHECKS: dict[str, Callable[[Any, Reply], tuple[str, str] | None]] = {
    "intent": check_intent,
    "confidence": check_confidence,
    "no_intent": check_no_intent,
    "entities": check_entities,
    "text": check_text,
    "text_contains": check_text_contains,
    "text_matches": check_text_matches,
    "text_one_of": check_text_one_of,
    "options": check_options,
    "node": check_node,
    "action": check_action,
    "context": check_context,
}


def check(expectation, reply: Reply):
    """(expected, actual) when the expectation fails, else None."""
    return CHECKS[expectation.key](expectation.value, reply)
