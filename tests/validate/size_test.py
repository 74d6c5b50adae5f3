"""AG601 on a whole tree decides from the items' JSON sizes (cached per file), as a run on
named files does: the tree is assembled only when that sum comes near the limit."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from assistantgit import canonical, forked, pipeline
from assistantgit.tree.source import SourceFile, open_tree
from assistantgit.validate import validate
from assistantgit.validate._tree import Tree
from assistantgit.validate.rules import size
from testing.paths import SAMPLE_REPO, corpus_files
from testing.profile import sweep


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


def _parsed_sizes(tree) -> dict:
    """Each file's size as AG601 measured it before it counted on the text: parsed, from_source, json.dumps."""
    sizes = {}
    for rel, source in tree.files.items():
        if source.kind == "bytes":
            continue
        data = source.load()
        collection = tree.folders.get(source.kind)
        if collection is not None and isinstance(data, dict):
            data = collection.from_source(data)
        sizes[rel] = size._json_size(data) + 1 if source.error is None else None
    return sizes


def _counted_sizes(tree) -> dict:
    return {
        rel: size.counted_size(source, tree.folders.get(source.kind))
        for rel, source in tree.files.items()
        if source.kind != "bytes"
    }


def _assert_counted_as_parsed(root) -> None:
    counted = _counted_sizes(Tree.of(open_tree([], root)))
    parsed = _parsed_sizes(Tree.of(open_tree([], root)))
    assert any(value is not None for value in counted.values())
    for rel, value in counted.items():
        assert value is None or value == parsed[rel], rel


@pytest.mark.parametrize("name", ["dialog-skill", "actions-skill", "dialog-skill-fr"])
def test_an_item_counted_on_its_text_measures_what_its_parsed_data_measures(name):
    _assert_counted_as_parsed(SAMPLE_REPO / name)


@pytest.mark.parametrize("export", sweep(corpus_files("dialog") + corpus_files("actions")) or [None])
def test_the_items_of_a_real_tree_counted_on_their_text_measure_what_their_data_measures(export, tmp_path):
    if export is None:
        pytest.skip("the shared corpus of real exports is not present (../shared/corpus)")
    pipeline.pull_file(export, tmp_path / "tree")
    _assert_counted_as_parsed(tmp_path / "tree")


def test_an_intent_or_entity_whose_from_source_changes_its_size_is_counted_right(tmp_path):
    """intent_from_source wraps text examples ({"text": ...}); entity_to_source drops a value's
    audit fields: the count adds the first, and declines (the file is parsed) for the second."""
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    entity = root / "entities" / "confirmation.yaml"
    data = canonical.loads(entity.read_text(encoding="utf-8"))
    data["values"][0]["created"] = "2020-01-01T00:00:00.000Z"
    entity.write_text(canonical.dumps(data), encoding="utf-8")
    intent = next(path for path in sorted((root / "intents").iterdir()) if "\n  - " in path.read_text(encoding="utf-8"))
    tree = Tree.of(open_tree([], root))
    counted, parsed = _counted_sizes(tree), _parsed_sizes(Tree.of(open_tree([], root)))
    rel = f"entities/{entity.name}"
    assert counted[rel] is None and parsed[rel] is not None
    assert counted[f"intents/{intent.name}"] == parsed[f"intents/{intent.name}"]


def test_a_run_on_named_files_does_not_parse_the_others_to_measure_them(tmp_path, monkeypatch):
    """A commit hook names a file of a tree of thousands: AG601 counts the others on their text."""
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    named = sorted((root / "intents").iterdir())[0]
    loaded = []
    load = SourceFile.load

    def recorded(self):
        loaded.append(self.rel)
        return load(self)

    monkeypatch.setattr(SourceFile, "load", recorded)
    assert validate([named], root, select=["AG601"]) == []
    assert set(loaded) <= {f"intents/{named.name}"}


# -- a run on named files measures the other files in a child (rules/size.count_ahead) ----------
forks = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and hasattr(os, "fork")), reason="work is forked on Linux only"
)


@pytest.fixture
def in_child(monkeypatch):
    """Every run on named files measures the other files in a child, however few."""
    monkeypatch.setattr(forked, "usable", lambda: True)
    monkeypatch.setattr(size, "AHEAD_FILES", 1)


