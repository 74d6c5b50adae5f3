"""The order of dialog nodes: the walk that only places (dialog._tree_order) against the walk
that checks each link as it goes (dialog._ordered_or_refused), on real and made-up trees."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit.errors import InputError
from assistantgit.formats.watson.dialog import _ordered_or_refused, _tree_order, order_dialog_nodes
from testing.paths import SAMPLE_REPO, corpus_cases
from testing.profile import examples


def outcome(order, nodes: list):
    """The ids in the order `order` gives, or its refusal with the place it names (a list
    as a link fails both walks alike: no such tree passes push's refusal rules)."""
    try:
        return [node["dialog_node"] for node in order(nodes)]
    except InputError as error:
        return str(error), error.path, getattr(error, "key_path", None)
    except TypeError as error:
        return str(error)


@st.composite
def trees(draw) -> list:
    """A tree of nodes in any order (children and siblings in the order drawn), then maybe
    broken: a link changed (to another node, to nothing, to a missing id, to a list), a place
    taken twice, a link dropped. (Two nodes with one id: collection.assemble refuses them first.)"""
    count = draw(st.integers(0, 12))
    nodes: list = []
    last_child: dict = {}
    for index in range(count):
        parent = draw(st.sampled_from([None] + [n["dialog_node"] for n in nodes]))
        node = {"dialog_node": f"n{index}", "parent": parent, "previous_sibling": last_child.get(parent)}
        last_child[parent] = node["dialog_node"]
        nodes.append(node)
    links = st.sampled_from([None, "missing", ["n0"], *[n["dialog_node"] for n in nodes]])
    for _change in range(draw(st.integers(0, 2))):
        if not nodes:
            break
        node = draw(st.sampled_from(nodes))
        change = draw(st.sampled_from(["parent", "previous_sibling", "repeat", "drop"]))
        if change == "repeat":
            nodes.append(dict(node, dialog_node=f"n{len(nodes)}"))
        elif change == "drop":
            node.pop(draw(st.sampled_from(["parent", "previous_sibling"])), None)
        else:
            node[change] = draw(links)
    return draw(st.permutations(nodes))


@settings(max_examples=examples(3000), deadline=None)
@given(trees())
def test_the_fast_order_is_the_checked_order_or_declines(nodes):
    expected = outcome(lambda nodes: _ordered_or_refused(nodes, None), nodes)
    fast = _tree_order(nodes)
    if isinstance(expected, list):  # every tree the checked walk orders, the fast one orders the same
        assert fast is not None and [node["dialog_node"] for node in fast] == expected
    else:
        assert fast is None
    assert outcome(order_dialog_nodes, nodes) == expected


def _nodes_of(export: dict) -> list:
    workspace = export["workspace"] if isinstance(export.get("workspace"), dict) else export
    return workspace.get("dialog_nodes") or []


@pytest.mark.parametrize("path", corpus_cases("dialog"))
def test_every_corpus_skill_is_ordered_the_same_either_way(path):
    nodes = _nodes_of(json.loads(path.read_text(encoding="utf-8-sig")))
    random.Random(14).shuffle(nodes)
    fast = _tree_order(nodes)
    assert fast is not None and fast == _ordered_or_refused(nodes, None)


def test_the_sample_skill_is_ordered_the_same_either_way():
    nodes = _nodes_of(json.loads((SAMPLE_REPO / "exports" / "customer-care-dialog.json").read_text()))
    assert len(nodes) > 10
    for seed in range(5):
        random.Random(seed).shuffle(nodes)
        assert _tree_order(nodes) == _ordered_or_refused(nodes, None)


@pytest.mark.parametrize("link", [None, "a", "b"])
def test_two_nodes_with_one_id_are_left_to_the_checked_walk(link):
    """The fast walk relies on unique ids (a node placed twice would place its children
    twice, or loop): with a repeated id, in whatever place, it declines."""
    nodes = [{"dialog_node": "a"}, {"dialog_node": "b", "previous_sibling": "a"}]
    nodes.append({"dialog_node": "a", "previous_sibling": link, "parent": "b" if link is None else None})
    assert _tree_order(nodes) is None
    assert _tree_order([{"dialog_node": None}]) is None


@pytest.mark.parametrize(
    "nodes", [[{"title": "no id"}], [["a list"]], [{"dialog_node": ["a"]}], [{"dialog_node": "a", "parent": {}}]]
)
def test_a_node_of_the_wrong_shape_is_left_to_the_checking_walk(nodes):
    """No error of the fast walk's own: what happens is what the checking walk does."""
    assert _tree_order(nodes) is None
