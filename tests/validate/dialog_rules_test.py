"""The dialog rules AG301-AG305 pass a tree with nothing to report at once (a few checks over
all its nodes' links); their findings are those of looking at every node, as they did
before, on random link graphs with shared ids, missing targets and shared places."""

from __future__ import annotations

import random

import pytest

from assistantgit.validate._scan import NodeFacts
from assistantgit.validate.rules.dialog import (
    one_per_place,
    parent_exists,
    previous_exists,
    previous_same_parent,
    unique_ids,
)


class Tree:
    """What the dialog rules read of a tree: its node facts and the files to report on."""

    def __init__(self, nodes, selected, whole):
        self.nodes, self.selected, self.whole = nodes, selected, whole

    def of_kind(self, kind):
        return list(self.selected) if kind == "dialog_nodes" else []

    def incomplete(self, *kinds):
        return False


def looked_at_one_by_one(nodes, selected):
    """The findings of AG301-AG305 as each node was looked at before (the rules' first form)."""
    by_id: dict = {}
    places: dict = {}
    for facts in nodes:
        if isinstance(facts.ident, str):
            by_id.setdefault(facts.ident, []).append(facts)
            places.setdefault((facts.parent, facts.previous), []).append(facts)
    chosen = [f for f in nodes if f.rel in selected and isinstance(f.ident, str)]
    found = []
    for facts in chosen:
        others = sorted(f.rel for f in by_id[facts.ident] if f.rel != facts.rel)
        if others:
            found.append(("AG301", facts.rel, ", ".join(others)))
        if facts.parent is not None and facts.parent not in by_id:
            found.append(("AG302", facts.rel, facts.parent))
        if facts.previous is not None and facts.previous not in by_id:
            found.append(("AG303", facts.rel, facts.previous))
        siblings = by_id.get(facts.previous) if facts.previous is not None else None
        if siblings and len(siblings) == 1 and siblings[0].parent != facts.parent:
            found.append(("AG304", facts.rel, facts.previous))
        rivals = sorted(f.ident for f in places[(facts.parent, facts.previous)] if f is not facts)
        if rivals:
            found.append(("AG305", facts.rel, rivals[0]))
    return sorted(found)


RULES = {
    "AG301": unique_ids,
    "AG302": parent_exists,
    "AG303": previous_exists,
    "AG304": previous_same_parent,
    "AG305": one_per_place,
}


def reported(tree):
    """(rule, rel, the id the message names) of each finding of the rules on `tree`."""
    found = []
    for rule_id, check in RULES.items():
        for rel, _key_path, message in check(tree):
            named = message.split("'")[3] if rule_id == "AG305" else message.split("'")[1]
            if rule_id == "AG301":
                named = message.split("used by ", 1)[1]
            found.append((rule_id, rel, named))
    return sorted(found)


def random_nodes(rng):
    count = rng.randint(1, 25)
    names = [f"n{i}" for i in range(count)]
    spare = names + ["missing", None, None]  # links to nowhere, and many without a link
    nodes = []
    for index in range(count + rng.randint(0, 3)):
        ident = names[index] if index < count else rng.choice(names + [None])  # shared ids, no id
        nodes.append(NodeFacts(f"dialog_nodes/{index}.yaml", ident, rng.choice(spare), rng.choice(spare)))
    return nodes


@pytest.mark.parametrize("seed", range(200))
def test_findings_are_those_of_looking_at_every_node(seed):
    rng = random.Random(seed)
    nodes = random_nodes(rng)
    whole = rng.random() < 0.5
    selected = [n.rel for n in nodes if whole or rng.random() < 0.7]
    assert reported(Tree(nodes, selected, whole)) == looked_at_one_by_one(nodes, set(selected))


def test_a_tree_with_nothing_to_report_and_one_with_each_finding():
    """The quick checks pass a sound tree, and each of them lets its rule report a fault."""
    sound = [
        NodeFacts("dialog_nodes/a.yaml", "a"),
        NodeFacts("dialog_nodes/b.yaml", "b", previous="a"),
        NodeFacts("dialog_nodes/c.yaml", "c", parent="a"),
        NodeFacts("dialog_nodes/d.yaml", "d", parent="a", previous="c"),
    ]
    rels = [n.rel for n in sound]
    assert reported(Tree(sound, rels, True)) == []
    faults = {
        "AG301": NodeFacts("dialog_nodes/e.yaml", "a", parent="b"),
        "AG302": NodeFacts("dialog_nodes/e.yaml", "e", parent="nowhere"),
        "AG303": NodeFacts("dialog_nodes/e.yaml", "e", parent="a", previous="nowhere"),
        "AG304": NodeFacts("dialog_nodes/e.yaml", "e", previous="c"),
        "AG305": NodeFacts("dialog_nodes/e.yaml", "e", previous="a"),
    }
    for rule_id, fault in faults.items():
        nodes = [*sound, fault]
        found = reported(Tree(nodes, [*rels, fault.rel], True))
        assert rule_id in {rule for rule, _rel, _named in found}, rule_id
        assert found == looked_at_one_by_one(nodes, {*rels, fault.rel})
