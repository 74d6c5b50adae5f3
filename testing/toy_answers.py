"""Answers of the toy assistant (testing/watson_message.py says what it does): v1 dialog
messages, v2 action messages, bulk classification, the environment list."""

from __future__ import annotations

import copy
import itertools
import re

from testing.toy_assistant import Turn

_SERIAL = itertools.count(1)
ASKING = ("standard", "frame", "folder")


class DialogRun:
    """One dialog turn: which nodes run, what they say, where the dialog waits."""

    def __init__(self, skill, turn: Turn):
        self.skill, self.turn = skill, turn
        self.visited: list[dict] = []
        self.generic: list[dict] = []
        self.waiting: list[dict] = []
        self.slot = None

    def respond(self, stack: list) -> None:
        top = self.skill.nodes.get(stack[-1].get("dialog_node")) if stack else None
        if top is not None and top.get("type") == "frame":
            return self.frame(top, continuing=True)
        node = self.first_match(top["dialog_node"]) if top is not None else None
        node = node or self.first_match(None)
        if node is not None:
            self.run(node)

    def first_match(self, parent):
        for node in self.skill.children.get(parent, []):
            kind = node.get("type") or "standard"
            if kind == "folder" and self.turn.matches(node.get("conditions"), empty=True):
                found = self.first_match(node["dialog_node"])
                if found is not None:
                    return found
            elif kind in ("standard", "frame") and self.turn.matches(node.get("conditions")):
                return node
        return None

    def run(self, node: dict, depth: int = 0) -> None:
        self.visit(node)
        if node.get("type") == "frame":
            return self.frame(node, continuing=False)
        self.say(node)
        self.after(node, depth)

    def visit(self, node: dict) -> None:
        self.visited.append(node["dialog_node"])
        for key, value in (node.get("context") or {}).items():
            self.turn.context[key] = self.turn.evaluate(value)

    def say(self, node: dict) -> None:
        for item in (node.get("output") or {}).get("generic") or []:
            if item.get("response_type") == "text":
                values = item.get("values") or [{}]
                self.generic.append({"response_type": "text", "text": self.turn.fill(values[0].get("text") or "")})
            else:
                self.generic.append({k: v for k, v in copy.deepcopy(item).items() if k != "selection_policy"})

    def after(self, node: dict, depth: int) -> None:
        children = self.skill.children.get(node["dialog_node"], [])
        for child in children:
            if child.get("type") == "response_condition" and self.turn.matches(child.get("conditions"), empty=True):
                self.visit(child)
                self.say(child)
                break
        step = node.get("next_step") or {}
        target = self.skill.nodes.get(step.get("dialog_node"))
        if step.get("behavior") == "jump_to" and target is not None and depth < 10:
            return self.run(target, depth + 1)
        if any((child.get("type") or "standard") in ASKING for child in children):
            self.waiting = [node["dialog_node"]]

    def frame(self, node: dict, continuing: bool) -> None:
        ident = node["dialog_node"]
        kids = self.skill.children.get(ident, [])
        if continuing:
            self.visited.append(ident)
            for handler in kids:
                if (
                    handler.get("type") == "event_handler"
                    and handler.get("event_name") == "generic"
                    and self.turn.matches(handler.get("conditions"))
                ):
                    self.visit(handler)
                    self.say(handler)
                    if (handler.get("next_step") or {}).get("behavior") == "skip_all_slots":
                        self.say(node)
                        return
        asked = self.turn.context["system"].get("toy_slot")
        for slot in (k for k in kids if k.get("type") == "slot"):
            variable = (slot.get("variable") or "").lstrip("$")
            if self.turn.context.get(variable) is None and not self.fill(slot, variable):
                self.ask(slot, continuing and asked == slot["dialog_node"] and bool(self.turn.text.strip()))
                self.waiting, self.slot = [ident], slot["dialog_node"]
                return
        self.say(node)
        self.after(node, 0)

    def fill(self, slot: dict, variable: str) -> bool:
        for handler in self.skill.children.get(slot["dialog_node"], []):
            if handler.get("event_name") == "input" and self.turn.matches(handler.get("conditions")):
                self.visited.append(slot["dialog_node"])
                self.visit(handler)
                return self.turn.context.get(variable) is not None
        if slot.get("conditions") and self.turn.matches(slot.get("conditions")):
            self.visit(slot)
            if self.turn.context.get(variable) is None:
                self.turn.context[variable] = self.turn.evaluate(slot["conditions"].split("&&")[0].strip())
            return True
        return False

    def ask(self, slot: dict, missed: bool) -> None:
        handlers = self.skill.children.get(slot["dialog_node"], [])
        events = ("nomatch", "focus") if missed else ("focus",)
        prompt = next((h for event in events for h in handlers if h.get("event_name") == event), None)
        self.visited.append(slot["dialog_node"])
        if prompt is not None:
            self.visited.append(prompt["dialog_node"])
            self.say(prompt)


