"""AG306 finds a cycle of previous_sibling or parent links in linear time: its findings are
those of walking every node's chain to its end, on random link graphs."""

from __future__ import annotations

import random

import pytest

from assistantgit.validate._scan import NodeFacts
from assistantgit.validate.rules.dialog import cycle_text, no_cycles


class Tree:
    """What AG306 reads of a tree: its node facts and the files to report on."""

    def __init__(self, nodes, selected):
        self.nodes, self.selected = nodes, selected
        self.whole = False  # (a whole-tree run selects every node: then selected holds them all)

    def of_kind(self, kind):
        """The named files of a kind: every named file here is a node's."""
        return list(self.selected) if kind == "dialog_nodes" else []


def walked(nodes, selected):
    """The findings of the first implementation: each selected node's chain walked to its end."""
    by_id: dict = {}
    for facts in nodes:
        by_id.setdefault(facts.ident, []).append(facts)

    def single(ident):
        found = by_id.get(ident)
        return found[0] if found and len(found) == 1 else None

    for facts in nodes:
        if facts.rel not in selected:
            continue
        for attr, key, what in (("previous", "previous_sibling", "previous_sibling"), ("parent", "parent", "parent")):
            seen, current = set(), facts
            while current is not None and getattr(current, attr) is not None:
                if current.ident in seen:
                    break
                seen.add(current.ident)
                current = single(getattr(current, attr))
                if current is facts:
                    chain = cycle_text(sorted(seen))
                    yield facts.rel, (key,), f"the {what} links form a cycle ({chain}): the node can never be reached"
                    break


@pytest.mark.parametrize("seed", range(40))
def test_cycles_are_those_of_walking_every_chain(seed):
    rng = random.Random(seed)
    count = rng.randint(1, 30)
    names = [f"n{i}" for i in range(count)] + ["n0", "missing"]  # a duplicate id, and a link to nowhere
    nodes = []
    for index in range(count + rng.randint(0, 2)):
        link = lambda: rng.choice(names) if rng.random() < 0.8 else None  # noqa: E731
        nodes.append(NodeFacts(f"dialog_nodes/{index}.yaml", names[index], link(), link()))
    selected = [n.rel for n in nodes if rng.random() < 0.7]
    tree = Tree(nodes, selected)
    assert sorted(no_cycles(tree)) == sorted(walked(nodes, set(selected)))


def test_a_long_sibling_chain_is_walked_once():
    """13,500 root nodes in one previous_sibling chain took 2 million steps."""
    nodes = [NodeFacts(f"dialog_nodes/{i}.yaml", f"n{i}", None, f"n{i - 1}" if i else None) for i in range(20000)]
    nodes[0].previous = "n19999"  # and closed into one cycle
    tree = Tree(nodes, [n.rel for n in nodes])
    found = list(no_cycles(tree))
    assert len(found) == 20000 and all(key == ("previous_sibling",) for _rel, key, _message in found)
    # each message names a few of the cycle's nodes and how many there are, not all 20,000
    assert all(len(message) < 300 and "(20000 nodes in all)" in message for _rel, _key, message in found)


def test_a_short_cycle_is_named_in_full():
    nodes = [NodeFacts(f"dialog_nodes/{i}.yaml", f"n{i}", None, f"n{(i - 1) % 3}") for i in range(3)]
    (message,) = {message for _rel, _key, message in no_cycles(Tree(nodes, [n.rel for n in nodes]))}
    assert "(n0 -> n1 -> n2)" in message
