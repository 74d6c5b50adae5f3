"""tree/fastread: push's first read of a tree, split between a forked child and the parent,
gives the data and the first error a read in one process gives, on the samples, real trees
and generated trees with bad files planted at either end and in the middle; a child that
dies or answers wrongly only means the parent reads more, and it is always reaped."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from assistantgit import canonical, forked, pipeline
from assistantgit.errors import InputError
from assistantgit.tree import fastread
from testing.forking import fork_every_read, reaped
from testing.paths import SAMPLE_REPO, corpus_files
from testing.profile import sweep

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and hasattr(os, "fork")), reason="work is forked on Linux only"
)


@pytest.fixture
def children(monkeypatch) -> list:
    return fork_every_read(monkeypatch)


def read(root, monkeypatch, tmp_path, two: bool):
    """(files, fitted) as push reads them on a first run, or the error's text; in two processes or one."""
    cache = tmp_path / f"cache-{len(os.listdir(tmp_path))}"
    fitted: dict = {}
    with monkeypatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache))  # no parse cache file yet: the first push of the folder
        if not two:
            patch.setattr(forked, "usable", lambda: False)
        try:
            _fmt, files = pipeline.read_tree(root, fitted=fitted)
        except InputError as error:
            return str(error)
    return files, fitted


def assert_same_read(root, monkeypatch, tmp_path, children) -> None:
    alone = read(root, monkeypatch, tmp_path, two=False)
    assert children == []
    both = read(root, monkeypatch, tmp_path, two=True)
    assert len(children) == 1
    assert both == alone
    assert repr(both) == repr(alone)  # in the same order, of the same types (1 is not True nor 1.0)
    child, pid = children[-1]
    assert child.pid is None and reaped(pid)


def generated(tmp_path, intents: int = 150):
    """The dialog sample with `intents` more intents (canonical, as pull writes them)."""
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    for index in range(intents):
        data = {"intent": f"generated_{index:04d}", "examples": [f"example {index} number {n}" for n in range(4)]}
        (root / "intents" / f"generated_{index:04d}.yaml").write_text(canonical.dumps(data), encoding="utf-8")
    return root


def yaml_paths(root) -> list:
    """The tree's YAML files in the order push reads them."""
    return sorted(
        (path for path in root.rglob("*.yaml") if "conversations" not in path.parts),
        key=lambda path: path.relative_to(root).as_posix(),
    )


@pytest.mark.parametrize("name", ["dialog-skill", "actions-skill", "dialog-skill-fr"])
def test_a_sample_is_read_alike_in_one_process_and_in_two(name, tmp_path, monkeypatch, children):
    assert_same_read(SAMPLE_REPO / name, monkeypatch, tmp_path, children)


@pytest.mark.parametrize("export", sweep(corpus_files("dialog") + corpus_files("actions")) or [None])
def test_a_real_tree_is_read_alike_in_one_process_and_in_two(export, tmp_path, monkeypatch, children):
    if export is None:
        pytest.skip("the shared corpus of real exports is not present (../shared/corpus)")
    pipeline.pull_file(export, tmp_path / "tree")
    assert_same_read(tmp_path / "tree", monkeypatch, tmp_path, children)


def test_the_child_reads_part_of_the_tree_and_the_parent_the_rest(tmp_path, monkeypatch, children):
    root = generated(tmp_path)
    in_parent: list = []
    real, parent = canonical.fast_loads, os.getpid()

    def counted(text):
        if os.getpid() == parent:
            in_parent.append(text)
        return real(text)

    monkeypatch.setattr(canonical, "fast_loads", counted)
    slow_child(monkeypatch)
    paths = [str(path) for path in yaml_paths(root)]
    done = fastread.read_canonical(paths)
    assert list(done) != [] and set(done) == set(paths)
    assert 0 < len(in_parent) < len(paths)  # each did a share
    for path in paths:
        assert done[path] == real(Path(path).read_text(encoding="utf-8"))


def test_the_child_answers_are_made_data_after_the_parent_has_read_its_share(tmp_path, monkeypatch, children):
    """Not interleaved with the parent's own data: the upload of a 100 MB push then gave the
    allocator's blocks back as it went (peak 402 MB, against 410-428 MB made as they came)."""
    root = generated(tmp_path)
    events: list = []
    real_loads, real_unread, parent = canonical.fast_loads, forked.unread, os.getpid()

    def parsed(text):
        if os.getpid() == parent:
            events.append("parent")
        return real_loads(text)

    def made(payload):
        events.append("child's")
        return real_unread(payload)

    monkeypatch.setattr(canonical, "fast_loads", parsed)
    monkeypatch.setattr(forked, "unread", made)
    slow_child(monkeypatch)
    paths = [str(path) for path in yaml_paths(root)]
    done = fastread.read_canonical(paths)
    assert set(done) == set(paths)
    assert "parent" in events and "child's" in events
    first_made = events.index("child's")
    assert "parent" not in events[first_made:]  # every answer made after the parent's last parse
    assert not children[-1][0].received  # the buffer dropped once read


