"""push takes the data of files unchanged since an earlier push (or a whole-tree validate)
from their shared parse cache, keyed as git's index keys files: the upload stays the same
bytes, and a changed file is always read again, even one that keeps its size and
modification time, one that is a new file on a reused inode, and one changed within the
timestamp tick of the cache's writing (git's "racy" rule)."""

from __future__ import annotations

import os
import shutil
import time
from types import SimpleNamespace

import pytest

from assistantgit.pipeline import push_file
from assistantgit.validate import validate
from testing.parsing import age_one_tick, count_parsed
from testing.paths import SAMPLE_REPO

GREETING = "intents/greeting.yaml"


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    shutil.rmtree(root / "conversations", ignore_errors=True)
    age_one_tick()
    return root


@pytest.fixture
def parsed(monkeypatch) -> list:
    """The texts the fast reader parses (every canonical file not taken from the cache)."""
    return count_parsed(monkeypatch)


def pushed(root, out) -> bytes:
    push_file(root, out, force=True)
    return out.read_bytes()


def same_size_edit(root, old: str, new: str, keep_mtime: bool = True) -> None:
    path = root / GREETING
    text = path.read_text(encoding="utf-8")
    assert len(old) == len(new) and old in text
    before = path.stat()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def pushed_twice(root, tmp_path) -> bytes:
    """The first push of a tree leaves an empty cache file (a CI checkout is pushed once), the
    second keeps what it parsed."""
    pushed(root, tmp_path / "first.json")
    return pushed(root, tmp_path / "second.json")


def test_a_tree_pushed_again_is_not_parsed_again_and_gives_the_same_bytes(tree, tmp_path, parsed, private_cache):
    first = pushed(tree, tmp_path / "first.json")
    (kept,) = (private_cache / "assistantgit" / "validate").glob("*-parsed-*.marshal")
    assert kept.stat().st_size < 100  # nothing kept by a first push
    count = len(parsed)
    assert count > 20
    parsed.clear()
    assert pushed(tree, tmp_path / "second.json") == first
    assert len(parsed) == count
    parsed.clear()
    assert pushed(tree, tmp_path / "third.json") == first
    assert parsed == []


def test_an_edit_keeping_size_and_mtime_is_read_again(tree, tmp_path, parsed):
    pushed_twice(tree, tmp_path)
    same_size_edit(tree, "intent: greeting", "intent: greetinG")
    parsed.clear()
    after = pushed(tree, tmp_path / "after.json")
    assert b'"intent":"greetinG"' in after
    assert len(parsed) == 1


def test_a_new_file_on_a_reused_inode_is_read_again(tree, tmp_path, parsed):
    pushed_twice(tree, tmp_path)
    path = tree / GREETING
    text, before = path.read_text(encoding="utf-8"), path.stat()
    for _attempt in range(20):  # file systems hand a freed inode to the next new file, mostly
        path.unlink()
        path.write_text(text.replace("intent: greeting", "intent: greetinG", 1), encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        if path.stat().st_ino == before.st_ino:
            break
    parsed.clear()
    assert b'"intent":"greetinG"' in pushed(tree, tmp_path / "after.json")


def test_a_file_changed_within_the_tick_of_the_cache_write_is_read_again(tree, tmp_path, parsed, monkeypatch):
    """A file system keeping whole seconds (FAT, HFS+, ext3), simulated: every file of the tree
    shows one stamp, so an edit after the first push leaves the greeting's stamp as it was."""
    pushed(tree, tmp_path / "first.json")  # leaves the empty cache file
    second = time.time_ns() // 1_000_000_000 * 1_000_000_000
    real = os.lstat

    def whole_seconds(path, *args, **kwargs):
        info = real(path, *args, **kwargs)
        if not str(path).startswith(str(tree)):
            return info
        return SimpleNamespace(
            st_mode=info.st_mode, st_size=info.st_size, st_ino=info.st_ino, st_mtime_ns=second, st_ctime_ns=second
        )

    monkeypatch.setattr(os, "lstat", whole_seconds)
    pushed(tree, tmp_path / "second.json")  # keeps the data, written within the stamps' second
    same_size_edit(tree, "intent: greeting", "intent: greetinG")
    assert b'"intent":"greetinG"' in pushed(tree, tmp_path / "after.json")


def test_validate_and_push_share_the_parse_cache(tree, tmp_path, parsed):
    assert not [f for f in validate([], tree) if f.rule == "AG401"]
    skill_files = {p.read_text(encoding="utf-8") for p in tree.glob("*/*.yaml")}
    parsed.clear()
    pushed(tree, tmp_path / "out.json")
    assert not skill_files.intersection(parsed)  # the whole-tree validate kept them
    same_size_edit(tree, "intent: greeting", "intent: greetinG")
    pushed(tree, tmp_path / "again.json")
    parsed.clear()
    assert [f.rule for f in validate([], tree) if "greeting" in f.message] == ["AG401"]  # the edit is seen
    assert not skill_files.intersection(parsed) and len(parsed) <= 1  # push kept what it parsed


def test_a_tree_folder_made_again_starts_a_new_cache(tree, tmp_path, private_cache):
    """A fresh checkout or a pull into a removed folder holds only new files: its first push
    neither loads nor keeps the old folder's data, and the old folder's file goes."""
    first = pushed_twice(tree, tmp_path)
    caches = private_cache / "assistantgit" / "validate"
    (old,) = caches.glob("*-parsed-*.marshal")
    assert old.stat().st_size > 1000
    shutil.rmtree(tree)
    shutil.copytree(SAMPLE_REPO / "dialog-skill", tree)
    shutil.rmtree(tree / "conversations", ignore_errors=True)
    assert pushed(tree, tmp_path / "again.json") == first
    (new,) = caches.glob("*-parsed-*.marshal")
    assert new.name != old.name and new.stat().st_size < 100
