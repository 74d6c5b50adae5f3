"""tree/temporary.py stands in for tempfile.mkstemp and mkdtemp: a new name every time, the
user's own mode, and never a file or link that was there before (a tree is untrusted)."""

from __future__ import annotations

import os
import stat

import pytest

from assistantgit.tree import temporary
from assistantgit.tree.temporary import new_private_file, new_private_folder


@pytest.fixture
def names(monkeypatch):
    """The random parts the functions will draw, in order."""
    drawn = iter(["aaaa", "bbbb", "cccc"])
    monkeypatch.setattr(temporary, "_random_part", lambda: next(drawn))


def test_a_file_is_new_empty_and_the_users_own(tmp_path):
    handle, path = new_private_file(tmp_path, ".skill.yaml.", ".tmp")
    with os.fdopen(handle, "w+b") as out:
        out.write(b"x")
    assert os.path.dirname(path) == str(tmp_path)
    assert os.path.basename(path).startswith(".skill.yaml.") and path.endswith(".tmp")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    second = new_private_file(tmp_path, ".skill.yaml.", ".tmp")
    os.close(second[0])
    assert second[1] != path


def test_a_planted_link_or_file_is_passed_over_untouched(tmp_path, names):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / ".f.aaaa.tmp").symlink_to(outside)
    (tree / ".f.bbbb.tmp").write_text("planted")
    handle, path = new_private_file(tree, ".f.", ".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(b"new")
    assert path == str(tree / ".f.cccc.tmp")
    assert outside.read_text() == "keep"
    assert (tree / ".f.bbbb.tmp").read_text() == "planted"


def test_a_folder_is_new_and_the_users_own(tmp_path, names):
    (tmp_path / ".stage-aaaa").mkdir()
    (tmp_path / ".stage-bbbb").symlink_to(tmp_path)
    path = new_private_folder(tmp_path, ".stage-")
    assert path == str(tmp_path / ".stage-cccc")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o700
    assert os.listdir(path) == []


def test_no_free_name_is_an_error_not_a_loop(tmp_path, monkeypatch):
    monkeypatch.setattr(temporary, "_random_part", lambda: "same")
    (tmp_path / "x-same").mkdir()
    with pytest.raises(FileExistsError):
        new_private_folder(tmp_path, "x-")
    with pytest.raises(FileExistsError):
        new_private_file(tmp_path, "x-")
