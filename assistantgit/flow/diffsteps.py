"""What a diff changed inside actions, step by step, for the pictures of diffpictures.

Steps are matched by their `step` id. A step is changed when its stored form differs, and
moved when it is not among the longest run of steps that kept their order; a removed step
is drawn where it was, after the step it followed. A step of the old side that called an
action calls it by its new key (a renamed action is the same action); a call to an action the
new side does not have ends at a "no X" terminal.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

from ..canonical import canonical_json
from .diffmodel import Group, changed_fields, clone, no_dangling_jumps
from .model import Flow, FlowNode, Jump


def action_groups(old: Flow, new: Flow, changes) -> list[Group]:
    """One group per changed action: its steps merged from both sides, with their statuses."""
    groups = []
    actions = _new_keys(old, new, changes)
    for change in changes:
        before = _action(old, change.old_id or change.id)
        after = _action(new, change.id)
        either = after or before
        if either is None:  # not an action of either flow (a file without an action id, say)
            continue
        base = clone(new if after is not None else old)
        key = either.key
        status = {key: change.status}
        notes = {key: changed_fields(change)}
        if before is not None and after is not None:
            _merge_steps(base, old, before, after, status, notes, actions)
        else:  # added or removed whole: every step shares its status
            status.update(dict.fromkeys(either.children, change.status))
        no_dangling_jumps(base)
        focus = [k for k, _ in base.depth_first([key]) if status.get(k) not in (None, "old")]
        neighbours = [k for k, _ in base.depth_first([key]) if k not in focus]
        calls = [j.target for s in focus for j in base.nodes[s].jumps if j.target and j.kind == "call"]
        groups.append(
            Group(
                f"Action '{base.nodes[key].name}'", base, focus, status, notes, _near(base, focus) + calls + neighbours
            )
        )
    return groups


def _action(flow: Flow, ident: str) -> FlowNode | None:
    return next((flow.nodes[k] for k in flow.roots if flow.nodes[k].ident == ident), None)


def _new_keys(old: Flow, new: Flow, changes) -> dict[str, str]:
    """{old action key: its key on the new side} for every action both sides have, by id
    or through a rename."""
    renamed = {c.old_id: c.id for c in changes if c.status == "renamed" and c.old_id is not None}
    now = {new.nodes[key].ident: key for key in reversed(new.roots)}  # the first of an id, as a call finds it
    found = {}
    for key in old.roots:
        ident = old.nodes[key].ident
        ident = renamed.get(ident, ident)
        if ident in now:
            found[key] = now[ident]
    return found


def _merge_steps(
    merged: Flow, old: Flow, before: FlowNode, after: FlowNode, status: dict, notes: dict, actions: dict[str, str]
) -> None:
    """Into `merged` (a copy of the new side): statuses of the new steps, the removed steps
    and the old places of moved steps, all under the new action, and the ways on that
    changed drawn as they were before. `actions`: the new key of each old action."""
    own = set(before.children)

    def rekey(key: str) -> str:  # an old step of this action, or an old action, by its key on the new side
        return after.key + key[len(before.key) :] if key in own else actions.get(key, key)

    old_steps = {old.nodes[k].ident: k for k in before.children}
    new_steps = {merged.nodes[k].ident: k for k in after.children}
    kept_old = [i for i in old_steps if i in new_steps]
    kept_new = [i for i in new_steps if i in old_steps]
    stayed = set()
    for block in SequenceMatcher(None, kept_old, kept_new, autojunk=False).get_matching_blocks():
        stayed.update(kept_old[block.a : block.a + block.size])
    moved = []
    for ident, key in new_steps.items():
        if ident not in old_steps:
            status[key] = "added"
            continue
        fields = _changed_keys(old.nodes[old_steps[ident]].data, merged.nodes[key].data)
        if fields:
            status[key], notes[key] = "changed", [f"changed: {', '.join(fields)}"]
        if ident not in stayed:
            status[key] = "changed"
            notes[key] = ["moved"] + notes.get(key, [])
            moved.append((ident, key))
    for ident, key in old_steps.items():
        if ident not in new_steps:
            _insert_old(merged, old, key, rekey, after.key)
            status[rekey(key)] = "removed"
    for ident, key in moved:
        _insert_old(merged, old, old_steps[ident], rekey, after.key, ghost_of=key)
        status[key + "\0old"] = "old"
    ghosts = {key: key + "\0old" for _, key in moved}

    def then(target: str | None) -> str | None:  # where an old way on led, on the merged graph
        if target is None:
            return None
        return ghosts.get(rekey(target), rekey(target))

    for ident, key in new_steps.items():
        if ident in old_steps and key not in ghosts:
            now = {(j.target, j.kind) for j in merged.nodes[key].jumps}
            merged.nodes[key].jumps += [
                replace(j, target=then(j.target), label=f"before: {j.label}")
                for j in old.nodes[old_steps[ident]].jumps
                if (then(j.target), j.kind) not in now
            ]


def _changed_keys(before, after) -> list[str]:
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    return sorted(
        k for k in before.keys() | after.keys() if canonical_json(before.get(k)) != canonical_json(after.get(k))
    )


def _insert_old(merged: Flow, old: Flow, old_key: str, rekey, action: str, ghost_of: str | None = None) -> None:
    """An old step where it was: after the step it followed (by its new key), else first.
    A moved step leaves a ghost there that points to where it is now."""
    node = old.nodes[old_key]
    assert node.parent is not None  # a step's parent is its action
    siblings = old.nodes[node.parent].children
    index = siblings.index(old_key)
    previous = rekey(siblings[index - 1]) if index else None
    if ghost_of is not None:
        key = ghost_of + "\0old"
        copy = FlowNode(
            key,
            "step",
            node.ident,
            title=node.title,
            marker="old place",
            parent=action,
            jumps=[Jump(ghost_of, "moved to", "jump")],
        )
    else:
        key = rekey(old_key)
        copy = replace(
            node,
            key=key,
            parent=action,
            jumps=[replace(j, target=rekey(j.target) if j.target else None) for j in node.jumps],
        )
    merged.nodes[key] = copy
    children = merged.nodes[action].children
    children.insert(children.index(previous) + 1 if previous in children else 0, key)


def _near(flow: Flow, focus: list[str]) -> list[str]:
    """The step before and after each changed step."""
    near = []
    for key in focus:
        parent = flow.nodes[key].parent
        if parent is None:
            continue
        siblings = flow.nodes[parent].children
        index = siblings.index(key)
        near += siblings[max(0, index - 1) : index] + siblings[index + 1 : index + 2]
    return [k for k in dict.fromkeys(near) if k not in focus]
