"""Issue 11, case by case: what each hostile input did, and the one line it now gets.

attack_test.py runs the whole corpus against every command under a memory cap; these
tests pin the messages and places, and the library functions behind them.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from assistantgit.errors import InputError
from assistantgit.exportjson import nesting_beyond, parse_json_bytes
from testing.paths import SAMPLE_REPO

SAMPLE = SAMPLE_REPO
EXPORT = SAMPLE / "exports" / "customer-care-dialog.json"


def dialog_export_text() -> str:
    return json.dumps(json.loads(EXPORT.read_text(encoding="utf-8")), indent=1)


def with_hotline(replacement: str) -> bytes:
    text = dialog_export_text()
    assert '"hotline":' in text
    return text.replace('"hotline":', replacement + '"hotline":', 1).encode("utf-8")


def line_of(raw: bytes, marker: bytes) -> int:
    return raw[: raw.index(marker)].count(b"\n") + 1


# -- JSON exports -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "insert, marker, problem",
    [
        ('"deep": ' + "[" * 900 + "]" * 900 + ", ", b"[[[", "nested more than 100 levels deep"),
        ('"deep": ' + "[" * 5000 + "]" * 5000 + ", ", b"[[[", "nested more than 100 levels deep"),
        ('"digits": ' + "9" * 5000 + ", ", b"9999", "invalid JSON: an integer of 5,000 digits"),
        ('"big": 1e400, ', b"1e400", "invalid JSON: the number 1e400 is too large for JSON readers"),
        ('"shop_name": "Other", ', b'"hotline"', 'invalid JSON: duplicate key "shop_name" in an object'),
        ('"x": NaN, ', b"NaN", "invalid JSON: NaN is not a JSON number"),
    ],
    ids=["deep-900", "deep-5000", "digits-5000", "1e400", "duplicate-key", "nan"],
)
def test_hostile_json_is_refused_with_line_and_column(insert, marker, problem):
    """Issue 11: 900-deep JSON and 5,000-digit integers crashed pull (exit 3), 1e400 became
    .inf (a tree push then refused), a duplicate key silently kept the last value."""
    raw = with_hotline(insert)
    with pytest.raises(InputError) as raised:
        parse_json_bytes(raw, "export.json")
    message = raised.value.message
    line = line_of(raw, marker) if marker != b'"hotline"' else line_of(raw, b'"shop_name": "Other"')
    assert message.startswith(f"export.json:{line}:"), message
    assert problem in message and "\n" not in message


def test_the_duplicate_is_located_at_its_second_occurrence_in_its_own_object():
    raw = b'{"a": {"k": 1}, "b": {"k": 1, "x": 2,\n "k": 3}}'
    with pytest.raises(InputError, match=r'^x\.json:2:2: invalid JSON: duplicate key "k"'):
        parse_json_bytes(raw, "x.json")


def test_nesting_is_measured_outside_strings_and_exactly_at_the_limit():
    def nest(depth: int) -> str:
        return "[" * depth + "]" * depth

    assert nesting_beyond(nest(100), 100) is None
    assert nesting_beyond(nest(101), 100) == (1, 101)
    assert nesting_beyond('{"a": "' + "[" * 500 + '"}', 100) is None  # brackets in a text are text
    assert nesting_beyond('{"a": "\\"' + "[" * 500 + '\\\\", "b": ' + nest(101) + "}", 100) is not None
    mixed = "".join('{"k": [' for _ in range(51)) + "1" + "]}" * 51  # 102 levels, alternating kinds
    assert nesting_beyond(mixed, 100) is not None
    json.loads(mixed)


def test_exports_at_the_limits_pull_and_push_back_unchanged(cli, tmp_path):
    text = dialog_export_text().replace('"hotline":', '"deep": ' + "[" * 96 + "1" + "]" * 96 + ', "hotline":', 1)
    text = text.replace('"agent_available": true', '"agent_available": ' + "7" * 1000, 1)
    export = tmp_path / "limits.json"
    export.write_text(text, encoding="utf-8")
    assert cli("pull", export, "--dir", tmp_path / "tree").exit_code == 0
    assert cli("push", "--dir", tmp_path / "tree", "--out", tmp_path / "out.json").exit_code == 0
    pushed = json.loads((tmp_path / "out.json").read_bytes())
    node = next(n for n in pushed["dialog_nodes"] if "deep" in n.get("context", {}))
    assert node["context"]["agent_available"] == int("7" * 1000)
    assert cli("diff", export, tmp_path / "tree", "--exit-code").exit_code == 0


def test_a_device_named_as_an_export_is_read_to_a_bound(cli):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    from assistantgit import exportjson

    old = exportjson.MAX_EXPORT_BYTES
    exportjson.MAX_EXPORT_BYTES = 1024
    try:
        with pytest.raises(InputError, match="/dev/zero: over 0 MB"):
            exportjson.read_export_bytes("/dev/zero")
    finally:
        exportjson.MAX_EXPORT_BYTES = old


# -- links and special files in trees ---------------------------------------------------------------


@pytest.fixture
def world(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(SAMPLE / "dialog-skill", tree)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "stolen.yaml").write_text("intent: stolen\nexamples:\n  - CI-SECRET\n", encoding="utf-8")
    return tree, outside


@pytest.mark.parametrize("command", ["push", "validate", "fmt", "diff"])
def test_a_link_to_a_file_outside_is_refused_by_every_command(cli, world, tmp_path, command):
    """Issue 11: push embedded the outside file in the upload, fmt rewrote it, exit 0."""
    tree, outside = world
    link = tree / "intents" / "stolen.yaml"
    link.symlink_to(outside / "stolen.yaml")
    out = tmp_path / "out.json"
    args = {
        "push": ("push", "--dir", tree, "--out", out),
        "validate": ("validate", "--dir", tree),
        "fmt": ("fmt", "--dir", tree),
        "diff": ("diff", SAMPLE / "dialog-skill", tree),
    }[command]
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {link}: is a symbolic link; a source tree may hold only regular files and folders "
        "(a link can reach outside it)"
    ]
    assert not out.exists()
    assert (outside / "stolen.yaml").read_text(encoding="utf-8").endswith("CI-SECRET\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_a_fifo_named_like_a_source_file_is_refused_not_waited_on(cli, world, tmp_path):
    tree, _outside = world
    os.mkfifo(tree / "dialog_nodes" / "Wait.yaml")
    for args in (("push", "--dir", tree, "--out", tmp_path / "o.json"), ("validate", "--dir", tree)):
        result = cli(*args)
        assert result.exit_code == 2 and "Wait.yaml: is a named pipe (FIFO), not a regular file" in result.stderr


def test_a_link_in_a_git_revision_is_refused_by_diff(cli, world, in_git_dir):
    """diff reads revisions from git objects: a committed link is refused there too."""
    tree, outside = world
    shutil.move(tree, in_git_dir.working_dir + "/tree")
    tree = Path(in_git_dir.working_dir) / "tree"
    (tree / "intents" / "stolen.yaml").symlink_to(outside / "stolen.yaml")
    in_git_dir.git.add("-A")
    in_git_dir.git.commit("-m", "a link")
    (tree / "intents" / "stolen.yaml").unlink()
    result = cli("diff", "HEAD", "--dir", "tree")
    assert result.exit_code == 2
    assert "HEAD:tree/intents/stolen.yaml: is a symbolic link" in result.stderr


def test_a_linked_source_folder_in_the_project_file_is_refused(tmp_path, world):
    from assistantgit.project import load_project

    tree, _outside = world
    (tmp_path / "skill").symlink_to(tree)
    (tmp_path / "assistantgit.yaml").write_text(
        "source: skill\nenvironments:\n  dev: {workspace_id: w}\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"skill: is a symbolic link"):
        load_project(tmp_path)


def test_backups_are_never_written_through_a_linked_dot_assistantgit(tmp_path):
    from assistantgit.remote.backups import save

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / ".assistantgit").symlink_to(elsewhere)
    with pytest.raises(InputError, match=r"\.assistantgit: is a symbolic link"):
        save(tmp_path / ".assistantgit" / "backups" / "dev", {"name": "x"}, 3)
    assert list(elsewhere.iterdir()) == []


# -- Avaamo --------------------------------------------------------------------------------------------


@pytest.fixture
def avaamo_tree(tmp_path):
    tree = tmp_path / "agent"
    shutil.copytree(SAMPLE / "avaamo-agent", tree)
    return tree


def set_agent_name(tree: Path, name: str) -> None:
    path = tree / "agent.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    (number,) = [n for n, line in enumerate(lines) if line.startswith("name: ")]
    lines[number] = "name: " + json.dumps(name)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    "name, problem",
    [
        ("../../escaped", "it would name a path, not a file name"),
        ("/tmp/absolute", "it would name a path, not a file name"),
        ("..\\\\windows", "it would name a path, not a file name"),
        ("a\x00b", "it holds a control character"),
        ("n" * 300, "the file name would be over 255 bytes"),
    ],
)
def test_an_agent_name_never_decides_a_path_outside_out(cli, avaamo_tree, tmp_path, name, problem):
    """Issue 11: name: "../../escaped" made push --out out/sub write the ZIP outside out/sub
    (still saying 'Wrote out/sub'); a NUL or 300 characters crashed push."""
    set_agent_name(avaamo_tree, name)
    out = tmp_path / "out" / "sub"
    out.mkdir(parents=True)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = cli("push", "--dir", avaamo_tree, "--out", out)
    assert result.exit_code == 2, result.stderr
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"error: {avaamo_tree / 'agent.yaml'}:3:") and problem in error
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_zip_of_many_small_members_is_refused_before_anything_is_read(cli, tmp_path):
    """Issue 11: members of at most 1 MiB skipped the ratio check: 100 of them (115 KB)
    expanded to 100 MB. The whole archive's expansion is bounded now."""
    export = tmp_path / "bomb_1234_20250101.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("agent.json", "{}")
        for number in range(100):
            archive.writestr(f"assets/zero{number}.bin", bytes(1024 * 1024))
    assert export.stat().st_size < 200_000
    result = cli("pull", export, "--dir", tmp_path / "tree")
    assert result.exit_code == 2
    assert "the members would expand" in result.stderr and "refusing a likely ZIP bomb" in result.stderr
    assert not (tmp_path / "tree").exists()


