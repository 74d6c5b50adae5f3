"""The message endpoints of the local Watson look-alike (testing/watson_server.py): a
deterministic toy assistant answering from the skill the server holds, so that tests run
`assistantgit test` end to end with the real SDK. It is a toy, not the service:

- intents: the intent one of whose examples shares the most words with the input
  (ties: the first in the skill); confidence = shared words / words of the input. An
  input sharing no word, or equal to a counterexample, has no intent.
- entities: a value or synonym found as whole words (case ignored), a pattern found by
  its regular expression; system entities the skill switches on: sys-number (digits) and
  sys-date (an ISO date only).
- dialog (v1 `message`): the first root node (folders with an empty condition are
  transparent) whose condition matches: `#intent`, `@entity`, `@entity:value`, `welcome`
  (first turn, empty input), `anything_else`, `true`, joined by `&&` / `||`. After a
  node with children, the next turn tries those children first by the same rules.
  Frames ask for their slots (focus handlers; input handlers or slot conditions fill
  them), response conditions pick the first matching child, `jump_to` runs its target.
  Text responses show their first value, `$variable` filled from the context; node
  context sets variables (`@entity` -> value, `@entity.literal` -> matched text).
  `output.nodes_visited` (and `_details` on request) lists the nodes that ran.
- actions (v2 `message_stateless`): the `welcome` action on an empty first input, else
  the action whose intent is the top intent, else `anything_else`; the answer is the
  first step's text; `output.debug.turn_events` has action_visited and step_visited. An
  environment runs the release deployed to it (testing/watson_lifecycle.py), else the draft.
- bulk_classify (v1 and v2): the intents and entities above for each input.

The handler is a subclass, so the endpoints other tests add to watson_server stay apart;
it speaks HTTP/1.1 with keep-alive (a suite sends thousands of messages).
"""

from __future__ import annotations

import copy
import re
import threading

from testing.watson_server import Handler, WatsonServer

MESSAGE_ROUTES = (
    re.compile(r"/v1/workspaces/([^/]+)/(message|bulk_classify)"),
    re.compile(r"/v2/assistants/([^/]+)/environments/([^/]+)/message"),
    re.compile(r"/v2/skills/([^/]+)/workspace/bulk_classify"),
)


class MessageHandler(Handler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave in separate writes: no 40 ms delayed-ACK stall

    def _route(self, method, path, query, body):
        status, answer = super()._route(method, path, query, body)
        if status != 404 or answer.get("error") != "Resource not found":
            return status, answer
        for number, pattern in enumerate(MESSAGE_ROUTES):
            match = pattern.fullmatch(path)
            if match:
                return self._message_route(number, match.groups(), method, query, body or {})
        return status, answer

    def _message_route(self, number, groups, method, query, body):
        from testing.toy_answers import actions_answer, classify_all, dialog_answer

        state = self.state
        if number == 0 and method == "POST":
            if groups[0] not in state.workspaces:
                return 404, {"error": "Resource not found", "code": 404}
            skill = compiled(state, "v1:" + groups[0], state.workspaces[groups[0]], "dialog")
            if groups[1] == "message":
                return 200, dialog_answer(skill, body, query)
            return 200, classify_all(skill, body)
        if number == 1 and method == "POST":
            if groups[0] not in state.assistants:
                return 404, {"error": "Resource not found", "code": 404}
            held, version = _environment_skill(state, groups[0], groups[1])
            return 200, actions_answer(compiled(state, f"v2:{groups[0]}:{version}", held, "actions"), body)
        if number == 2 and method == "POST":
            for ident, assistant in state.assistants.items():
                held = action_skill(assistant)
                if held.get("skill_id") == groups[0]:
                    return 200, classify_all(compiled(state, "v2:" + ident, held, "actions"), body)
            return 404, {"error": "Resource not found", "code": 404}
        return 404, {"error": "Resource not found", "code": 404}


def _environment_skill(state, assistant: str, environment_id: str) -> tuple:
    """The action skill an environment runs: the release deployed there (testing/watson_lifecycle.py),
    else the assistant's draft; and which of them, for the cache."""
    life = state.lifecycle
    for env in life.environments.get(assistant, []):
        release = (env.get("release_reference") or {}).get("release")
        if env["environment_id"] == environment_id and release in life.releases.get(assistant, {}):
            return action_skill({"assistant_skills": life.releases[assistant][release]["skills"]}), f"release-{release}"
    return action_skill(state.assistants[assistant]), "draft"


def action_skill(assistant: dict) -> dict:
    for skill in assistant.get("assistant_skills") or []:
        if skill.get("type") == "action":
            return skill
    return {}


_CACHE_LOCK = threading.Lock()


def compiled(state, key: str, content: dict, kind: str):
    """The toy's view of a skill, built once per stored version (a push stores a new object)."""
    from testing.toy_assistant import Skill

    cache = state.__dict__.setdefault("toy_skills", {})
    with _CACHE_LOCK:
        held = cache.get(key)
        if held is None or held[0] is not content:
            held = (content, Skill(copy.deepcopy(content), kind))
            cache[key] = held
        return held[1]


class ChatServer(WatsonServer):
    """The Watson look-alike with the message endpoints."""

    def __init__(self) -> None:
        super().__init__(handler=MessageHandler)
