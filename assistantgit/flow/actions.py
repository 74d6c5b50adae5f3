"""An actions skill as a graph: one root per action, its steps as children in order.

Where each step goes comes from its resolver: `continue` to the next step, `end_action`,
`invoke_another_action` (a call that comes back), `invoke_another_action_and_end`,
`connect_to_agent`, `fallback`, `replay`. A step with a condition that does not hold is
skipped, so a conditional step that does not continue also leads on to the next step.
"""

from __future__ import annotations

from .expressions import condition_text
from .model import Flow, FlowNode, Jump, as_dict, as_list, as_name, text_of

STEP_SEPARATOR = "/"


def build(items: list[tuple[str, object]], part: str = "") -> Flow:
    """The actions from (path, action data) pairs, in the order of the files."""
    flow = Flow("actions", part)
    actions = []
    for path, data in items:
        data = data if isinstance(data, dict) else {}
        ident = data.get("action")
        ident = ident if isinstance(ident, str) and ident else f"({path})"
        key = ident
        while key in flow.nodes:
            key += "'"
        node = FlowNode(
            key, "action", ident, title=text_of(data.get("title")), path=path, data=data, condition=_when(data)
        )
        flow.nodes[key] = node
        flow.roots.append(key)
        actions.append((node, data))
    by_ident = {node.ident: node.key for node, _ in reversed(actions)}
    for node, data in actions:
        _steps(flow, node, data, by_ident)
    return flow


def _when(action: dict) -> str | None:
    """The action's condition; an intent it owns reads as what the user says."""
    condition = action.get("condition")
    owned = as_dict(action.get("intent"))
    texts = [e.get("text") if isinstance(e, dict) else e for e in as_list(owned.get("examples"))]
    texts = [t for t in texts if isinstance(t, str) and t.strip()]
    if (
        isinstance(condition, dict)
        and list(condition) == ["intent"]
        and condition["intent"] == owned.get("intent")
        and texts
    ):
        more = f" (+{len(texts) - 1} more)" if len(texts) > 1 else ""
        return f'says "{text_of(texts[0])}"{more}'
    return text_of(condition_text(condition)) if condition is not None else None


def _steps(flow: Flow, action: FlowNode, data: dict, actions: dict[str, str]) -> None:
    steps = [s for s in as_list(data.get("steps")) if isinstance(s, dict)]
    idents = [as_name(s.get("step")) or f"#{i + 1}" for i, s in enumerate(steps)]
    names = {s["variable"]: f"step {i + 1}" for i, s in enumerate(steps) if as_name(s.get("variable"))}
    titles = _variable_titles(data)
    keys: dict[str, str] = {}
    for index, (step, ident) in enumerate(zip(steps, idents)):
        key = f"{action.key}{STEP_SEPARATOR}{ident}"
        while key in flow.nodes:
            key += "'"
        keys.setdefault(ident, key)
        title = (
            text_of(step.get("title"))
            or titles.get(step.get("variable"))
            or _first_text(step.get("output"))
            or _sets(step)
        )
        node = FlowNode(
            key, "step", ident, title=f"{index + 1}. {title or ident}", parent=action.key, path=action.path, data=step
        )
        if "condition" in step:
            node.condition = text_of(condition_text(step["condition"], names))
        flow.nodes[key] = node
        action.children.append(key)
    for index, (step, key) in enumerate(zip(steps, action.children)):
        following = step.get("next_step")
        following = keys.get(following) if isinstance(following, str) else None
        if following is None and index + 1 < len(action.children):
            following = action.children[index + 1]
        flow.nodes[key].jumps = _ways_on(step, following, actions, flow.nodes[key].condition is not None)


def _ways_on(step: dict, following: str | None, actions: dict[str, str], conditional: bool) -> list[Jump]:
    resolver = as_dict(step.get("resolver"))
    kind = as_name(resolver.get("type")) or "continue"
    called = as_name(as_dict(resolver.get("invoke_action")).get("action"))
    after = Jump(following, "continue", "continue") if following else Jump(None, "end", "end")
    if kind == "end_action":
        jumps = [Jump(None, "end", "end")]
    elif kind == "connect_to_agent":
        jumps = [Jump(None, "agent transfer", "agent")]
    elif kind == "fallback":
        jumps = [Jump(None, "fallback", "fallback")]
    elif kind == "replay":
        return [Jump(None, "replay", "replay")]
    elif kind == "invoke_another_action_and_end":
        jumps = [_call(called, actions, "go to, then end")]
    elif kind == "invoke_another_action":
        return [_call(called, actions, "call, then come back"), after]
    elif kind in ("continue", "callout"):
        return [Jump(after.target, "call extension, continue" if kind == "callout" else after.label, after.kind)]
    else:
        return [Jump(after.target, kind.replace("_", " "), after.kind)]
    if conditional and following:  # the condition does not hold: the step is skipped
        jumps.append(Jump(following, "else", "continue"))
    return jumps


def _call(called: str | None, actions: dict[str, str], label: str) -> Jump:
    if called in actions:
        return Jump(actions[called], label, "call")
    if called == "fallback":
        return Jump(None, label, "fallback")
    return Jump(None, f"{label}: no action {called}", "missing", missing=called or "(none)")


def _variable_titles(action: dict) -> dict:
    found = {}
    for variable in as_list(action.get("variables")):
        if isinstance(variable, dict) and as_name(variable.get("variable")):
            title = text_of(variable.get("title"))
            if title:
                found[variable["variable"]] = title
    return found


def _sets(step: dict) -> str | None:
    """What a silent step does: the variables it sets."""
    settings = [v for v in as_list(as_dict(step.get("context")).get("variables")) if isinstance(v, dict)]
    names = [as_name(v.get("skill_variable")) or as_name(v.get("variable")) for v in settings]
    named = [n for n in names if n]
    return f"sets {', '.join(named)}" if named else None


def _first_text(output) -> str | None:
    """The first thing a step says, for a step whose variable has no title."""
    for response in as_list(as_dict(output).get("generic")):
        for value in as_list(as_dict(response).get("values")):
            value = as_dict(value)
            if isinstance(value.get("text"), str):
                return text_of(value["text"])
            concat = as_dict(value.get("text_expression")).get("concat")
            if isinstance(concat, list):
                return text_of("".join(p["scalar"] for p in concat if isinstance(as_dict(p).get("scalar"), str)))
    return None