def avaamo_zip(path: Path, members: dict) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(
    "member",
    [
        '{"api_key": "dup-1", "api_key": "dup-1"}',
        '{"password": "nan-2", "x": NaN}',
        '{"clientSecret": "deep-3", "x": ' + "[" * 150 + "]" * 150 + "}",
        '{"x-api-key": 918273645, "n": ' + "9" * 2000 + "}",
    ],
    ids=["duplicate", "nan", "too-deep", "huge-number"],
)
def test_a_member_kept_byte_for_byte_with_a_credential_stops_the_pull(cli, tmp_path, member):
    """Issue 11: JSON members that are not plain JSON were kept byte for byte, credentials in clear."""
    export = avaamo_zip(tmp_path / "odd_1_20250101.zip", {"agent.json": '{"name": "odd"}', "config.json": member})
    result = cli("pull", export, "--dir", tmp_path / "tree")
    assert result.exit_code == 2
    (error,) = result.stderr.splitlines()
    assert "member 'config.json' holds a credential" in error and "pull writes no secret in clear text" in error
    assert not (tmp_path / "tree").exists()


def test_a_member_kept_byte_for_byte_without_a_credential_still_pulls(cli, tmp_path):
    export = avaamo_zip(
        tmp_path / "odd_1_20250101.zip",
        {"agent.json": '{"name": "odd"}', "config.json": '{"a": 1, "a": 2, "password": "", "token": "$ref"}'},
    )
    assert cli("pull", export, "--dir", tmp_path / "tree").exit_code == 0
    assert (tmp_path / "tree" / "files" / "config.json").read_bytes().startswith(b'{"a": 1, "a": 2')


