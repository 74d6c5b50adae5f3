"""A whole-tree validate without a parse cache (a CI job's fresh checkout) parses the canonical
files in two processes (tree/fastread.py, Tree.preload_parsed): the findings are those of a
run in one process, on the samples, real trees and trees with bad files planted, and what it
keeps in the parse cache serves the next run as a run in one process would."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from assistantgit import canonical, pipeline
from assistantgit.tree import fastread
from assistantgit.validate import validate
from testing.forking import fork_every_read, reaped
from testing.parsing import age_one_tick, count_parsed
from testing.paths import SAMPLE_REPO, corpus_files
from testing.profile import sweep

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and hasattr(os, "fork")), reason="work is forked on Linux only"
)


def findings(root, monkeypatch, tmp_path, two: bool, children: list, cache: str | None = None) -> list:
    """A whole-tree run's findings, with a new (or the named) cache folder, in two processes or one."""
    folder = tmp_path / (cache or f"cache-{len(os.listdir(tmp_path))}")
    with monkeypatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        if not two:
            patch.setattr(fastread, "MIN_FILES", sys.maxsize)
        found = validate([], root)
    for child, pid in children:
        assert child.pid is None and reaped(pid)
    return found


def assert_same_findings(root, monkeypatch, tmp_path, children) -> None:
    alone = findings(root, monkeypatch, tmp_path, False, children)
    assert children == []
    assert findings(root, monkeypatch, tmp_path, True, children) == alone
    assert len(children) == 1


@pytest.fixture
def children(monkeypatch) -> list:
    return fork_every_read(monkeypatch)


@pytest.mark.parametrize("name", ["dialog-skill", "actions-skill", "dialog-skill-fr"])
def test_a_sample_finds_the_same_in_one_process_and_in_two(name, tmp_path, monkeypatch, children):
    assert_same_findings(SAMPLE_REPO / name, monkeypatch, tmp_path, children)


@pytest.mark.parametrize("export", sweep(corpus_files("dialog") + corpus_files("actions")) or [None])
def test_a_real_tree_finds_the_same_in_one_process_and_in_two(export, tmp_path, monkeypatch, children):
    if export is None:
        pytest.skip("the shared corpus of real exports is not present (../shared/corpus)")
    pipeline.pull_file(export, tmp_path / "tree")
    assert_same_findings(tmp_path / "tree", monkeypatch, tmp_path, children)


def planted(tmp_path):
    """The dialog sample with findings in files parsed either way: a duplicate example and a
    line in another style (AG501, AG701), a file ruamel.yaml refuses, one not UTF-8."""
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    intents = sorted((root / "intents").iterdir())
    first = intents[0].read_text(encoding="utf-8")
    intents[0].write_text(first + "  - 'hello'\n", encoding="utf-8")
    last = canonical.loads(intents[-1].read_text(encoding="utf-8"))
    intents[-1].write_text(canonical.dumps({**last, "examples": last["examples"] * 2}), encoding="utf-8")
    (root / "intents" / "broken.yaml").write_text("intent: [unclosed\n", encoding="utf-8")
    (root / "entities" / "latin1.yaml").write_bytes(b"entity: caf\xe9\n")
    node = sorted((root / "dialog_nodes").iterdir())[3]
    data = canonical.loads(node.read_text(encoding="utf-8"))
    node.write_text(canonical.dumps({**data, "title": ["a", "list"]}), encoding="utf-8")  # a wrong type (AG103)
    return root


def test_planted_findings_are_the_same_in_one_process_and_in_two(tmp_path, monkeypatch, children):
    root = planted(tmp_path)
    alone = findings(root, monkeypatch, tmp_path, False, children)
    assert {"AG101", "AG103", "AG501", "AG701"} <= {finding.rule for finding in alone}
    assert findings(root, monkeypatch, tmp_path, True, children) == alone
    assert len(children) == 1


def test_what_a_run_in_two_processes_keeps_serves_the_next_run(tmp_path, monkeypatch, children):
    root = planted(tmp_path)
    age_one_tick()
    first = findings(root, monkeypatch, tmp_path, True, children, cache="kept")
    parsed = count_parsed(monkeypatch)  # (in this process: the next run forks no child)
    assert findings(root, monkeypatch, tmp_path, True, children, cache="kept") == first
    skill_files = {
        p.read_text(encoding="utf-8", errors="replace")
        for p in root.glob("*/*.yaml")
        if p.parent.name != "conversations"
    }
    canonical_files = [text for text in skill_files if canonical.is_canonical(text)]
    assert canonical_files and not set(canonical_files).intersection(parsed)  # all taken from the cache
    assert findings(root, monkeypatch, tmp_path, False, children) == first


def test_a_text_that_is_not_text_is_not_taken(tmp_path, monkeypatch, children):
    batches = fastread._batches

    def as_bytes(paths, texts):
        for first, answers in batches(paths, texts):
            yield first, [(answer[0].encode(), answer[1]) if answer else answer for answer in answers]

    monkeypatch.setattr(fastread, "_batches", as_bytes)
    assert_same_findings(planted(tmp_path), monkeypatch, tmp_path, children)
