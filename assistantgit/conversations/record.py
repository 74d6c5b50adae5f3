"""Conversation files proposed from real traffic: the archive `assistantgit logs` wrote
(<out>/<env>/YYYY-MM-DD.jsonl) grouped by conversation (v1 `context.conversation_id`, v2
`session_id`), each logged message a turn whose expectations are what the assistant
answered then: top intent (or no intent), the dialog node that answered last or the
action that ran, the text. A person reviews them (logs hold what users typed) and keeps
what matters. Files are written one per day, never over an existing file without force.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import InputError
from .model import MAX_INPUT
from .replies import from_v1, from_v2
from .sessions import IRRELEVANT_BELOW


@dataclass
class Logged:
    ident: str
    start: datetime  # of its first message
    turns: list = field(default_factory=list)  # (sort key, input, response, is_v2)


def read_archive(folder: Path) -> list[Logged]:
    """Every conversation of an environment's archive folder, oldest first."""
    from ..remote.logs import Archive

    archive = Archive(Path(folder))
    days = archive.day_files()
    if not days:
        raise InputError(f"{folder}: no YYYY-MM-DD.jsonl day files (written by assistantgit logs --out)")
    conversations: dict = {}
    for path in days:
        for key, line in archive.read(path).values():
            record = json.loads(line)
            request = record.get("request") if isinstance(record.get("request"), dict) else {}
            response = record.get("response") if isinstance(record.get("response"), dict) else {}
            ident = _conversation_id(record, request, response)
            text = (request.get("input") or {}).get("text") if isinstance(request.get("input"), dict) else None
            held = conversations.setdefault(ident, Logged(ident, key[0]))
            held.start = min(held.start, key[0])
            held.turns.append((key, text if isinstance(text, str) else "", response, _is_v2(record, response)))
    for held in conversations.values():
        held.turns.sort(key=lambda turn: turn[0])
    return sorted(conversations.values(), key=lambda c: (c.start, c.ident))


def _conversation_id(record: dict, request: dict, response: dict) -> str:
    if record.get("session_id"):  # v2 logs name the session at the top
        return str(record["session_id"])
    for context in (response.get("context"), request.get("context")):
        if isinstance(context, dict):
            if context.get("conversation_id"):
                return str(context["conversation_id"])
            if isinstance(context.get("global"), dict) and context["global"].get("session_id"):
                return str(context["global"]["session_id"])
    return str(record.get("log_id") or "unknown")


def _is_v2(record: dict, response: dict) -> bool:
    """v1 answers carry intents at the top level; v2 answers carry them under output."""
    return "intents" not in response


def expectations(response: dict, text: str, is_v2: bool) -> dict:
    """What the assistant answered then, as a turn's response: mapping."""
    reply = from_v2(response) if is_v2 else from_v1(response)
    expected: dict = {}
    top = reply.top_intent
    if top and top[1] >= IRRELEVANT_BELOW:
        expected["intent"] = top[0]
    elif text.strip():
        expected["no_intent"] = True
    if reply.actions:
        expected["action"] = reply.titles.get(reply.actions[-1]) or reply.actions[-1]
    elif reply.nodes:
        expected["node"] = reply.nodes[-1]
    if reply.texts:
        expected["text"] = reply.text
    return expected


def propose(conversation: Logged) -> dict | None:
    turns = []
    for _, text, response, is_v2 in conversation.turns:
        text = " ".join(text.split())  # the service takes no line break or tab in input
        if len(text) > MAX_INPUT:
            return None
        turn: dict = {"input": text}
        expected = expectations(response, text, is_v2)
        if expected:
            turn["response"] = expected
        turns.append(turn)
    name = f"{conversation.start.strftime('%H:%M:%S')} {conversation.ident}"
    return {"name": name, "turns": turns}


def record_from_logs(
    folder: Path, out_dir: Path, since: str | None = None, limit: int = 50, force: bool = False
) -> tuple[dict, list]:
    """Write proposals; returns ({path: conversations written}, [paths left alone because they exist])."""
    from .. import canonical
    from ..tree import write_file_atomic

    conversations = read_archive(folder)
    if since:
        conversations = [c for c in conversations if c.start.date().isoformat() >= _day(since)]
    conversations = conversations[-limit:]
    by_day: dict = {}
    for conversation in conversations:
        proposal = propose(conversation)
        if proposal is not None:
            by_day.setdefault(conversation.start.date().isoformat(), []).append(proposal)
    written, skipped = {}, []
    for day, proposals in sorted(by_day.items()):
        path = Path(out_dir) / f"{day}.yaml"
        if path.exists() and not force:
            skipped.append(path)
            continue
        document = {
            "description": f"Proposed by assistantgit test record from the logs of {day}: review, keep "
            "what matters, remove personal data, then commit",
            "conversations": proposals,
        }
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        write_file_atomic(path, canonical.dumps(document).encode("utf-8"), private=True)
        written[path] = len(proposals)
    return written, skipped


def _day(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise InputError(f"--since {text!r}: not a date (YYYY-MM-DD)") from None
