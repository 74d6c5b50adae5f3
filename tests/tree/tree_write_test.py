"""tree.write_tree: a pull writes only what changed, removes only the files the tool owns, and is
all-or-nothing: a failure leaves the previous tree byte for byte as it was."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from assistantgit.errors import InputError
from assistantgit.tree import STAGING_PREFIX, Managed, owned_files, read_text, write_file_atomic, write_tree

MANAGED = [Managed("skill.yaml", is_folder=False), Managed("intents"), Managed("dialog_nodes")]
FILES = {
    "skill.yaml": b"format: watson-dialog\n",
    "intents/Greeting.yaml": b"intent: Greeting\nexamples:\n  - hello\n",
    "intents/Goodbye.yaml": b"intent: Goodbye\n",
    "dialog_nodes/Welcome.yaml": "dialog_node: Welcome\ntitle: Été 🙂\n".encode(),
}
UNMANAGED = {
    "README.md": b"# my skill\n",
    ".git/config": b"[core]\n",
    ".github/workflows/ci.yml": b"on: push\n",
    "intents/NOTES.txt": b"not a yaml file\n",
    "intents/.drafts/Idea.yaml": b"hidden folders are not ours\n",
    "docs/intents/Other.yaml": b"same name, other folder\n",
}


def snapshot(root: Path) -> dict:
    """Every file and folder under root, with the bytes and what a rewrite would change."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root) + "/"] = None
        for name in files:
            path = os.path.join(folder, name)
            info = os.stat(path)
            found[os.path.relpath(path, root)] = (Path(path).read_bytes(), info.st_ino, info.st_mtime_ns)
    return found


def put(root: Path, files: dict) -> None:
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)


def no_staging_left(root: Path) -> bool:
    return not [p for p in root.rglob("*") if p.name.startswith(STAGING_PREFIX)]


def test_fresh_tree_gets_every_file(tmp_path):
    root = tmp_path / "skill"
    seen = []
    report = write_tree(root, FILES, MANAGED, progress=lambda done, total: seen.append((done, total)))
    assert sorted(report.created) == sorted(FILES)
    assert (report.changed, report.deleted, report.unchanged) == ([], [], 0)
    assert {rel: (root / rel).read_bytes() for rel in FILES} == FILES
    assert owned_files(root, MANAGED) == set(FILES)
    assert seen[-1] == (len(FILES), len(FILES))
    assert no_staging_left(root)


def test_rewriting_the_same_files_touches_nothing(tmp_path):
    write_tree(tmp_path, FILES, MANAGED)
    before = snapshot(tmp_path)
    report = write_tree(tmp_path, FILES, MANAGED)
    assert (report.created, report.changed, report.deleted) == ([], [], []) and report.unchanged == len(FILES)
    assert snapshot(tmp_path) == before  # same bytes, same inodes, same mtimes


def test_only_changed_files_are_rewritten(tmp_path):
    write_tree(tmp_path, FILES, MANAGED)
    before = snapshot(tmp_path)
    changed = dict(FILES, **{"intents/Goodbye.yaml": b"intent: Goodbye\ndescription: bye\n"})
    report = write_tree(tmp_path, changed, MANAGED)
    assert (report.created, report.changed, report.deleted) == ([], ["intents/Goodbye.yaml"], [])
    after = snapshot(tmp_path)
    assert after["intents/Goodbye.yaml"][0] == changed["intents/Goodbye.yaml"]
    assert {k: v for k, v in after.items() if k != "intents/Goodbye.yaml"} == {
        k: v for k, v in before.items() if k != "intents/Goodbye.yaml"
    }


@pytest.mark.parametrize("content", [b"", b"x", b"intent: Greeting\nexamples:\n  - hello\n" + b"!"])
def test_same_size_or_longer_or_shorter_content_is_a_change(tmp_path, content):
    write_tree(tmp_path, FILES, MANAGED)
    report = write_tree(tmp_path, dict(FILES, **{"intents/Greeting.yaml": content}), MANAGED)
    assert report.changed == ["intents/Greeting.yaml"]
    assert (tmp_path / "intents/Greeting.yaml").read_bytes() == content


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_a_fifo_in_place_of_a_file_stops_the_pull_without_hanging(tmp_path):
    """Issue 11: a tree holds regular files only; a FIFO there is refused, never opened."""
    write_tree(tmp_path, FILES, MANAGED)
    (tmp_path / "intents/Greeting.yaml").unlink()
    os.mkfifo(tmp_path / "intents/Greeting.yaml")
    with pytest.raises(InputError, match=r"intents/Greeting\.yaml: is a named pipe \(FIFO\), not a regular file"):
        write_tree(tmp_path, FILES, MANAGED)
    assert stat.S_ISFIFO(os.lstat(tmp_path / "intents/Greeting.yaml").st_mode)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="POSIX only")
