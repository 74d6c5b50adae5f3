"""pipeline's pull and push: what they leave of the interpreter's state behind them."""

from __future__ import annotations

import copy
import gc
import os
import shutil
import weakref
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit import pipeline
from assistantgit.errors import InputError
from assistantgit.pipeline import pull_file
from assistantgit.uploadstream import Unconverted
from testing.paths import SAMPLE_DIALOG, SAMPLE_REPO, corpus_files
from testing.profile import examples, sweep


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


# -- the upload written piece by piece against the whole export's fill and upload_bytes ---------------

_texts = st.one_of(
    st.text(alphabet=st.sampled_from('aé😀\ud800\x7f"\\'), max_size=4),
    st.sampled_from(["${ASSISTANTGIT_TEXT}", "${ASSISTANTGIT_COUNT:number}", "${ASSISTANTGIT_UNSET}", "${lower}"]),
)
_exports = st.recursive(
    st.one_of(_texts, st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none()),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_texts, children, max_size=4)),
    max_leaves=50,
)
_environments = st.fixed_dictionaries(
    {},
    optional={
        "ASSISTANTGIT_TEXT": st.sampled_from(["é😀", "\udc80", "plain"]),
        "ASSISTANTGIT_COUNT": st.sampled_from(["12", "1.5", "NaN", "twelve"]),
        "ASSISTANTGIT_UNSET": st.just("set after all"),
    },
)


def _whole_push(export, root) -> tuple[bytes, int] | str:
    """What push wrote before the upload was streamed: the whole export serialized, then,
    when it may hold a placeholder, filled as a whole and serialized again."""
    from assistantgit.exportjson import upload_bytes
    from assistantgit.local_secrets import values_for
    from assistantgit.secrets import fill, may_hold_placeholders, placeholders

    try:
        content = upload_bytes(export, "out.json")
        if not may_hold_placeholders(content):
            return content, 0
        return upload_bytes(fill(export, root, values_for(root)), "out.json"), len(placeholders(export))
    except InputError as error:
        return str(error)


def _streamed_push(export, root) -> tuple[bytes, int] | str:
    try:
        return pipeline.filled_upload(export, root, "out.json")
    except InputError as error:
        return str(error)


@settings(max_examples=examples(300), deadline=None)
@given(st.dictionaries(_texts, _exports, max_size=5), _environments)
def test_the_streamed_upload_is_the_whole_exports_upload(export, environment):
    """Same bytes, same count of secrets, same refusal (an unset placeholder, a variable that
    is not a number, NaN) as filling the whole export and serializing it."""
    root = SAMPLE_REPO / "no-such-tree"  # no local store: the environment fills the placeholders
    with mock.patch.dict(os.environ, environment):
        for name in {"ASSISTANTGIT_TEXT", "ASSISTANTGIT_COUNT", "ASSISTANTGIT_UNSET"} - set(environment):
            os.environ.pop(name, None)
        expected = _whole_push(copy.deepcopy(export), root)
        assert _streamed_push(export, root) == expected


def test_a_sample_trees_streamed_upload_is_its_whole_upload():
    _fmt, export = pipeline.build_export(SAMPLE_REPO / "dialog-skill")
    expected = _whole_push(copy.deepcopy(export), SAMPLE_REPO)
    assert pipeline.filled_upload(export, SAMPLE_REPO, "out.json") == expected
    assert export["intents"] and all(item is None for item in export["intents"])  # emptied as it was written


def test_the_refusal_rules_keep_nothing_of_the_tree_once_they_ran():
    """The rules' shared helpers cache their answers per tree; kept past the run, they held
    the validated tree, and through it every file push had parsed (issue 14)."""
    from assistantgit.validate._tree import Tree

    def trees() -> weakref.WeakSet:
        gc.collect()  # a tree of an earlier test left to the collector is not what this is about
        return weakref.WeakSet(thing for thing in gc.get_objects() if isinstance(thing, Tree))

    for tree in ("dialog-skill", "actions-skill"):
        before = trees()
        pipeline.build_export(SAMPLE_REPO / tree)
        assert not [thing for thing in trees() if thing not in before]


def _uploads_agree(tree) -> None:
    """The upload push --out writes (items converted as they are written) is the whole
    export's upload, converted when assembled."""
    _fmt, whole = pipeline.build_export(tree)
    expected = _whole_push(whole, tree)
    _fmt, export = pipeline.build_export(tree, convert_when_written=True)
    workspace = export["workspace"] if isinstance(export.get("workspace"), dict) else export
    items = [item for array in ("intents", "entities") for item in workspace.get(array) or []]
    if any(Path(tree, folder).is_dir() and any(Path(tree, folder).iterdir()) for folder in ("intents", "entities")):
        assert any(type(item) is Unconverted for item in items)  # converted only when written
    assert pipeline.filled_upload(export, tree, "out.json") == expected


@pytest.mark.parametrize("tree", ["dialog-skill", "dialog-skill-fr", "actions-skill"])
def test_items_converted_when_written_make_the_same_upload(tree):
    _uploads_agree(SAMPLE_REPO / tree)


@pytest.mark.parametrize("export", sweep(corpus_files("dialog") + corpus_files("actions")))
def test_items_converted_when_written_make_the_same_upload_of_every_corpus_skill(export, tmp_path):
    pull_file(export, tmp_path / "tree")
    _uploads_agree(tmp_path / "tree")


def test_the_refusal_rules_do_not_normalize_examples(monkeypatch, tmp_path):
    """Only AG5xx compare examples, and push runs AG1xx-AG3xx: the normalized examples of a
    100 MB skill were ~110 MB of push's peak. A duplicate intent is still refused (AG105
    reads the intents' facts), and validate still compares examples."""
    from assistantgit.validate import _tree, validate

    made: list = []
    real = _tree.example_keys
    monkeypatch.setattr(_tree, "example_keys", lambda texts: made.append(texts) or real(texts))
    tree = tmp_path / "tree"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", tree)
    pipeline.build_export(tree)
    assert not made
    intent = next((tree / "intents").iterdir())
    shutil.copy(intent, tree / "intents" / "zz_copy.yaml")
    with pytest.raises(InputError, match="AG105"):
        pipeline.build_export(tree)
    assert not made
    validate([], tree)
    assert made


def test_the_refusal_rules_keep_no_examples_in_the_intents_facts(monkeypatch):
    """AG105 and the references need the intents' names and files only: a 100 MB skill's
    example lists were ~9 MB of push's peak."""
    from assistantgit.validate import _tree

    seen: list = []
    real = _tree.Tree.of.__func__  # type: ignore[attr-defined]

    def remembered(cls, opened):
        tree = real(cls, opened)
        seen.append(tree)
        return tree

    monkeypatch.setattr(_tree.Tree, "of", classmethod(remembered))
    pipeline.build_export(SAMPLE_REPO / "dialog-skill")
    facts = [examples for places in seen[0].intents.values() for _rel, examples in places]
    assert facts and all(examples == () for examples in facts)
