"""One answer of the assistant, the same shape whichever API gave it.

v1 `message` (dialog workspaces) answers with top-level intents/entities, `output.generic`
and `output.nodes_visited`; v2 `message_stateless` (assistants) with everything under
`output`, what ran in `output.debug.turn_events` (action_visited, step_visited,
node_visited) and variables under `context.skills`. Assertions and coverage read a Reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

V1_CONTEXT_KEYS = {"conversation_id", "system", "metadata"}


@dataclass
class Reply:
    intents: list = field(default_factory=list)  # [(intent, confidence)], best first
    entities: list = field(default_factory=list)  # [(entity, value)]
    texts: list = field(default_factory=list)  # the text responses, in order
    options: list = field(default_factory=list)  # labels of options and suggestions offered
    nodes: list = field(default_factory=list)  # dialog node ids that ran
    actions: list = field(default_factory=list)  # action ids that ran
    steps: list = field(default_factory=list)  # (action id, step id) that ran
    titles: dict = field(default_factory=dict)  # node or action id -> title, where the answer gives it
    variables: dict = field(default_factory=dict)  # context (v1) or session variables (v2)

    @property
    def text(self) -> str:
        """What the user reads: the text responses, one per line."""
        return "\n".join(self.texts)

    @property
    def top_intent(self):
        return self.intents[0] if self.intents else None


def _generic(items, reply: Reply) -> None:
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        kind = item.get("response_type")
        if kind == "text" and isinstance(item.get("text"), str):
            reply.texts.append(item["text"])
        elif kind in ("option", "suggestion"):
            choices = item.get("options") if kind == "option" else item.get("suggestions")
            reply.options.extend(str(c.get("label")) for c in choices or [] if isinstance(c, dict) and "label" in c)


def _intents(items) -> list:
    return [(str(i.get("intent")), float(i.get("confidence") or 0)) for i in items or [] if isinstance(i, dict)]


def _entities(items) -> list:
    return [(str(e.get("entity")), str(e.get("value"))) for e in items or [] if isinstance(e, dict)]


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def from_v1(result: dict) -> Reply:
    output = _mapping(result.get("output"))
    reply = Reply(intents=_intents(result.get("intents")), entities=_entities(result.get("entities")))
    _generic(output.get("generic"), reply)
    if not output.get("generic") and isinstance(output.get("text"), list):  # old workspaces answer output.text only
        reply.texts = [str(t) for t in output["text"]]
    reply.nodes = [str(n) for n in output.get("nodes_visited") or []]
    for detail in output.get("nodes_visited_details") or []:
        if isinstance(detail, dict) and detail.get("title"):
            reply.titles[str(detail.get("dialog_node"))] = str(detail["title"])
    context = _mapping(result.get("context"))
    reply.variables = {k: v for k, v in context.items() if k not in V1_CONTEXT_KEYS}
    return reply


def from_v2(result: dict) -> Reply:
    output = _mapping(result.get("output"))
    reply = Reply(intents=_intents(output.get("intents")), entities=_entities(output.get("entities")))
    _generic(output.get("generic"), reply)
    debug = _mapping(output.get("debug"))
    for event in debug.get("turn_events") or []:
        event = _mapping(event)
        source, kind = _mapping(event.get("source")), event.get("event")
        if kind == "action_visited" and source.get("action"):
            reply.actions.append(str(source["action"]))
            if source.get("action_title"):
                reply.titles[str(source["action"])] = str(source["action_title"])
        elif kind == "step_visited" and source.get("action") and source.get("step"):
            reply.steps.append((str(source["action"]), str(source["step"])))
        elif kind == "node_visited" and source.get("dialog_node"):
            reply.nodes.append(str(source["dialog_node"]))
            if source.get("title"):
                reply.titles[str(source["dialog_node"])] = str(source["title"])
    for node in debug.get("nodes_visited") or []:
        if isinstance(node, dict) and node.get("dialog_node") and node["dialog_node"] not in reply.nodes:
            reply.nodes.append(str(node["dialog_node"]))
    for skill in _mapping(_mapping(result.get("context")).get("skills")).values():
        if isinstance(skill, dict):
            reply.variables.update(skill.get("user_defined") or {})
            reply.variables.update(skill.get("skill_variables") or {})
    return reply
