"""A pull's staging folder can arrive in a pull request like any file (git add -f): the
journal in it is untrusted input (issue 11), read by the next command that opens the tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from assistantgit.tree import STAGING_PREFIX
from testing.paths import SAMPLE_REPO

PLAN = {"moves": [], "existing": [], "deletes": [], "fresh": [], "folders": [], "made": []}


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    staging = root / (STAGING_PREFIX + "planted")
    (staging / "new").mkdir(parents=True)
    return root


def validate(tree):
    """validate in a real process, with a time limit: a journal that is a FIFO hung it."""
    return subprocess.run(
        [sys.executable, "-m", "assistantgit", "validate", "--dir", str(tree)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize("name", [".git", ".GIT", ".Git"])
def test_a_journal_never_deletes_or_moves_into_git_s_own_folder(tree, name):
    """Before: `deletes: [.git/HEAD]` (or a move of a staged hook into .git/hooks) was carried
    out by the next command, in a tree at a repository's root."""
    git_file = tree / name / "HEAD"
    git_file.parent.mkdir()
    git_file.write_text("ref: refs/heads/main\n", encoding="utf-8")
    journal = tree / (STAGING_PREFIX + "planted") / "journal.json"
    plan = {**PLAN, "deletes": [f"{name}/HEAD"]}
    journal.write_text(json.dumps({"version": 1, "direction": "forward", **plan}), encoding="utf-8")
    result = validate(tree)
    assert result.returncode == 2, result.stderr
    assert "not a list of paths inside the tree" in result.stderr
    assert git_file.read_text(encoding="utf-8") == "ref: refs/heads/main\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and links")
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_journal_that_is_not_a_regular_file_is_refused_in_one_line(tree, kind):
    """Before: a FIFO as journal.json hung every command on the tree; a link to /dev/zero
    read until memory ran out."""
    journal = tree / (STAGING_PREFIX + "planted") / "journal.json"
    if kind == "fifo":
        os.mkfifo(journal)
    else:
        journal.symlink_to("/dev/zero")
    result = validate(tree)
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {journal}: is a "), line
