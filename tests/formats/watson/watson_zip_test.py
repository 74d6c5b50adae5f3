"""Published-version ZIPs (action-skill.json and/or dialog-skill.json): pull into one tree
with actions/ and dialog/ parts, push back a ZIP with the same members, and refuse every
unsafe or broken archive with one line, exit 2 and nothing written."""

from __future__ import annotations

import io
import json
import random
import stat
import warnings
import zipfile
from pathlib import Path

import pytest
from deepdiff import DeepDiff

from testing.exports import canon, check_upload_rules, load, shuffled, tree_digest
from testing.paths import SAMPLE_REPO, corpus_cases, corpus_files

EXPORTS = SAMPLE_REPO / "exports"
SAMPLE_ZIP = EXPORTS / "customer-care-assistant.zip"
MEMBERS = ("action-skill.json", "dialog-skill.json")


def zip_members(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def make_zip(path: Path, members: list, date_time=(2026, 1, 2, 3, 4, 5)) -> Path:
    """members: (name, bytes) or (ZipInfo, bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the duplicate-name case warns
        for name, data in members:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def test_sample_zip_round_trips_with_the_same_members(cli, tmp_path):
    tree, out, again = tmp_path / "tree", tmp_path / "out.zip", tmp_path / "again"
    assert cli("pull", SAMPLE_ZIP, "--dir", tree).exit_code == 0
    assert (tree / "assistant.yaml").read_text("utf-8").startswith("format: watson-assistant-zip\n")
    assert (tree / "actions" / "skill.yaml").is_file() and (tree / "dialog" / "skill.yaml").is_file()
    assert (tree / "actions" / "actions" / "Where_is_my_order.yaml").is_file()
    assert cli("push", "--dir", tree, "--out", out).exit_code == 0
    original, pushed = zip_members(SAMPLE_ZIP), zip_members(out)
    assert list(pushed) == list(original) == list(MEMBERS)
    for name in MEMBERS:
        check_upload_rules(pushed[name])
        want = json.loads(original[name].decode("utf-8-sig"))
        assert DeepDiff(canon(want), canon(json.loads(pushed[name]))) == {}
    assert cli("pull", out, "--dir", again).exit_code == 0
    assert tree_digest(again) == tree_digest(tree)
    # the same tree always gives the same bytes
    assert cli("push", "--dir", tree, "--out", tmp_path / "out2.zip").exit_code == 0
    assert (tmp_path / "out2.zip").read_bytes() == out.read_bytes()


def test_zip_parts_equal_the_single_skill_trees(cli, tmp_path):
    assert cli("pull", SAMPLE_ZIP, "--dir", tmp_path / "zip").exit_code == 0
    assert cli("pull", EXPORTS / "customer-care-actions.json", "--dir", tmp_path / "actions").exit_code == 0
    assert tree_digest(tmp_path / "zip" / "actions") == tree_digest(tmp_path / "actions")


def test_shuffled_redownload_gives_identical_tree(cli, tmp_path):
    assert cli("pull", SAMPLE_ZIP, "--dir", tmp_path / "a").exit_code == 0
    original = zip_members(SAMPLE_ZIP)
    members = [(name, json.dumps(shuffled(json.loads(original[name]), 5), indent="\t").encode()) for name in MEMBERS]
    again = make_zip(tmp_path / "again.zip", members, date_time=(2031, 5, 6, 7, 8, 9))
    assert cli("pull", again, "--dir", tmp_path / "b").exit_code == 0
    assert tree_digest(tmp_path / "b") == tree_digest(tmp_path / "a")


def test_single_member_zip_and_json_output(cli, tmp_path):
    dialog = EXPORTS / "customer-care-dialog.json"
    single = make_zip(tmp_path / "dialog-only.zip", [("dialog-skill.json", dialog.read_bytes())])
    tree = tmp_path / "tree"
    assert cli("pull", single, "--dir", tree).exit_code == 0
    assert not (tree / "actions").exists()
    # a tree with one skill may also be pushed as that skill's JSON
    assert cli("push", "--dir", tree, "--out", tmp_path / "d.json").exit_code == 0
    assert DeepDiff(canon(load(dialog)), canon(load(tmp_path / "d.json"))) == {}


def test_two_skill_tree_to_json_fails_clearly(cli, tmp_path):
    assert cli("pull", SAMPLE_ZIP, "--dir", tmp_path / "tree").exit_code == 0
    result = cli("push", "--dir", tmp_path / "tree", "--out", tmp_path / "x.json")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert ".zip" in result.stderr
    assert not (tmp_path / "x.json").exists()
    # each part is a full tree of its own
    assert cli("push", "--dir", tmp_path / "tree" / "actions", "--out", tmp_path / "a.json").exit_code == 0
    assert DeepDiff(canon(load(EXPORTS / "customer-care-actions.json")), canon(load(tmp_path / "a.json"))) == {}


@pytest.mark.parametrize(
    "export,member",
    [
        ("customer-care-actions.json", "action-skill.json"),
        ("customer-care-dialog.json", "dialog-skill.json"),
    ],
)
def test_single_skill_tree_pushed_as_zip(cli, tmp_path, export, member):
    tree, out = tmp_path / "tree", tmp_path / "out.zip"
    assert cli("pull", EXPORTS / export, "--dir", tree).exit_code == 0
    assert cli("push", "--dir", tree, "--out", out).exit_code == 0
    members = zip_members(out)
    assert list(members) == [member]
    check_upload_rules(members[member])
    assert DeepDiff(canon(load(EXPORTS / export)), canon(json.loads(members[member]))) == {}


def test_tree_edits_are_checked(cli, tmp_path):
    tree = tmp_path / "tree"
    assert cli("pull", SAMPLE_ZIP, "--dir", tree).exit_code == 0
    root = "format: watson-assistant-zip\nmembers:\n  - action-skill.json\n"
    (tree / "assistant.yaml").write_text(root, encoding="utf-8")
    result = cli("push", "--dir", tree, "--out", tmp_path / "x.zip")
    assert result.exit_code == 2 and "dialog" in result.stderr and "dialog-skill.json" in result.stderr
    assert not (tmp_path / "x.zip").exists()
    # a member name that would escape on extraction is never written
    evil = "format: watson-assistant-zip\nmembers:\n  - ../action-skill.json\n  - dialog-skill.json\n"
    (tree / "assistant.yaml").write_text(evil, encoding="utf-8")
    result = cli("push", "--dir", tree, "--out", tmp_path / "x.zip")
    assert result.exit_code == 2 and "../action-skill.json" in result.stderr
    assert not (tmp_path / "x.zip").exists()
    # an error in a part's file names it as the user can open it: the tree, the part, the file
    both = "format: watson-assistant-zip\nmembers:\n  - action-skill.json\n  - dialog-skill.json\n"
    (tree / "assistant.yaml").write_text(both, encoding="utf-8")
    (tree / "actions" / "intents").mkdir()
    (tree / "actions" / "intents" / "bad.yaml").write_text("examples:\n  - hi\n", encoding="utf-8")
    result = cli("push", "--dir", tree, "--out", tmp_path / "x.zip")
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {tree}/actions/intents/bad.yaml:"), result.stderr
    assert not (tmp_path / "x.zip").exists()


def _info(name: str, mode: int | None = None, flags: int = 0) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    if mode is not None:
        info.external_attr = mode << 16
    info.flag_bits |= flags
    return info


def _bad_zips(tmp_path: Path) -> dict:
    actions = (EXPORTS / "customer-care-actions.json").read_bytes()
    dialog = (EXPORTS / "customer-care-dialog.json").read_bytes()
    good = SAMPLE_ZIP.read_bytes()
    cases = {
        "dotdot": [("../action-skill.json", actions)],
        "dotdot-backslash": [("x\\..\\..\\action-skill.json", actions)],
        "absolute": [("/tmp/action-skill.json", actions)],
        "drive-letter": [("C:/temp/action-skill.json", actions)],
        "symlink": [(_info("action-skill.json", stat.S_IFLNK | 0o777), b"/etc/passwd")],
        "not-a-skill-member": [("action-skill.json", actions), ("notes.txt", b"hello")],
        "member-is-other-kind": [("action-skill.json", dialog)],
        "member-not-json": [("dialog-skill.json", b"{not json")],
        "member-json-not-skill": [("action-skill.json", b"[1, 2, 3]")],
        "duplicate-name": [("action-skill.json", actions), ("Action-Skill.json", actions)],
        "two-actions": [("action-skill.json", actions), ("copy/action-skill.json", actions)],
        "over-size-limit": [("action-skill.json", b" " * (10 * 1024 * 1024 + 1) + actions)],
        "no-skill-at-all": [("readme.md", b"# hi")],
        "empty": [],
    }
    paths = {name: make_zip(tmp_path / f"{name}.zip", members) for name, members in cases.items()}
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good[: len(good) // 2])
    paths["truncated"] = truncated
    flipped = bytearray(good)
    start = good.index(b"action-skill.json") + len("action-skill.json") + 40
    for offset in range(start, start + 64):
        flipped[offset] ^= 0xFF
    paths["corrupt-data"] = tmp_path / "corrupt.zip"
    paths["corrupt-data"].write_bytes(bytes(flipped))
    paths["not-a-zip"] = tmp_path / "renamed.zip"
    paths["not-a-zip"].write_bytes(b"PK\x03\x04 this is not really a zip")
    encrypted = bytearray(make_zip(tmp_path / "enc-src.zip", [("action-skill.json", actions)]).read_bytes())
    for marker in (b"PK\x03\x04", b"PK\x01\x02"):  # set the 'encrypted' flag in both headers
        at = encrypted.index(marker)
        flag_at = at + (6 if marker == b"PK\x03\x04" else 8)
        encrypted[flag_at] |= 0x01
    paths["encrypted"] = tmp_path / "encrypted.zip"
    paths["encrypted"].write_bytes(bytes(encrypted))
    return paths


# case -> what the one line must say
BAD_CASES = {
    "dotdot": "escapes the target folder",
    "dotdot-backslash": "escapes the target folder",
    "absolute": "absolute path",
    "drive-letter": "absolute path",
    "symlink": "symbolic link",
    "not-a-skill-member": "member 'notes.txt' is not a skill",
    "member-is-other-kind": "not an actions skill (it holds a dialog skill",
    "member-not-json": "invalid JSON",
    "member-json-not-skill": "not an actions skill",
    "duplicate-name": "appears twice",
    "two-actions": "are both an actions skill",
    "over-size-limit": "at most 10 MB",
    "no-skill-at-all": "not a known ZIP export",
    "empty": "not a known ZIP export",
    "truncated": "not a valid ZIP archive",
    "corrupt-data": "not a valid ZIP archive",
    "not-a-zip": "not a valid ZIP archive",
    "encrypted": "encrypted",
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_zip_one_line_exit_2_nothing_written(cli, tmp_path, case):
    bad = _bad_zips(tmp_path)[case]
    target = tmp_path / "target"
    result = cli("pull", bad, "--dir", target)
    assert result.exit_code == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(bad) in lines[0] and BAD_CASES[case] in lines[0]
    assert not target.exists()
    assert not (tmp_path / "action-skill.json").exists() and not Path("/tmp/action-skill.json").exists()


def test_bad_zip_leaves_an_existing_tree_untouched(cli, tmp_path):
    tree = tmp_path / "tree"
    assert cli("pull", SAMPLE_ZIP, "--dir", tree).exit_code == 0
    before = tree_digest(tree)
    for case, bad in _bad_zips(tmp_path).items():
        assert cli("pull", bad, "--dir", tree).exit_code == 2, case
        assert tree_digest(tree) == before, case


def test_bad_zip_through_the_real_entry_point(cli_process, tmp_path):
    bad = make_zip(tmp_path / "evil.zip", [("../../evil/action-skill.json", b"{}")])
    result = cli_process("pull", bad, "--dir", tmp_path / "t")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "escapes" in result.stderr
    assert not (tmp_path / "t").exists() and not (tmp_path.parent / "evil").exists()


def test_declared_size_is_checked_before_reading(tmp_path):
    """A member whose header claims more than 10 MB is refused without decompressing it."""
    from assistantgit.errors import LimitError
    from assistantgit.formats.ziparchive import SafeZip

    big = make_zip(tmp_path / "big.zip", [("action-skill.json", b"0" * (10 * 1024 * 1024 + 5))])
    archive = SafeZip.open(big.read_bytes(), big)
    with pytest.raises(LimitError, match=r"at most 10 MB \(10,485,760 bytes\)"):
        archive.check_size("action-skill.json", 10 * 1024 * 1024, "a skill")


@pytest.mark.slow  # a sweep of the shared corpus: in the full suite (our samples cover the same ground)
@pytest.mark.parametrize("export", corpus_cases("actions", limit=4))
def test_corpus_actions_with_dialog_in_a_zip(cli, shared_corpus, tmp_path, export):
    dialog = corpus_files("dialog")[0]
    rnd = random.Random(export.name)
    order = list(zip(MEMBERS, (export, dialog)))
    rnd.shuffle(order)
    source = make_zip(tmp_path / "in.zip", [(name, path.read_bytes()) for name, path in order])
    tree, out, again = tmp_path / "tree", tmp_path / "out.zip", tmp_path / "again"
    assert cli("pull", source, "--dir", tree).exit_code == 0
    assert cli("push", "--dir", tree, "--out", out).exit_code == 0
    pushed = zip_members(out)
    assert list(pushed) == [name for name, _ in order]
    for name, path in order:
        check_upload_rules(pushed[name])
        assert DeepDiff(canon(load(path)), canon(json.loads(pushed[name]))) == {}
    assert cli("pull", out, "--dir", again).exit_code == 0
    assert tree_digest(again) == tree_digest(tree)


def test_zip_output_is_a_plain_deterministic_archive(cli, tmp_path):
    assert cli("pull", SAMPLE_ZIP, "--dir", tmp_path / "tree").exit_code == 0
    assert cli("push", "--dir", tmp_path / "tree", "--out", tmp_path / "o.zip").exit_code == 0
    with zipfile.ZipFile(io.BytesIO((tmp_path / "o.zip").read_bytes())) as archive:
        assert archive.testzip() is None
        for info in archive.infolist():
            assert not info.flag_bits & 0x1
            assert stat.S_ISREG(info.external_attr >> 16)
            assert "/" not in info.filename