@pytest.mark.parametrize("where", ["intents/Greeting.yaml", "intents", "skill.yaml", "intents/notes.txt"])
def test_a_link_in_the_tree_stops_the_pull_and_nothing_outside_is_written(tmp_path, where):
    """Issue 11: writing a tree never goes through a link (a file, or a folder the format owns)."""
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    write_tree(tree, FILES, MANAGED)
    outside.mkdir()
    (outside / "Greeting.yaml").write_bytes(b"outside\n")
    (outside / "notes.txt").write_bytes(b"outside\n")
    target = tree / where
    if target.is_dir():
        shutil.rmtree(target)
        target.symlink_to(outside, target_is_directory=True)
    else:
        target.unlink(missing_ok=True)
        target.symlink_to(outside / ("notes.txt" if where.endswith(".txt") else "Greeting.yaml"))
    changed = dict.fromkeys(FILES, b"changed\n")
    with pytest.raises(InputError, match="is a symbolic link; a source tree may hold only regular files"):
        write_tree(tree, changed, MANAGED)
    assert sorted(p.name for p in outside.iterdir()) == ["Greeting.yaml", "notes.txt"]
    assert {p.read_bytes() for p in outside.iterdir()} == {b"outside\n"}


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="POSIX only")
def test_the_reader_refuses_links_fifos_devices_and_huge_files(tmp_path, monkeypatch):
    from assistantgit.tree import files, read_bytes

    real = tmp_path / "real.yaml"
    real.write_bytes(b"a: 1\n")
    (tmp_path / "link.yaml").symlink_to(real)
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo.yaml")
    assert read_bytes(real) == b"a: 1\n"
    for name, problem in [
        ("link.yaml", "is a symbolic link"),
        ("zero.yaml", "is a symbolic link"),
        ("fifo.yaml", "is a named pipe"),
        (".", "is a folder, not a regular file"),
    ]:
        with pytest.raises(InputError, match=problem):
            read_text(tmp_path / name)
    if os.path.exists("/dev/zero"):
        with pytest.raises(InputError, match="is a device, not a regular file"):
            read_bytes("/dev/zero")
    monkeypatch.setattr(files, "MAX_SOURCE_BYTES", 4)
    with pytest.raises(InputError, match="5 bytes; a source file may be at most"):
        files.read_bytes(real, files.MAX_SOURCE_BYTES)


def test_bytes_are_written_as_given(tmp_path):
    odd = {"intents/Odd.yaml": b"a\r\nb\rc\x00\xff no newline at the end"}
    write_tree(tmp_path, odd, MANAGED)
    assert (tmp_path / "intents/Odd.yaml").read_bytes() == odd["intents/Odd.yaml"]


def test_deletes_only_managed_files_and_leaves_the_rest(tmp_path):
    write_tree(tmp_path, FILES, MANAGED)
    put(tmp_path, UNMANAGED)
    fewer = {k: v for k, v in FILES.items() if k not in ("intents/Goodbye.yaml", "dialog_nodes/Welcome.yaml")}
    report = write_tree(tmp_path, fewer, MANAGED)
    assert report.deleted == ["dialog_nodes/Welcome.yaml", "intents/Goodbye.yaml"]
    assert not (tmp_path / "intents/Goodbye.yaml").exists()
    assert not (tmp_path / "dialog_nodes").exists()  # emptied managed folder goes
    for rel, content in UNMANAGED.items():
        assert (tmp_path / rel).read_bytes() == content, rel
    assert (tmp_path / "intents/Greeting.yaml").read_bytes() == FILES["intents/Greeting.yaml"]


def test_emptied_nested_folders_are_removed(tmp_path):
    managed = [Managed("actions")]
    write_tree(tmp_path, {"actions/flows/deep/a.yaml": b"a\n", "actions/b.yaml": b"b\n"}, managed)
    write_tree(tmp_path, {"actions/b.yaml": b"b\n"}, managed)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["actions", "actions/b.yaml"]


def test_a_file_that_cannot_be_written_changes_nothing(tmp_path):
    write_tree(tmp_path, FILES, MANAGED)
    put(tmp_path, UNMANAGED)
    before = snapshot(tmp_path)
    bad = dict(FILES)
    bad["intents/Goodbye.yaml"] = b"changed\n"
    bad["intents/" + "x" * 300 + ".yaml"] = b"a name no file system takes\n"  # ENAMETOOLONG while staging
    bad["dialog_nodes/New.yaml"] = b"new\n"
    with pytest.raises(InputError, match=r"could not write the source tree .*nothing was changed"):
        write_tree(tmp_path, bad, MANAGED)
    assert snapshot(tmp_path) == before
    assert no_staging_left(tmp_path)


def test_a_failure_while_moving_files_into_place_is_rolled_back(tmp_path):
    """A folder stands where a new file must go: the moves already made are undone."""
    write_tree(tmp_path, FILES, MANAGED)
    (tmp_path / "intents/Zulu.yaml").mkdir()
    (tmp_path / "intents/Zulu.yaml/keep.txt").write_bytes(b"in the way\n")
    before = snapshot(tmp_path)
    bad = dict(FILES)
    bad["intents/Goodbye.yaml"] = b"changed\n"  # sorted before Zulu: moved, then restored
    bad["intents/Alpha.yaml"] = b"new\n"  # created, then removed again
    bad["intents/Zulu.yaml"] = b"cannot replace a folder\n"
    del bad["skill.yaml"]
    with pytest.raises(InputError, match="nothing was changed"):
        write_tree(tmp_path, bad, MANAGED)
    assert snapshot(tmp_path) == before
    assert no_staging_left(tmp_path)


