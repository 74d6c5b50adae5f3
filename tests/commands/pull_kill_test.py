"""Real pull processes killed by real signals, and two writers at once (issue 10).

A multi-MB export is pulled over the tree of another export, and the pull is killed by
SIGKILL or SIGTERM at points spread over its whole run (start-up, reading, exploding,
staging, moving files into place), plus at the instant its journal appears (the moves).
After each kill the next command must leave the tree exactly as the old export or
exactly as the new one, with no staging folder left. Each kill starts from whichever
state the previous one left, so the trees alternate without being copied.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistantgit.tree import STAGING_PREFIX
from testing.paths import SAMPLE_REPO
from testing.tree_state import staging_left, state

EXPORT = SAMPLE_REPO / "exports" / "customer-care-dialog.json"
TIMED_KILLS = 20  # SIGKILL and SIGTERM alternately, spread over the pull's run
JOURNAL_KILLS = [signal.SIGKILL, signal.SIGTERM, signal.SIGKILL, signal.SIGINT]  # once the moves begin
ENV = {**os.environ, "NO_COLOR": "1", "ASSISTANTGIT_LOCK_WAIT": "60"}


def big_export(first: int, last: int, variant: str) -> dict:
    """The sample dialog skill with intents first..last-1, 40 long examples each (~2.4 MB for 800).
    Intents divisible by 3 say `variant` in their examples: two variants differ in those files."""
    data = json.loads(EXPORT.read_bytes())
    for number in range(first, last):
        word = variant if number % 3 == 0 else "same"
        data["intents"].append(
            {
                "intent": f"topic_{number:04d}",
                "description": f"Questions about topic {number}",
                "examples": [
                    {"text": f"{word} question {example} about topic {number}: how do I change my plan today"}
                    for example in range(40)
                ],
            }
        )
    return data


def command(*args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "assistantgit", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistantgit", *map(str, args)], capture_output=True, text=True, env=ENV
    )


def timed_pull(export: Path, root: Path) -> float:
    start = time.monotonic()
    result = run("pull", export, "--dir", root)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - start


def journal_appears(root: Path, pull: subprocess.Popen) -> bool:
    """Wait until the pull has written its journal (its moves begin); False if it ended first."""
    while pull.poll() is None:
        if any((folder / "journal.json").exists() for folder in root.glob(STAGING_PREFIX + "*")):
            return True
    return False


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    old, new = folder / "old.json", folder / "new.json"
    old.write_text(json.dumps(big_export(0, 800, "old")), encoding="utf-8")
    new.write_text(json.dumps(big_export(200, 1000, "new")), encoding="utf-8")  # 200 gone, 200 added, 200 changed
    return old, new


@pytest.mark.slow  # 24 real pulls of a 2.4 MB export, killed, each followed by another command (~1-4 min)
def test_pull_killed_anywhere_leaves_the_old_or_the_new_tree(tmp_path, exports):
    old_export, new_export = exports
    assert old_export.stat().st_size > 2_000_000
    root = tmp_path / "skill"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "README.md").write_bytes(b"files assistantgit does not manage stay\n")
    timed_pull(old_export, root)
    old = state(root)
    took = {new_export: timed_pull(new_export, root)}
    new = state(root)
    took[old_export] = timed_pull(old_export, root)
    assert state(root) == old and old != new
    trees = {old_export: old, new_export: new}
    # Kill points: fractions of the pull's run, then the instant each journal appears.
    plan = [(signal.SIGKILL if i % 2 == 0 else signal.SIGTERM, (i + 0.5) / TIMED_KILLS) for i in range(TIMED_KILLS)]
    plan += [(number, None) for number in JOURNAL_KILLS]
    next_commands = [
        ("validate", "--dir", root, "--select", "AG101"),
        ("push", "--dir", root, "--out", os.devnull),
        ("fmt", "--check", "--dir", root),
    ]
    current = old_export
    outcomes = []
    for index, (number, fraction) in enumerate(plan):
        for _attempt in range(3):  # a pull that ended before its kill point is timed anew and killed again
            target = new_export if current == old_export else old_export
            pull = command("pull", target, "--dir", root)
            start = time.monotonic()
            if fraction is None:
                reached = journal_appears(root, pull)
            else:
                time.sleep(took[target] * fraction)
                reached = pull.poll() is None
            if reached:
                pull.send_signal(number)
            pull.communicate()
            if not reached and fraction is not None:
                took[target] = time.monotonic() - start  # it ran to its end: how long a pull takes now
            left = bool(staging_left(root))
            follow = run(*next_commands[index % len(next_commands)])
            assert follow.returncode in (0, 1), follow.stderr
            after = state(root)
            assert after in (trees[current], trees[target]), (
                f"kill {index} ({signal.Signals(number).name}): a mixed tree"
            )
            assert not staging_left(root), f"kill {index}: staging left behind"
            landed = target if after == trees[target] else current
            outcomes.append(
                (signal.Signals(number).name, fraction, reached, left, "new" if landed == target else "old")
            )
            current = landed
            if reached or fraction is None:
                break
    print("\nkill, point, signalled, staging left, tree after the next command")
    for outcome in outcomes:
        print(*outcome)
    signalled = [o for o in outcomes if o[2]]
    assert len(signalled) >= 20, outcomes
    assert {o[4] for o in signalled} == {"old", "new"}, "kills should land both before and after the journal"
    assert any(o[1] is None and o[2] for o in outcomes), "no kill landed during the moves"


@pytest.mark.slow  # real processes pulling a 2.4 MB export (~15 s); the lock's fast tests: conversations/record_test, translate/workflow_test
def test_a_second_writer_waits_then_refuses(tmp_path, exports):
    old_export, new_export = exports
    root = tmp_path / "skill"
    timed_pull(old_export, root)
    old = state(root)
    first = command("pull", new_export, "--dir", root)
    wait_for_lock(root, first)
    first.send_signal(signal.SIGSTOP)  # the pull stays in the middle of its work, lock held, however fast it is
    try:
        start = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "assistantgit", "fmt", "--dir", root],
            capture_output=True,
            text=True,
            env={**ENV, "ASSISTANTGIT_LOCK_WAIT": "0.5"},
        )
        assert time.monotonic() - start >= 0.5
    finally:
        first.send_signal(signal.SIGCONT)
    assert second.returncode == 2
    assert "another assistantgit command is working on this tree" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    _, err = first.communicate()
    assert first.returncode == 0, err
    assert state(root) != old and not staging_left(root)
    timed_pull(new_export, tmp_path / "reference")
    assert state(root) == state(tmp_path / "reference")


@pytest.mark.slow  # real processes pulling a 2.4 MB export (~15 s)
def test_two_pulls_at_once_run_one_after_the_other(tmp_path, exports):
    """The second pull waits for the first (within ASSISTANTGIT_LOCK_WAIT), then writes its
    own export whole: no file of one mixed into the other, both report success."""
    old_export, new_export = exports
    root = tmp_path / "skill"
    first = command("pull", old_export, "--dir", root)
    wait_for_lock(root, first)
    second = command("pull", new_export, "--dir", root)
    assert first.wait() == 0 and second.wait() == 0, (first.stderr.read(), second.stderr.read())
    timed_pull(new_export, tmp_path / "reference")
    assert state(root) == state(tmp_path / "reference")
    assert not staging_left(root)


def wait_for_lock(root: Path, holder: subprocess.Popen) -> None:
    """Return once `holder` holds the tree's lock (flock on the root folder)."""
    while True:
        assert holder.poll() is None, holder.communicate()
        if root.is_dir():
            handle = os.open(root, os.O_RDONLY)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(handle, fcntl.LOCK_UN)
            except BlockingIOError:
                return
            finally:
                os.close(handle)
        time.sleep(0.01)