def dialog_answer(skill, body: dict, query: dict) -> dict:
    context = copy.deepcopy(body.get("context") or {})
    system = context["system"] = dict(context.get("system") or {})
    first = not system.get("dialog_turn_counter")
    system["dialog_turn_counter"] = int(system.get("dialog_turn_counter") or 0) + 1
    context.setdefault("conversation_id", f"toy-conversation-{next(_SERIAL)}")
    text = (body.get("input") or {}).get("text") or ""
    turn = Turn(skill, text, context, first, alternates=bool(body.get("alternate_intents")))
    run = DialogRun(skill, turn)
    run.respond(system.get("dialog_stack") or [])
    system["dialog_stack"] = [{"dialog_node": ident} for ident in run.waiting]
    system.pop("toy_slot", None)
    if run.slot:
        system["toy_slot"] = run.slot
    output = {
        "generic": run.generic,
        "text": [g["text"] for g in run.generic if g.get("response_type") == "text"],
        "nodes_visited": run.visited,
        "log_messages": [],
    }
    if query.get("nodes_visited_details") == "true":
        output["nodes_visited_details"] = [
            {
                "dialog_node": ident,
                "title": skill.nodes[ident].get("title"),
                "conditions": skill.nodes[ident].get("conditions"),
            }
            for ident in run.visited
        ]
    return {
        "input": {"text": text},
        "intents": turn.shown_intents,
        "entities": turn.entities,
        "output": output,
        "context": context,
        "alternate_intents": bool(body.get("alternate_intents")),
    }


def actions_answer(skill, body: dict) -> dict:
    context = copy.deepcopy(body.get("context") or {})
    system = context.setdefault("global", {}).setdefault("system", {})
    first = not system.get("turn_count")
    system["turn_count"] = int(system.get("turn_count") or 0) + 1
    context["global"].setdefault("session_id", f"toy-session-{next(_SERIAL)}")
    variables = context.setdefault("skills", {}).setdefault("actions skill", {}).setdefault("skill_variables", {})
    for declared in skill.variables:
        initial = (declared.get("initial_value") or {}).get("scalar")
        if initial is not None:
            variables.setdefault(declared["variable"], initial)
    message = body.get("input") or {}
    options = message.get("options") or {}
    turn = Turn(skill, message.get("text") or "", variables, first, alternates=bool(options.get("alternate_intents")))
    action, reason = _pick_action(skill, turn)
    generic, events = [], []
    if action is not None:
        source = {"type": "action", "action": action["action"], "action_title": action.get("title")}
        events.append(
            {
                "event": "action_visited",
                "source": source,
                "reason": reason,
                "condition_type": "user_utterance" if reason == "intent" else reason,
            }
        )
        step = (action.get("steps") or [None])[0]
        if step is not None:
            events.append(
                {
                    "event": "step_visited",
                    "source": {**source, "type": "step", "step": step["step"]},
                    "has_question": bool(step.get("question")),
                }
            )
            generic = [_action_output(item, variables) for item in (step.get("output") or {}).get("generic") or []]
    output: dict = {"generic": generic, "intents": turn.shown_intents, "entities": turn.entities}
    if options.get("debug"):
        output["debug"] = {"turn_events": events}
    return {"output": output, "context": context, "user_id": body.get("user_id") or "toy-user"}


def _pick_action(skill, turn: Turn):
    by_expression = {(a.get("condition") or {}).get("expression"): a for a in skill.actions}
    if turn.first and not turn.text.strip() and "welcome" in by_expression:
        return by_expression["welcome"], "welcome"
    for action in skill.actions:
        if turn.top is not None and (action.get("condition") or {}).get("intent") == turn.top:
            return action, "intent"
    return by_expression.get("anything_else"), "anything_else"


def _action_output(item: dict, variables: dict) -> dict:
    if item.get("response_type") != "text":
        return {k: v for k, v in copy.deepcopy(item).items() if k != "selection_policy"}
    value = (item.get("values") or [{}])[0]
    if "text_expression" in value:
        parts = []
        for part in (value["text_expression"] or {}).get("concat") or []:
            if "scalar" in part:
                parts.append(str(part["scalar"]))
            elif "skill_variable" in part:
                parts.append(str(variables.get(part["skill_variable"], "") or ""))
        return {"response_type": "text", "text": "".join(parts)}
    return {"response_type": "text", "text": re.sub(r"\s+$", "", str(value.get("text") or ""))}


def classify_all(skill, body: dict) -> dict:
    output = []
    for item in body.get("input") or []:
        text = str((item or {}).get("text") or "")
        entities = [{k: v for k, v in e.items() if k != "literal"} for e in skill.extract(text)]
        output.append({"input": {"text": text}, "intents": skill.classify(text), "entities": entities})
    return {"output": output}