def _first_intent(root):
    """A file a commit hook could name: the first intent, or the first file in a folder."""
    if (root / "intents").is_dir():
        return sorted((root / "intents").iterdir())[0]
    return root / min(rel for rel in open_tree([], root).files if "/" in rel)


def _counted_ahead(tree):
    """count_ahead started for the tree, its child done (all its answers in the pipe)."""
    counting = size.count_ahead(tree)
    assert counting is not None
    os.waitid(os.P_PID, counting.ahead.pid, os.WEXITED | os.WNOWAIT)
    tree.prepared["AG601"] = counting
    return counting


def _assert_child_measures_as_parsed(root, monkeypatch) -> None:
    tree = Tree.of(open_tree([_first_intent(root)], root))
    counting = _counted_ahead(tree)
    in_parent = []
    monkeypatch.setattr(size, "measured", lambda tree, source: in_parent.append(source.rel))
    taken = size._taken(tree)
    assert in_parent == []  # the child was done: every answer is its own
    parsed = _parsed_sizes(Tree.of(open_tree([], root)))
    assert sorted(taken) == sorted(source.rel for source in counting.todo)
    for rel, value in taken.items():
        assert value == parsed[rel], rel


@forks
@pytest.mark.parametrize("name", ["dialog-skill", "actions-skill", "dialog-skill-fr"])
def test_the_sizes_a_child_measures_are_what_the_parsed_data_measures(name, in_child, monkeypatch):
    _assert_child_measures_as_parsed(SAMPLE_REPO / name, monkeypatch)


@forks
@pytest.mark.parametrize("export", sweep(corpus_files("dialog") + corpus_files("actions")) or [None])
def test_the_sizes_a_child_measures_on_a_real_tree_are_what_its_data_measures(export, tmp_path, in_child, monkeypatch):
    if export is None:
        pytest.skip("the shared corpus of real exports is not present (../shared/corpus)")
    pipeline.pull_file(export, tmp_path / "tree")
    _assert_child_measures_as_parsed(tmp_path / "tree", monkeypatch)


@forks
def test_a_run_that_measures_in_a_child_finds_what_a_run_in_one_process_finds(tmp_path, in_child, monkeypatch):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    monkeypatch.setattr(size, "MARGIN", 0)  # every sum counts as near the limit: AG601 is reported
    monkeypatch.setattr(size, "exact_size", lambda tree: 11 * 1048576)
    started = []
    ahead = forked.Ahead
    monkeypatch.setattr(forked, "Ahead", lambda produce: started.append(ahead(produce)) or started[-1])
    forked_findings = validate([_first_intent(root)], root)
    assert len(started) == 1 and started[0].pid is None  # forked, and reaped when the run ended
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-cache"))
    monkeypatch.setattr(forked, "usable", lambda: False)
    assert validate([_first_intent(root)], root) == forked_findings
    assert "AG601" in {finding.rule for finding in forked_findings}


@forks
def test_answers_of_the_wrong_shape_from_the_child_are_not_taken(tmp_path, in_child, monkeypatch):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    expected = size.estimated_size(Tree.of(open_tree([_first_intent(root)], root)))
    parent, measured = os.getpid(), size.measured
    monkeypatch.setattr(size, "measured", lambda tree, source: measured(tree, source) if os.getpid() == parent else -1)
    tree = Tree.of(open_tree([_first_intent(root)], root))
    _counted_ahead(tree)
    assert size.estimated_size(tree) == expected


@forks
def test_a_run_that_cannot_fork_measures_in_one_process(tmp_path, in_child, monkeypatch):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    expected = validate([_first_intent(root)], root)

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-cache"))
    assert size.count_ahead(Tree.of(open_tree([_first_intent(root)], root))) is None
    assert validate([_first_intent(root)], root) == expected


@forks
def test_a_child_measures_only_the_files_whose_size_the_cache_does_not_hold(tmp_path, in_child):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    named = _first_intent(root)
    validate([named], root)  # fills the cache
    assert size.count_ahead(Tree.of(open_tree([named], root))) is None  # nothing left to measure
    changed = root / "entities" / sorted(path.name for path in (root / "entities").iterdir())[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "description: changed\n", encoding="utf-8")
    counting = size.count_ahead(Tree.of(open_tree([named], root)))
    assert counting is not None
    counting.close()
    assert [source.rel for source in counting.todo] == [f"entities/{changed.name}"]