def slow_child(monkeypatch) -> None:
    """The child answers at its own pace (here: slowly): the parent never waits for it."""
    batches = fastread._batches

    def slowed(paths, texts):
        for batch in batches(paths, texts):
            yield batch
            time.sleep(0.05)

    monkeypatch.setattr(fastread, "_batches", slowed)


def assert_all_read(paths: list) -> None:
    """read_canonical gives every file's data (all canonical here), whatever the child did."""
    done = fastread.read_canonical(paths)
    assert sorted(done) == sorted(paths)
    for path in paths:
        data = canonical.fast_loads(Path(path).read_text(encoding="utf-8"))
        assert repr(done[path]) == repr(data), path


def plant(path, kind: str, other) -> None:
    """Make the file at `path` one push reads the general way (or refuses)."""
    text = path.read_text(encoding="utf-8")
    path.unlink()
    if kind == "not canonical":  # read by ruamel.yaml, to the same data
        path.write_text("# a comment\n" + text, encoding="utf-8")
    elif kind == "slow-path error":
        path.write_text("intent: [unclosed\n", encoding="utf-8")
    elif kind == "wrong shape":  # a list where a text belongs (the file's first text)
        data = canonical.loads(text)
        data[next(key for key, value in data.items() if isinstance(value, str))] = ["a", "list"]
        path.write_text(canonical.dumps(data), encoding="utf-8")
    elif kind == "not UTF-8":
        path.write_bytes(b"intent: caf\xe9\n")
    elif kind == "symlink":
        path.symlink_to(other)
    else:
        raise AssertionError(kind)


KINDS = ["not canonical", "slow-path error", "wrong shape", "not UTF-8", "symlink"]
PLACES = {"first": [0], "middle": [1], "last": [2], "both ends": [0, 2], "middle and last": [1, 2]}


