"""AG601 on a whole tree decides from the items' JSON sizes (cached per file), as a run on
named files does: the tree is assembled only when that sum comes near the limit."""

from __future__ import annotations

import shutil

import pytest

from assistantgit.tree.source import open_tree
from assistantgit.validate import validate
from assistantgit.validate._tree import Tree
from assistantgit.validate.rules import size
from testing.paths import SAMPLE_REPO


@pytest.mark.parametrize("name", ["dialog-skill", "actions-skill", "dialog-skill-fr"])
def test_the_sum_of_item_sizes_is_the_assembled_size_within_the_margin(name):
    tree = Tree.of(open_tree([], SAMPLE_REPO / name))
    exact = size.exact_size(tree)
    assert exact is not None
    assert abs(size.estimated_size(tree) - exact) < exact * (1 - size.MARGIN)


def test_a_whole_tree_far_below_the_limit_is_not_assembled(tmp_path, monkeypatch):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)

    def assembled(tree):
        raise AssertionError("assembled a 30 KB tree to learn that it is under 10 MB")

    monkeypatch.setattr(size, "exact_size", assembled)
    assert [f for f in validate([], root) if f.rule == "AG601"] == []


def test_a_whole_tree_near_the_limit_is_assembled(tmp_path, monkeypatch):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    monkeypatch.setattr(size, "MARGIN", 0)  # every sum counts as near the limit
    monkeypatch.setattr(size, "exact_size", lambda tree: 11 * 1048576)
    assert [f.rule for f in validate([], root) if f.rule == "AG601"] == ["AG601"]