def test_a_fresh_tree_that_fails_leaves_no_folder_behind(tmp_path):
    root = tmp_path / "skill"
    root.mkdir()
    with pytest.raises(InputError):
        write_tree(root, {"intents/ok.yaml": b"x\n", "intents/" + "y" * 300 + ".yaml": b"y\n"}, MANAGED)
    assert list(root.iterdir()) == []


def test_write_file_atomic_replaces_whole_files_only(tmp_path):
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    write_file_atomic(target, b'{"new":1}')
    assert target.read_bytes() == b'{"new":1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    with pytest.raises(InputError, match="does not exist"):
        write_file_atomic(tmp_path / "missing" / "out.json", b"x")
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(InputError, match="could not write"):
        write_file_atomic(tmp_path / "folder.json", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.json", "out.json"]


def test_read_text_accepts_a_bom_and_names_bad_bytes(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: x\n")
    assert read_text(path) == "name: x\n"
    path.write_bytes(b"name: x\nbad: \xff\n")
    with pytest.raises(InputError, match=r"x\.yaml:2: not valid UTF-8 \(byte 0xff"):
        read_text(path)
    with pytest.raises(InputError, match="cannot read"):
        read_text(tmp_path / "missing.yaml")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_shared_files_keep_their_mode_and_private_ones_stay_private(tmp_path):
    """fmt, init and git-setup rewrite files people share: an atomic rewrite must not make
    them owner-only (mkstemp's 0600); uploads, backups and logs stay owner-only."""
    shared = tmp_path / "greeting.yaml"
    shared.write_bytes(b"old\n")
    shared.chmod(0o640)
    write_file_atomic(shared, b"new\n", private=False)
    assert shared.read_bytes() == b"new\n"
    assert shared.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / ".gitattributes"
    write_file_atomic(fresh, b"x\n", private=False)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~_umask()
    secret = tmp_path / "upload.json"
    secret.write_bytes(b"old")
    secret.chmod(0o644)
    write_file_atomic(secret, b"{}")
    assert secret.stat().st_mode & 0o777 == 0o600


def test_write_file_atomic_writes_through_a_symlink_the_user_named(tmp_path):
    target = tmp_path / "real" / "upload.json"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "upload.json"
    link.symlink_to(target)
    write_file_atomic(link, b"new", named_by_user=True)
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["upload.json"]


def test_write_file_atomic_refuses_a_link_or_a_pipe_in_a_tree(tmp_path):
    """Issue 11: a file of a tree or a project (the default) is never written through a link."""
    target = tmp_path / "real.yaml"
    target.write_bytes(b"old")
    (tmp_path / "link.yaml").symlink_to(target)
    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(InputError, match=r"link\.yaml: is a symbolic link"):
        write_file_atomic(tmp_path / "link.yaml", b"new")
    with pytest.raises(InputError, match=r"pipe\.yaml: is a named pipe"):
        write_file_atomic(tmp_path / "pipe.yaml", b"new")
    assert target.read_bytes() == b"old" and (tmp_path / "link.yaml").is_symlink()


def test_write_file_atomic_writes_into_a_pipe_without_replacing_it(tmp_path):
    """`push --out /dev/stdout` or a FIFO: replacing the path (as root, even /dev/stdout
    itself) would break it; the bytes go into it instead."""
    import errno
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        write_file_atomic(fifo, b'{"name":"x"}', named_by_user=True)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    finally:
        if reader.is_alive() and stat.S_ISFIFO(os.lstat(fifo).st_mode):
            try:  # let a reader still waiting finish
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError as error:  # ENXIO: the reader had already read and closed, nobody waits
                if error.errno != errno.ENXIO:
                    raise
        reader.join(timeout=10)
    assert received == [b'{"name":"x"}']
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_tree_folder_that_is_a_file_is_an_input_error(tmp_path):
    target = tmp_path / "skill"
    target.write_bytes(b"a file, not a folder\n")
    with pytest.raises(InputError, match="skill: is a file, not a folder"):
        write_tree(target, FILES, MANAGED)
    with pytest.raises(InputError, match="could not create the folder"):
        write_tree(target / "below", FILES, MANAGED)
    assert target.read_bytes() == b"a file, not a folder\n"


def test_a_failed_write_names_the_path_in_the_way(tmp_path):
    write_tree(tmp_path, FILES, MANAGED)
    (tmp_path / "intents/Zulu.yaml").mkdir()
    (tmp_path / "intents/Zulu.yaml/keep.txt").write_bytes(b"in the way\n")
    with pytest.raises(InputError) as failure:
        write_tree(tmp_path, {**FILES, "intents/Zulu.yaml": b"x\n"}, MANAGED)
    assert f"{tmp_path / 'intents' / 'Zulu.yaml'}" in failure.value.message
    assert STAGING_PREFIX not in failure.value.message
