"""A git tree's files as `diff` lists them: one `git ls-tree` run, the same answer as
gitpython's walk (paths, modes and ids), links and non-ASCII names included."""

from __future__ import annotations

import os

import pytest

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


def _seen(obj) -> tuple:
    return (obj.type, obj.hexsha)


def test_plain_repo_names_the_objects_gitpython_names(in_git_dir, tmp_path):
    """diff reads revisions through git's own commands (repo.PlainRepo, issue 14): the same
    objects, modes and contents as gitpython for every kind of name diff takes."""
    from assistantgit.git.repo import PlainRepo, open_plain, open_repo, resolve_object
    from testing.git_cli import git

    plain = open_plain(tmp_path / "skill" if (tmp_path / "skill").is_dir() else tmp_path)
    assert isinstance(plain, PlainRepo) and not plain.head.is_valid()  # no commit yet
    assert resolve_object(plain, "HEAD") is None
    (tmp_path / "skill" / "intents").mkdir(parents=True)
    (tmp_path / "skill" / "intents" / "hello.yaml").write_text("intent: hello\n", encoding="utf-8")
    (tmp_path / "skill" / "intents" / "Überweisung ändern.yaml").write_text("intent: x\n", encoding="utf-8")
    (tmp_path / "skill" / "skill.yaml").write_text("format: watson-dialog\n", encoding="utf-8")
    os.symlink("skill.yaml", tmp_path / "skill" / "link.yaml")
    (tmp_path / "export.json").write_text('{"intents": []}', encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one")
    (tmp_path / "skill" / "intents" / "hello.yaml").write_text("intent: hello2\n", encoding="utf-8")
    git(tmp_path, "commit", "-qam", "two")
    git(tmp_path, "tag", "light")
    git(tmp_path, "tag", "-a", "annotated", "-m", "a tag")
    git(tmp_path, "branch", "side", "HEAD~1")
    ours, theirs = open_plain(tmp_path / "skill" / "intents"), open_repo(tmp_path / "skill" / "intents")
    assert ours.head.is_valid() and theirs.head.is_valid()
    assert os.path.realpath(ours.working_tree_dir) == os.path.realpath(theirs.working_tree_dir)
    assert os.path.realpath(ours.git_dir) == os.path.realpath(theirs.git_dir)
    names = ["HEAD", "HEAD~1", "main", "side", "light", "annotated", "HEAD:skill", "HEAD~1:skill/intents"]
    names += ["HEAD:export.json", "side:skill/skill.yaml", "HEAD:skill/link.yaml", f"{ours.rev_parse('HEAD').hexsha}"]
    for unknown in ("nope", "HEAD~9", "HEAD:missing", "-h", "HEAD\nHEAD", ""):
        assert resolve_object(ours, unknown) is None and resolve_object(theirs, unknown) is None, unknown
    for name in names:
        mine, gitpythons = resolve_object(ours, name), resolve_object(theirs, name)
        assert _seen(mine) == _seen(gitpythons), name
        if mine.type == "tag":
            assert _seen(mine.object) == _seen(gitpythons.object)
            mine, gitpythons = mine.object, gitpythons.object
        if mine.type == "commit":
            assert _seen(mine.tree) == _seen(gitpythons.tree)
            mine, gitpythons = mine.tree, gitpythons.tree
        if mine.type == "blob":
            assert mine.data_stream.read() == gitpythons.data_stream.read()
            continue
        for path in ("skill", "skill/intents", "skill/intents/hello.yaml", "skill/link.yaml", "intents", "x/y"):
            try:
                expected = gitpythons / path
            except KeyError:
                with pytest.raises(KeyError):
                    mine / path
                continue
            found = mine / path
            assert (_seen(found), found.mode, found.binsha) == (_seen(expected), expected.mode, expected.binsha)
            if found.type == "blob":
                assert ours.odb.stream(found.binsha).read() == theirs.odb.stream(expected.binsha).read()


def test_plain_repo_outside_a_repository_says_so(tmp_path):
    from assistantgit.errors import InputError
    from assistantgit.git.repo import open_plain

    with pytest.raises(InputError, match="not inside a git repository"):
        open_plain(tmp_path)
