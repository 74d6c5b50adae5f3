"""A git tree's files as `diff` lists them: one `git ls-tree` run, the same answer as
gitpython's walk (paths, modes and ids), links and non-ASCII names included."""

from __future__ import annotations

import os

from assistantgit.git.repo import list_blobs


def walked(tree) -> set:
    return {
        (obj.path[len(tree.path) + 1 :] if tree.path else obj.path, obj.mode, obj.binsha)
        for obj in tree.traverse(predicate=lambda o, _depth: o.type == "blob")
    }


def test_ls_tree_lists_what_gitpython_walks(in_git_dir, tmp_path):
    (tmp_path / "skill" / "intents").mkdir(parents=True)
    (tmp_path / "skill" / "intents" / "hello.yaml").write_text("intent: hello\n", encoding="utf-8")
    (tmp_path / "skill" / "intents" / "Überweisung ändern.yaml").write_text("intent: x\n", encoding="utf-8")
    (tmp_path / "skill" / "skill.yaml").write_text("format: watson-dialog\n", encoding="utf-8")
    (tmp_path / "skill" / "run.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    os.chmod(tmp_path / "skill" / "run.sh", 0o755)
    os.symlink("skill.yaml", tmp_path / "skill" / "link.yaml")
    (tmp_path / "top.txt").write_text("top\n", encoding="utf-8")
    in_git_dir.git.add("-A")
    in_git_dir.index.commit("one")
    commit = in_git_dir.head.commit
    for tree in (commit.tree, commit.tree / "skill", commit.tree / "skill" / "intents"):
        listed = list_blobs(in_git_dir, tree.hexsha)
        assert listed is not None and len(listed) == len(set(listed))
        assert set(listed) == walked(tree)
    modes = {rel: mode for rel, mode, _ in list_blobs(in_git_dir, (commit.tree / "skill").hexsha)}
    assert modes["link.yaml"] == 0o120000 and modes["run.sh"] == 0o100755


def test_an_unknown_tree_gives_none(in_git_dir):
    assert list_blobs(in_git_dir, "0" * 40) is None
