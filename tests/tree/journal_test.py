"""tree/journal.py: a pull killed at any instant leaves the tree exactly old or exactly new
once the next command has run, with no staging folder left (issue 10).

The kill here is exact: a forked child runs write_tree and dies (os._exit, as SIGKILL
would) at its N-th file-system change, for every N, so every instant between two changes
is tried. tests/commands/pull_kill_test.py kills real pull processes with real signals.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistantgit.errors import InputError
from assistantgit.tree import STAGING_PREFIX, Managed, settle, write_tree
from testing.tree_state import staging_left, state

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only (fork)")

MANAGED = [Managed("skill.yaml", is_folder=False), Managed("intents"), Managed("entities"), Managed("dialog_nodes")]
OLD = {
    "skill.yaml": b"format: watson-dialog\nworkspace: {name: old}\n",
    "intents/keep.yaml": b"intent: keep\n",
    "intents/change.yaml": b"intent: change\nexamples: [old]\n",
    "intents/gone.yaml": b"intent: gone\n",
    "intents/deep/gone.yaml": b"intent: deep_gone\n",
    "dialog_nodes/a.yaml": b"dialog_node: a\n",
}
NEW = {
    "skill.yaml": b"format: watson-dialog\nworkspace: {name: new}\n",
    "intents/keep.yaml": b"intent: keep\n",
    "intents/change.yaml": b"intent: change\nexamples: [new]\n",
    "intents/added.yaml": b"intent: added\n",
    "intents/sub/added.yaml": b"intent: sub_added\n",
    "entities/fresh.yaml": b"entity: fresh\n",  # a managed folder the old tree did not have
    "dialog_nodes/b.yaml": b"dialog_node: b\n",
}
UNMANAGED = {"README.md": b"# notes\n", "intents/notes.txt": b"not ours\n"}
MUTATIONS = ("replace", "rename", "link", "unlink", "rmdir", "mkdir", "makedirs")


def fresh_tree(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    write_tree(root, OLD, MANAGED)
    for rel, content in UNMANAGED.items():
        (root / rel).write_bytes(content)


def run_until_change(root: Path, files: dict, n: int) -> bool:
    """Run write_tree in a child that dies at its n-th file-system change; True if it died."""
    pid = os.fork()
    if pid == 0:  # the child: count every change, die at the n-th, as SIGKILL would
        try:
            count = [0]
            for name in MUTATIONS:
                real = getattr(os, name)

                def counted(*args, _real=real, **kwargs):
                    count[0] += 1
                    if count[0] == n:
                        os._exit(17)
                    return _real(*args, **kwargs)

                setattr(os, name, counted)
            write_tree(root, files, MANAGED)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 17


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    root = tmp_path_factory.mktemp("expected") / "skill"
    fresh_tree(root)
    old = state(root)
    write_tree(root, NEW, MANAGED)
    return old, state(root)


@pytest.mark.slow  # hundreds of forked writes killed at each change (~10 s); the tests below run in every run
def test_a_kill_at_every_change_leaves_old_or_new_after_the_next_command(tmp_path, expected):
    old, new = expected
    root = tmp_path / "skill"
    outcomes = []
    for n in range(1, 500):
        fresh_tree(root)
        if not run_until_change(root, NEW, n):
            break  # the pull ran to its end: every instant has been tried
        left = staging_left(root)
        settle(root)  # what the next command does first
        after = state(root)
        assert after in (old, new), f"killed at change {n}: a mixed tree"
        assert not staging_left(root), f"killed at change {n}: staging left behind"
        outcomes.append(("new" if after == new else "old", bool(left)))
    else:
        pytest.fail("the pull never finished")
    assert len(outcomes) > 20
    # Kills before the journal leave the old tree; kills after it, the new one.
    assert ("old", True) in outcomes and ("new", True) in outcomes
    first_new = [o for o, _ in outcomes].index("new")
    assert all(o == "new" for o, _ in outcomes[first_new:])


def test_a_killed_pull_whose_moves_cannot_be_finished_is_undone(tmp_path, expected):
    """The journal says forward, but a folder now stands where a new file goes: the next
    command puts the old tree back instead."""
    old, _new = expected
    root = tmp_path / "skill"
    for n in range(1, 500):
        fresh_tree(root)
        assert run_until_change(root, NEW, n)
        staging = staging_left(root)
        if staging and (staging[0] / "journal.json").exists() and (staging[0] / "new/intents/sub").exists():
            break  # decided, and intents/sub/added.yaml still to move
    else:
        pytest.fail("no kill left a journal with moves to do")
    (root / "intents/sub/added.yaml").mkdir(parents=True)
    (root / "intents/sub/added.yaml/in-the-way.txt").write_bytes(b"x")
    settle(root)
    shutil.rmtree(root / "intents/sub")
    assert state(root) == old
    assert not staging_left(root)


def test_a_staging_folder_is_ignored_by_git_and_removed_by_the_next_command(tmp_path):
    root = tmp_path / "skill"
    for n in range(1, 500):
        fresh_tree(root)
        assert run_until_change(root, NEW, n)
        if any(path.suffix == ".yaml" for folder in staging_left(root) for path in folder.rglob("*")):
            break  # killed with staged files on disk
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    staged = subprocess.run(["git", "diff", "--cached", "--name-only"], cwd=root, capture_output=True, text=True)
    assert "README.md" in staged.stdout and STAGING_PREFIX not in staged.stdout
    settle(root)
    assert not staging_left(root)


def test_a_journal_that_names_paths_outside_the_tree_is_refused(tmp_path):
    """A staging folder can arrive in a pull request like any file: its journal must not move
    anything outside the tree."""
    root = tmp_path / "skill"
    fresh_tree(root)
    outside = tmp_path / "precious.txt"
    outside.write_bytes(b"keep me\n")
    staging = root / (STAGING_PREFIX + "planted")
    (staging / "new").mkdir(parents=True)
    plan = {"moves": [], "existing": [], "deletes": ["../precious.txt"], "fresh": [], "folders": [], "made": []}
    (staging / "journal.json").write_text(json.dumps({"version": 1, "direction": "forward", **plan}))
    before = state(root)
    with pytest.raises(InputError, match="not a list of paths inside the tree"):
        settle(root)
    assert outside.read_bytes() == b"keep me\n"
    assert state(root) == before


def test_a_journal_does_not_move_files_through_a_symbolic_link(tmp_path):
    root = tmp_path / "skill"
    fresh_tree(root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.yaml").write_bytes(b"outside\n")
    (root / "linked").symlink_to(elsewhere)
    staging = root / (STAGING_PREFIX + "planted")
    (staging / "new").mkdir(parents=True)
    plan = {"moves": [], "existing": [], "deletes": ["linked/x.yaml"], "fresh": [], "folders": [], "made": []}
    (staging / "journal.json").write_text(json.dumps({"version": 1, "direction": "forward", **plan}))
    with pytest.raises(InputError, match="symbolic link"):
        settle(root)
    assert (elsewhere / "x.yaml").read_bytes() == b"outside\n"
