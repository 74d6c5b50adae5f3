"""tree/source.py: opening a tree and asking for its files by kind."""

from __future__ import annotations

from assistantgit.tree.source import open_tree
from testing.paths import SAMPLE_REPO


def naive_of_kind(tree, kind, selected_only=True):
    rels = tree.selected if selected_only else sorted(tree.files)
    return [tree.files[r] for r in rels if r in tree.files and tree.files[r].kind == kind]


def test_files_by_kind_are_those_a_walk_over_the_tree_finds():
    """of_kind answers from an index made once (a fast path): the same files in the same
    order as walking the tree each time, also after `selected` was replaced."""
    root = SAMPLE_REPO / "dialog-skill"
    tree = open_tree([root / "intents"], root)
    kinds = {source.kind for source in tree.files.values()} | {"nothing"}
    assert len(kinds) > 4
    for selected_only in (True, False):
        for kind in kinds:
            assert tree.of_kind(kind, selected_only) == naive_of_kind(tree, kind, selected_only)
    assert tree.of_kind("intents") and not tree.of_kind("dialog_nodes")
    tree.selected = sorted(tree.files)
    assert tree.of_kind("dialog_nodes") == naive_of_kind(tree, "dialog_nodes")
    tree.of_kind("intents").clear()  # a caller's list is its own
    assert tree.of_kind("intents") == naive_of_kind(tree, "intents")
