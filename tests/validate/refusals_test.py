"""push's refusals take the files push already read and checked: AG103 skips the field
check only for data push checked against the very shape AG103 would use."""

from __future__ import annotations

from assistantgit.formats.watson.common import FIELD_SHAPES
from assistantgit.pipeline import pull_file, read_tree
from assistantgit.validate import refusals
from testing.paths import SAMPLE_REPO

DIALOG = SAMPLE_REPO / "exports" / "customer-care-dialog.json"


def _tree(tmp_path):
    root = tmp_path / "skill"
    pull_file(DIALOG, root)
    return root


def test_push_read_records_the_shape_of_every_file_ag103_checks(tmp_path):
    root = _tree(tmp_path)
    fitted: dict = {}
    _fmt, files = read_tree(root, None, fitted)
    kinds = {"skill.yaml": "skill"} | {rel: rel.split("/", 1)[0] for rel in files if "/" in rel}
    assert kinds and all(fitted[rel] is FIELD_SHAPES[kind] for rel, kind in kinds.items() if kind in FIELD_SHAPES)
    assert refusals(root, files, fitted) == []


def test_ag103_checks_data_that_was_fitted_to_another_shape_or_none(tmp_path):
    root = _tree(tmp_path)
    rel = "intents/wrong.yaml"
    (root / rel).write_text("intent: wrong\ndescription:\n  - a list\nexamples:\n  - hi\n", encoding="utf-8")
    data = {"intent": "wrong", "description": ["a list"], "examples": ["hi"]}
    other = {"intent": FIELD_SHAPES["intents"]["intent"]}  # a shape that does not look at description
    for fitted in (None, {}, {rel: other}):
        found = refusals(root, {rel: data}, fitted)
        assert [(f.rule, f.line) for f in found] == [("AG103", 2)], fitted
    # the same shape object: push's read loop checked it already (it refuses such a file itself)
    assert refusals(root, {rel: data}, {rel: FIELD_SHAPES["intents"]}) == []


def test_a_whole_tree_run_lists_the_files_of_a_kind_as_the_plain_listing_does(tmp_path):
    """Tree indexes the files of each kind once; a whole-tree run (push's refusals) uses the
    index of its selection, every file, for the index of all files: the same lists."""
    from assistantgit.tree.source import SourceTree, open_tree
    from assistantgit.validate._tree import Tree

    root = _tree(tmp_path)
    (root / "intents" / "notes.txt").write_text("not an item\n", encoding="utf-8")
    for paths in ([], [root / "intents"], [root / "skill.yaml", root / "dialog_nodes"]):
        tree = Tree.of(open_tree(paths, root))
        kinds = {source.kind for source in tree.files.values()} | {"nothing"}
        assert len(kinds) > 3
        for kind in sorted(kinds):
            for selected_only in (False, True):
                plain = SourceTree.of_kind(tree, kind, selected_only)
                assert tree.of_kind(kind, selected_only) == plain, (paths, kind, selected_only)

    # and the YAML files as the plain listing gives them, with files of every kind among them
    from assistantgit.tree.source import SourceFile

    for paths in ([], [root / "intents"]):
        tree = Tree.of(open_tree(paths, root))
        for rel, kind in (("a/x.json", "bytes"), ("intents/b.yaml", "other"), ("zz/c.yaml", "other")):
            tree.files[rel] = SourceFile(rel, str(root / rel), kind)
            tree.selected = sorted([*tree.selected, rel])
        for known_only in (False, True):
            assert tree.yaml_selected(known_only) == SourceTree.yaml_selected(tree, known_only), (paths, known_only)


def test_a_whole_tree_run_reads_the_node_facts_the_general_gathering_reads(tmp_path):
    """A whole-tree run (push's refusals) takes each node's facts from its data in one loop:
    the same facts, and the same unreadable files, as Tree._facts gathers file by file."""
    from dataclasses import astuple

    from assistantgit.tree.source import open_tree
    from assistantgit.validate._scan import scan_node
    from assistantgit.validate._tree import Tree

    root = _tree(tmp_path)
    nodes = root / "dialog_nodes"
    (nodes / "broken.yaml").write_text("dialog_node: [unclosed\n", encoding="utf-8")
    (nodes / "a-list.yaml").write_text("- dialog_node: x\n", encoding="utf-8")
    (nodes / "odd-types.yaml").write_text("dialog_node: 7\nparent: [p]\nnext_step: jump\n", encoding="utf-8")
    (nodes / "jump.yaml").write_text(
        "dialog_node: j\nprevious_sibling: x\nnext_step:\n  behavior: jump_to\n  dialog_node: 3\n", encoding="utf-8"
    )
    quick, general = Tree.of(open_tree([], root)), Tree.of(open_tree([], root))
    gathered = []
    for source, facts in general._facts("dialog_nodes", scan_node):
        facts.rel = source.rel
        gathered.append(facts)
    assert len(quick.nodes) > 10
    assert [astuple(f) for f in quick.nodes] == [astuple(f) for f in gathered]
    assert quick.incomplete("dialog_nodes") and general.incomplete("dialog_nodes")