def test_parsed_avaamo_members_get_placeholders_for_every_spelling(cli, tmp_path):
    config = {"id": 1, "accessToken": "t-1", "clientSecret": "s-2", "password": 918273645, "X-API-KEY": "k-3"}
    export = avaamo_zip(
        tmp_path / "agent_1_20250101.zip", {"agent.json": '{"name": "a"}', "config.json": json.dumps(config)}
    )
    assert cli("pull", export, "--dir", tmp_path / "tree").exit_code == 0
    tree = tmp_path / "tree"
    # every file git could take; the values are kept only in the git-ignored local store (issue 12)
    kept = tree / ".assistantgit"
    written = b"".join(p.read_bytes() for p in tree.rglob("*") if p.is_file() and kept not in p.parents)
    assert b"t-1" in (kept / "secrets.env").read_bytes()
    for value in (b"t-1", b"s-2", b"918273645", b"k-3"):
        assert value not in written
    environ = {
        "ASSISTANTGIT_SECRET_ACCESSTOKEN": "t-1",
        "ASSISTANTGIT_SECRET_CLIENTSECRET": "s-2",
        "ASSISTANTGIT_SECRET_PASSWORD": "918273645",
        "ASSISTANTGIT_SECRET_X_API_KEY": "k-3",
    }
    out = tmp_path / "out"
    out.mkdir()
    os.environ.update(environ)
    try:
        assert cli("push", "--dir", tmp_path / "tree", "--out", out).exit_code == 0
    finally:
        for name in environ:
            os.environ.pop(name)
    (pushed,) = out.iterdir()
    with zipfile.ZipFile(pushed) as archive:
        assert json.loads(archive.read("config.json")) == config
