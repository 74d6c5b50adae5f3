"""pipeline's pull and push: what they leave of the interpreter's state behind them."""

from __future__ import annotations

import gc
import shutil

import pytest

from assistantgit import pipeline
from assistantgit.errors import InputError
from assistantgit.pipeline import pull_file
from testing.paths import SAMPLE_DIALOG, SAMPLE_REPO


def test_a_pull_pauses_the_cycle_collector_and_gives_it_back(tmp_path):
    # pull turns gc off for its bulk work (issue 14); a library caller's gc must be on afterwards,
    # after a failed pull too, and stay off for a caller that had turned it off
    assert gc.isenabled()
    during: list[bool] = []
    pull_file(SAMPLE_DIALOG, tmp_path / "tree", progress=lambda done, total: during.append(gc.isenabled()))
    assert during and not any(during)
    assert gc.isenabled()
    broken = tmp_path / "broken.json"
    broken.write_text('{"intents": [}', encoding="utf-8")
    with pytest.raises(InputError):
        pull_file(broken, tmp_path / "other")
    assert gc.isenabled()
    gc.disable()
    try:
        pull_file(SAMPLE_DIALOG, tmp_path / "tree")
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("broken", [False, True])
def test_building_an_export_leaves_the_cycle_collector_as_it_found_it(enabled, broken, tmp_path):
    """build_export turns the cycle collector off while it reads (a fast path): it must be
    back as it was afterwards, after a refusal too, and nothing may stay frozen."""
    tree = tmp_path / "tree"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", tree)
    if broken:
        node = sorted((tree / "dialog_nodes").iterdir())[0]
        node.write_text(node.read_text(encoding="utf-8").replace("dialog_node:", "dialog_node: [1]\nx:", 1))
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        if broken:
            with pytest.raises(InputError):
                pipeline.build_export(tree)
        else:
            _fmt, export = pipeline.build_export(tree)
            assert export["dialog_nodes"]
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == 0
    finally:
        (gc.enable if was else gc.disable)()


def test_push_walks_the_tree_once_and_its_refusal_rules_judge_that_listing(tmp_path, monkeypatch):
    """push lists the tree and reads it, then the rules that mirror the service's refusals
    judge what it read: they take push's listing (the owned files, and the stray files AG104
    refuses) instead of walking the folders a second time."""
    from assistantgit.tree import files as tree_files
    from assistantgit.tree import source

    tree = tmp_path / "tree"
    pull_file(SAMPLE_DIALOG, tree)
    walks: list = []
    real_walk = tree_files.walk_managed

    def walk(root, managed):
        walks.append(root)
        return real_walk(root, managed)

    for module in (tree_files, source, pipeline):
        monkeypatch.setattr(module, "walk_managed", walk, raising=False)
    pipeline.push_file(tree, tmp_path / "upload.json")
    assert len(walks) == 1
    (tree / "intents" / "notes.txt").write_text("kept here by mistake\n", encoding="utf-8")
    walks.clear()
    with pytest.raises(InputError, match="unknown file in the managed folder 'intents/'"):
        pipeline.push_file(tree, tmp_path / "again.json")
    assert len(walks) == 1
    assert not (tmp_path / "again.json").exists()