@pytest.mark.parametrize("places", PLACES)
@pytest.mark.parametrize("kind", KINDS)
def test_planted_files_give_the_same_data_or_the_same_first_error(kind, places, tmp_path, monkeypatch, children):
    root = generated(tmp_path)
    # skill.yaml is read first (tree_format); counterexamples.yaml has no field to misshape
    paths = [path for path in yaml_paths(root) if path.name not in ("skill.yaml", "counterexamples.yaml")]
    chosen = [paths[0], paths[len(paths) // 2], paths[-1]]
    for index in PLACES[places]:
        plant(chosen[index], kind, paths[5])
    alone = read(root, monkeypatch, tmp_path, two=False)
    if kind not in ("not canonical", "symlink"):  # (the listing meets links in the folder's order)
        first = chosen[PLACES[places][0]]
        assert isinstance(alone, str) and first.name in alone, alone  # the first planted file is refused
    if kind == "symlink":  # refused by the listing, before any file is read
        assert read(root, monkeypatch, tmp_path, two=True) == alone
        return
    assert_same_read(root, monkeypatch, tmp_path, children)


def test_files_the_fast_read_cannot_take_are_left_to_the_general_read(tmp_path, monkeypatch, children):
    """A link, a FIFO or a file gone since the listing (the tree changed meanwhile) is not read."""
    root = generated(tmp_path, intents=20)
    paths = yaml_paths(root)
    plant(paths[1], "symlink", paths[5])
    os.mkfifo(root / "intents" / "a_fifo.yaml")
    listed = [str(path) for path in paths] + [str(root / "intents" / "a_fifo.yaml"), str(root / "gone.yaml")]
    done = fastread.read_canonical(sorted(listed))
    assert set(listed) - set(done) == {str(paths[1]), str(root / "intents" / "a_fifo.yaml"), str(root / "gone.yaml")}


def read_with_child(batches_of_child, tmp_path, monkeypatch, children) -> None:
    """With the child's work replaced by `batches_of_child`, every file is still read, and a
    tree reads alike in one process and in two."""
    monkeypatch.setattr(fastread, "_batches", batches_of_child)
    root = generated(tmp_path)
    assert_all_read([str(path) for path in yaml_paths(root)])
    children.clear()
    assert_same_read(root, monkeypatch, tmp_path, children)


def test_a_child_killed_mid_way_leaves_the_rest_to_the_parent(tmp_path, monkeypatch, children):
    batches = fastread._batches

    def killed(paths, texts):
        for number, batch in enumerate(batches(paths, texts)):
            if number == 1:
                os.kill(os.getpid(), signal.SIGKILL)
            yield batch

    read_with_child(killed, tmp_path, monkeypatch, children)


WRONG = {  # each changes the child's answer for a file (data, else None)
    "a tuple for a list": lambda data: {**data, "examples": tuple(data["examples"])} if "examples" in data else data,
    "bytes for a text": lambda data: {**data, "intent": b"bytes"} if "intent" in data else data,
    "a set": lambda data: {1, 2},
    "a key that is not a text": lambda data: {1: "x"},
    "a nested tuple": lambda data: {**data, "examples": [("a",)]} if "examples" in data else data,
}


@pytest.mark.parametrize("wrong", WRONG)
def test_an_answer_holding_what_the_yaml_reader_never_makes_is_not_taken(wrong, tmp_path, monkeypatch, children):
    batches, change = fastread._batches, WRONG[wrong]

    def wrongly(paths, texts):
        for first, answers in batches(paths, texts):
            yield first, [(change(answer[0]),) if isinstance(answer, tuple) else answer for answer in answers]

    read_with_child(wrongly, tmp_path, monkeypatch, children)


def test_an_answer_without_its_tuple_is_not_taken(tmp_path, monkeypatch, children):
    batches = fastread._batches

    def bare(paths, texts):
        for first, answers in batches(paths, texts):
            yield first, [answer[0] if answer else answer for answer in answers]

    monkeypatch.setattr(fastread, "_batches", bare)
    assert_all_read([str(path) for path in yaml_paths(generated(tmp_path))])


@pytest.mark.parametrize("which", ["the first skipped", "the first twice"])
def test_an_answer_for_other_files_than_the_next_is_not_taken(which, tmp_path, monkeypatch, children):
    batches = fastread._batches

    def reordered(paths, texts):
        for number, batch in enumerate(batches(paths, texts)):
            if number == 0 and which == "the first twice":
                yield batch
            if number != 0 or which == "the first twice":
                yield batch

    read_with_child(reordered, tmp_path, monkeypatch, children)


def test_no_child_is_forked_when_told_not_to(tmp_path, monkeypatch):
    started: list = []
    ahead = forked.Ahead
    monkeypatch.setattr(forked, "Ahead", lambda produce: started.append(ahead(produce)) or started[-1])
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(forked, "room_for_child", lambda: True)
    monkeypatch.setattr(fastread, "MIN_FILES", 1)
    root = generated(tmp_path, intents=20)
    monkeypatch.setenv(forked.NO_FORK, "1")
    alone = read(root, monkeypatch, tmp_path, two=True)
    assert started == []
    monkeypatch.delenv(forked.NO_FORK)
    assert read(root, monkeypatch, tmp_path, two=True) == alone
    assert len(started) == 1 and started[0].pid is None  # forked once allowed, and reaped


def test_a_read_stopped_by_an_error_in_the_parent_reaps_its_child(tmp_path, monkeypatch, children):
    real, parent = canonical.fast_loads, os.getpid()

    def interrupted(text):
        if os.getpid() == parent:
            raise KeyboardInterrupt  # Ctrl-C while the parent parses its share
        return real(text)

    monkeypatch.setattr(canonical, "fast_loads", interrupted)
    slow_child(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        fastread.read_canonical([str(path) for path in yaml_paths(generated(tmp_path))])
    ((child, pid),) = children
    assert child.pid is None and reaped(pid)


def test_no_child_is_forked_while_every_core_is_busy(tmp_path, monkeypatch, children):
    paths = [str(path) for path in yaml_paths(generated(tmp_path, intents=20))]
    monkeypatch.setattr(forked, "room_for_child", lambda: False)
    assert fastread.read_canonical(paths) == {} and children == []
    monkeypatch.setattr(forked, "room_for_child", lambda: True)
    assert len(fastread.read_canonical(paths)) == len(paths) and len(children) == 1


def test_too_few_files_are_read_in_one_process(tmp_path, monkeypatch):
    started: list = []
    monkeypatch.setattr(forked, "usable", lambda: True)
    monkeypatch.setattr(forked, "room_for_child", lambda: True)
    monkeypatch.setattr(forked, "Ahead", lambda produce: started.append(produce))
    paths = [str(path) for path in yaml_paths(generated(tmp_path, intents=20))]
    assert fastread.read_canonical(paths) == {} and started == []
    monkeypatch.setattr(fastread, "MIN_FILES", len(paths))
    with pytest.raises(AttributeError):  # the recorded "child" is no Ahead: forking was tried
        fastread.read_canonical(paths)
    assert len(started) == 1
