"""AG308-AG311 and AG404-AG405: the flow of an actions skill holds together. An action's
steps name each other by id (`next_step`), actions name other actions (`next_action`,
`invoke_action`, collections), and conditions and questions name intents and entities."""

from __future__ import annotations

from .._core import ERROR, WARNING, rule
from .references import SYSTEM_PREFIX


def _actions(tree):
    for source in tree.of_kind("actions"):
        data = tree.mapping(source)
        if data is not None:
            yield source, data


def _steps(action: dict):
    steps = action.get("steps")
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        if isinstance(step, dict):
            yield index, step


def _step_id(step: dict) -> str | None:
    """A step's id when it is a text (AG103 reports any other type)."""
    ident = step.get("step")
    return ident if isinstance(ident, str) else None


def _walk(node, path=()):
    """Every (path, mapping) under node, depth first."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _invoked(action: dict):
    """(key path, action id) of every other action this one names."""
    if isinstance(action.get("next_action"), str):
        yield ("next_action",), action["next_action"]
    for path, mapping in _walk(action.get("steps")):
        target = mapping.get("invoke_action")
        if isinstance(target, dict) and isinstance(target.get("action"), str):
            yield ("steps", *path, "invoke_action", "action"), target["action"]


@rule("AG308", ERROR, "two actions with the same id")
def unique_actions(tree):
    for source, action in _actions(tree):
        ident = action.get("action")
        others = sorted(r for r in tree.actions.get(ident, []) if r != source.rel) if isinstance(ident, str) else []
        if others:
            yield source.rel, ("action",), f"action id '{ident}' is also used by {', '.join(others)}"


@rule("AG309", ERROR, "a step id used twice in one action")
def unique_steps(tree):
    for source, action in _actions(tree):
        seen = set()
        for index, step in _steps(action):
            ident = _step_id(step)
            if ident is None:
                continue
            if ident in seen:
                yield source.rel, ("steps", index, "step"), f"step id '{ident}' is used twice in this action"
            seen.add(ident)


@rule("AG310", ERROR, "a next_step naming a step the action does not have")
def next_step_exists(tree):
    for source, action in _actions(tree):
        idents = {_step_id(step) for _, step in _steps(action)}
        for index, step in _steps(action):
            target = step.get("next_step")
            if isinstance(target, str) and target not in idents:
                yield source.rel, ("steps", index, "next_step"), f"next_step '{target}' is not a step of this action"


@rule("AG311", ERROR, "an action names an action that does not exist")
def invoked_actions_exist(tree):
    for source, action in _actions(tree):
        for path, target in _invoked(action):
            if target not in tree.actions and not tree.incomplete("actions"):
                yield source.rel, path, f"'{target}' is not an action of this skill"
    for source in tree.of_kind("collections"):
        data = tree.mapping(source)
        references = data.get("action_references") if data else None
        for index, item in enumerate(references if isinstance(references, list) else []):
            target = item.get("action") if isinstance(item, dict) else None
            if isinstance(target, str) and target not in tree.actions and not tree.incomplete("actions"):
                yield source.rel, ("action_references", index, "action"), f"'{target}' is not an action of this skill"


@rule("AG404", WARNING, "an action condition names an intent the skill does not define")
def action_intents(tree):
    from ...formats.watson.actions import condition_intents

    for source, action in _actions(tree):
        for name in sorted(condition_intents(action.get("condition"))):
            if name not in tree.intents and not tree.incomplete("intents", "actions"):
                yield source.rel, ("condition",), f"condition uses intent '{name}', which is not defined"


@rule("AG405", WARNING, "a step asks for an entity the skill does not define")
def question_entities(tree):
    for source, action in _actions(tree):
        for index, step in _steps(action):
            question = step.get("question")
            entity = question.get("entity") if isinstance(question, dict) else None
            if (
                isinstance(entity, str)
                and not entity.startswith(SYSTEM_PREFIX)
                and entity not in tree.entities
                and not tree.incomplete("entities")
            ):
                yield (
                    source.rel,
                    ("steps", index, "question", "entity"),
                    f"question asks for entity '{entity}', which is not defined",
                )
