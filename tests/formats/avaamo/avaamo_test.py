"""Avaamo agent exports (issue 7): pull/push round trips on generated ZIPs, the sample
agent, unsafe archives, platform versions and hand edits of the tree."""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistantgit.cli import run
from assistantgit.formats.avaamo import format as avaamo
from assistantgit.secrets import is_secret_key
from testing.paths import SAMPLE_REPO
from testing.profile import examples

SAMPLE_ZIP = SAMPLE_REPO / "exports" / "Pizza_Palace_4711_20251104093012.zip"
ZIP_NAME = "Demo_Agent_42_20250102030405.zip"


def make_zip(path: Path, members: list, comment: bytes = b"") -> Path:
    """members: (name, bytes, compress_type) in archive order."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data, compression in members:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 2, 3, 4, 5))
            info.compress_type = compression
            archive.writestr(info, data)
        archive.comment = comment
    return path


def tree_bytes(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def same_members(original: Path, rebuilt: Path) -> None:
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(rebuilt) as b:
        assert a.namelist() == b.namelist()
        for info in a.infolist():
            old, new = a.read(info), b.read(info.filename)
            try:
                assert json.loads(old) == json.loads(new), info.filename
            except ValueError:
                assert old == new, info.filename
            assert b.getinfo(info.filename).compress_type == info.compress_type


def cli_quiet(*args) -> int:
    return run([str(a) for a in args])


# -- generated archives ---------------------------------------------------------------
SEGMENTS = st.sampled_from(
    [
        "a",
        "A",
        "b",
        "skills",
        "agent",
        "con",
        "x y",
        "Ä",
        "ab:c",
        ".hidden",
        "trail.",
        "images",
        "intents",
        "agent.json",
    ]
)
# Credential-like keys become placeholders on pull (secrets_test covers them); keep them out here.
KEYS = (st.sampled_from(["id", "name", "uuid", "key", "intents", "skills", "text", ""]) | st.text(max_size=6)).filter(
    lambda key: not is_secret_key(key) and key != "headers"
)
STRINGS = st.sampled_from(["<<", "<< x.yaml", "<<<", "<", "", "null", "a\nb\n", " x"]) | st.text(max_size=12)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | STRINGS


def _items(children):
    ident = st.sampled_from(["id", "uuid", "key", "name"])
    values = st.lists(st.text(max_size=6) | st.integers(0, 9), min_size=1, max_size=5, unique_by=str)
    return st.tuples(ident, values, st.lists(st.dictionaries(KEYS, children, max_size=3), min_size=5, max_size=5)).map(
        lambda t: [{**extra, t[0]: value} for value, extra in zip(t[1], t[2])]
    )


JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4) | _items(children),
    max_leaves=25,
)
JSON_DOC = st.dictionaries(KEYS, JSON, max_size=5) | st.lists(JSON, max_size=4) | _items(JSON)
COMPRESSION = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])


@st.composite
def archives(draw):
    names = draw(
        st.lists(
            st.lists(SEGMENTS, min_size=1, max_size=3).map("/".join), min_size=1, max_size=8, unique_by=str.casefold
        )
    )
    members = []
    for stem in names:
        kind = draw(st.sampled_from(["json", "json", "binary", "badjson"]))
        if kind == "json":
            raw = json.dumps(draw(JSON_DOC), ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))
            members.append((f"{stem}.json", raw.encode("utf-8", "surrogatepass"), draw(COMPRESSION)))
        elif kind == "badjson":
            members.append(
                (f"{stem}.json", draw(st.sampled_from([b"{oops", b"1", b'{"a":1,"a":2}', b"\xff"])), draw(COMPRESSION))
            )
        else:
            members.append(
                (
                    f"{stem}{draw(st.sampled_from(['.png', '.yaml', '', '.JSON.bin']))}",
                    draw(st.binary(max_size=300)),
                    draw(COMPRESSION),
                )
            )
    seen, unique = set(), []
    for member in members:
        if member[0] not in seen:
            seen.add(member[0])
            unique.append(member)
    if draw(st.booleans()):
        unique.insert(0, ("folder/", b"", zipfile.ZIP_STORED))
    return unique


@pytest.mark.slow  # each example writes, pulls and pushes a ZIP
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(members=archives())
def test_round_trip_of_generated_archives(members):
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        original = make_zip(temp / ZIP_NAME, members)
        assert cli_quiet("-q", "pull", original, "--dir", temp / "tree", "--platform-version", "8.0") == 0
        (temp / "out").mkdir()
        assert cli_quiet("-q", "push", "--dir", temp / "tree", "--out", temp / "out") == 0
        rebuilt = temp / "out" / ZIP_NAME
        same_members(original, rebuilt)
        # pulling twice gives identical trees; so does pulling what push wrote
        assert cli_quiet("-q", "pull", original, "--dir", temp / "again", "--platform-version", "8.0") == 0
        assert tree_bytes(temp / "tree") == tree_bytes(temp / "again")
        assert cli_quiet("-q", "pull", rebuilt, "--dir", temp / "again") == 0
        assert tree_bytes(temp / "tree") == tree_bytes(temp / "again")


# -- the sample agent -----------------------------------------------------------------
def test_sample_tree_is_what_pull_writes(tmp_path, cli):
    result = cli("pull", SAMPLE_ZIP, "--dir", tmp_path / "tree")
    assert result.exit_code == 0, result.stderr
    assert tree_bytes(tmp_path / "tree") == tree_bytes(SAMPLE_REPO / "avaamo-agent")
    meta = avaamo.load_manifest(tmp_path / "tree")
    assert (meta["name"], meta["agent_id"], meta["exported_at"]) == ("Pizza_Palace", "4711", "2025-11-04T09:30:12")
    assert (meta["platform_version"], meta["platform_version_from"]) == ("8.2.0", "manifest.json")
    intents = sorted(p.name for p in (tmp_path / "tree/files/skills/1_order_a_pizza/skill/intents").iterdir())
    assert intents == ["Cancel_order.yaml", "Change_order.yaml", "Order_pizza.yaml"]


def test_sample_round_trip_and_file_name(tmp_path, cli):
    assert cli("pull", SAMPLE_ZIP, "--dir", tmp_path / "tree").exit_code == 0
    result = cli("push", "--dir", tmp_path / "tree", "--out", tmp_path, "--platform-version", "8.2.0")
    assert result.exit_code == 0, result.stderr
    same_members(SAMPLE_ZIP, tmp_path / SAMPLE_ZIP.name)


def test_sample_zip_is_reproducible(tmp_path):
    from importlib import util

    spec = util.spec_from_file_location("make_avaamo_sample", SAMPLE_REPO / "make_avaamo_sample.py")
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build(tmp_path / SAMPLE_ZIP.name).read_bytes() == SAMPLE_ZIP.read_bytes()


def test_push_as_a_real_process(tmp_path, cli_process):
    result = cli_process("pull", SAMPLE_ZIP, "--dir", tmp_path / "tree")
    assert result.exit_code == 0, result.stderr
    result = cli_process("push", "--dir", tmp_path / "tree", "--out", tmp_path / "My_Agent_1_2.zip")
    assert result.exit_code == 0, result.stderr
    same_members(SAMPLE_ZIP, tmp_path / "My_Agent_1_2.zip")


# -- unsafe and damaged archives --------------------------------------------------------
def _patch_central_sizes(path: Path, size: int) -> None:
    """Declare `size` bytes (compressed and not) for every member in the central directory."""
    raw = bytearray(path.read_bytes())
    at = raw.find(b"PK\x01\x02")
    while at >= 0:
        struct.pack_into("<II", raw, at + 20, size, size)
        at = raw.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(raw))


def _symlink_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("agent.json")
        archive.writestr(info, b"{}")
        link = zipfile.ZipInfo("link")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, b"/etc/passwd")


def _duplicate_zip(path: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        make_zip(path, [("agent.json", b"{}", 0), ("agent.json", b"[]", 0)])


def _bad_crc_zip(path: Path) -> None:
    make_zip(path, [("agent.json", b"{}", 0), ("images/logo.png", b"PNGDATA" * 100, 0)])
    raw = path.read_bytes()
    at = raw.find(b"PNGDATA")
    path.write_bytes(raw[:at] + b"X" + raw[at + 1 :])


UNSAFE = {
    "dot-dot": lambda p: make_zip(p, [("skills/../../evil.json", b"{}", 0)]),
    "absolute": lambda p: make_zip(p, [("/etc/evil.png", b"x", 0)]),
    "drive letter": lambda p: make_zip(p, [("C:evil.png", b"x", 0)]),
    "backslash dot-dot": lambda p: make_zip(p, [("a\\..\\..\\evil.png", b"x", 0)]),
    "symlink": _symlink_zip,
    "duplicate": _duplicate_zip,
    "zip bomb ratio": lambda p: make_zip(p, [("agent.json", b"{}", 0), ("big.bin", b"\0" * (20 * 1024 * 1024), 8)]),
    "over 4 GB declared": lambda p: (
        make_zip(p, [(f"m{i}.bin", b"x", 0) for i in range(3)]),
        _patch_central_sizes(p, 0x60000000),
    ),
    "truncated": lambda p: (_bad_crc_zip(p), p.write_bytes(p.read_bytes()[:200])),
    "not a zip": lambda p: p.write_bytes(b"this is not a zip archive at all"),
    "bad crc": _bad_crc_zip,
}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_unsafe_or_damaged_archive_exits_2_and_writes_nothing(case, tmp_path, cli_process):
    archive = tmp_path / ZIP_NAME
    UNSAFE[case](archive)
    result = cli_process("pull", archive, "--dir", tmp_path / "tree")
    assert result.exit_code == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "tree").exists()
    assert not (tmp_path / "evil.json").exists() and not Path("/etc/evil.png").exists()


def test_damaged_member_leaves_existing_tree_untouched(tmp_path, cli):
    good = make_zip(tmp_path / ZIP_NAME, [("agent.json", b'{"a": 1}', 0), ("images/logo.png", b"PNGDATA" * 100, 0)])
    assert cli("pull", good, "--dir", tmp_path / "tree").exit_code == 0
    before = tree_bytes(tmp_path / "tree")
    bad = tmp_path / "bad" / ZIP_NAME
    bad.parent.mkdir()
    _bad_crc_zip(bad)
    result = cli("pull", bad, "--dir", tmp_path / "tree")
    assert result.exit_code == 2 and "damaged" in result.stderr
    assert tree_bytes(tmp_path / "tree") == before


# -- platform version --------------------------------------------------------------------
def test_platform_version_rules(tmp_path, cli):
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    bare = make_zip(tmp_path / "in" / ZIP_NAME, [("agent.json", b'{"name": "x"}', 8)])
    assert cli("pull", bare, "--dir", tmp_path / "t").exit_code == 0
    assert avaamo.load_manifest(tmp_path / "t")["platform_version"] is None
    assert cli("pull", bare, "--dir", tmp_path / "t", "--platform-version", "7.1").exit_code == 0
    assert avaamo.load_manifest(tmp_path / "t")["platform_version"] == "7.1"
    assert cli("pull", bare, "--dir", tmp_path / "t").exit_code == 0  # a re-pull keeps what was given
    assert avaamo.load_manifest(tmp_path / "t")["platform_version_from"] == "--platform-version"
    mismatch = cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out", "--platform-version", "7.2")
    assert mismatch.exit_code == 2 and "same platform version" in mismatch.stderr
    assert len(mismatch.stderr.strip().splitlines()) == 1
    assert list((tmp_path / "out").iterdir()) == []
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out", "--platform-version", "7.1").exit_code == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == [ZIP_NAME]

    stated = make_zip(tmp_path / "in" / "Other_7_20250101.zip", [("meta.json", b'{"platformVersion": "9.0"}', 8)])
    conflict = cli("pull", stated, "--dir", tmp_path / "u", "--platform-version", "8.0")
    assert conflict.exit_code == 2 and "9.0" in conflict.stderr and not (tmp_path / "u").exists()
    assert cli("pull", stated, "--dir", tmp_path / "u", "--platform-version", "9.0").exit_code == 0


def test_platform_version_is_for_avaamo_only(tmp_path, cli):
    watson = tmp_path / "skill.json"
    watson.write_text(json.dumps({"name": "s", "intents": [], "dialog_nodes": []}))
    result = cli("pull", watson, "--dir", tmp_path / "t", "--platform-version", "1")
    assert result.exit_code == 2 and "Avaamo" in result.stderr


def test_an_output_name_off_avaamos_pattern_is_a_warning(tmp_path, cli):
    """Avaamo documents <agent>_<id>_<timestamp>.zip for its downloads, not as a rule for
    uploads (issue 12): agent.zip is written, with a word naming the usual name."""
    assert cli("pull", SAMPLE_ZIP, "--dir", tmp_path / "t").exit_code == 0
    result = cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "agent.zip")
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: ") and SAMPLE_ZIP.name in result.stderr
    assert zipfile.is_zipfile(tmp_path / "agent.zip")


@pytest.mark.parametrize(
    "out, message",
    [("custom.json", "an Avaamo agent is uploaded as a ZIP; give --out Pizza_Palace"), ("dist", "no such folder")],
)
def test_an_output_that_cannot_be_an_agent_zip_says_why(tmp_path, cli, out, message):
    assert cli("pull", SAMPLE_ZIP, "--dir", tmp_path / "t").exit_code == 0
    result = cli("push", "--dir", tmp_path / "t", "--out", tmp_path / out)
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / out).exists()


# -- hand edits of the tree ------------------------------------------------------------
def test_added_item_file_is_appended_and_strays_are_refused(tmp_path, cli):
    tree = tmp_path / "t"
    assert cli("pull", SAMPLE_ZIP, "--dir", tree).exit_code == 0
    intents = tree / "files/skills/2_track_order/skill/intents"
    (intents / "Refund.yaml").write_text("key: refund\nname: Refund\ntraining_data:\n  - I want my money back\n")
    assert cli("push", "--dir", tree, "--out", tmp_path).exit_code == 0
    with zipfile.ZipFile(tmp_path / SAMPLE_ZIP.name) as archive:
        skill = json.loads(archive.read("skills/2_track_order/skill.json"))
    assert [i["key"] for i in skill["intents"]] == ["track_order", "refund"]

    (tree / "files/notes.txt").write_text("scratch")
    result = cli("push", "--dir", tree, "--out", tmp_path, "--force")
    assert result.exit_code == 2 and "notes.txt" in result.stderr
    (tree / "files/notes.txt").unlink()
    (tree / "files/assets/avatar.png").unlink()
    result = cli("push", "--dir", tree, "--out", tmp_path, "--force")
    assert result.exit_code == 2 and "avatar.png" in result.stderr and "missing" in result.stderr


def test_escaped_strings_and_references(tmp_path, cli):
    data = {"items": [{"id": "a", "text": "<< not a reference"}, {"id": "b", "text": "<<<"}], "note": "<<"}
    original = make_zip(tmp_path / ZIP_NAME, [("agent.json", json.dumps(data).encode(), 8)])
    assert cli("pull", original, "--dir", tmp_path / "t").exit_code == 0
    assert (tmp_path / "t/files/agent/items/a.yaml").read_text() == "text: <<< not a reference\nid: a\n"
    (tmp_path / "o").mkdir()
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "o").exit_code == 0
    same_members(original, tmp_path / "o" / ZIP_NAME)


def test_large_member_streams_through(tmp_path, cli):
    blob = os.urandom(3 * 1024 * 1024 + 17)
    original = make_zip(tmp_path / ZIP_NAME, [("media/video.mp4", blob, 0), ("agent.json", b"[]", 8)])
    assert cli("pull", original, "--dir", tmp_path / "t").exit_code == 0
    assert (tmp_path / "t/files/media/video.mp4").read_bytes() == blob
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "o").exit_code == 2  # no such folder
    (tmp_path / "o").mkdir()
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "o").exit_code == 0
    same_members(original, tmp_path / "o" / ZIP_NAME)


def test_file_name_parsing():
    assert avaamo.parse_file_name("my_cool_agent_1234_1700000000000.zip") == {
        "name": "my_cool_agent",
        "agent_id": "1234",
        "timestamp": "1700000000000",
        "exported_at": "2023-11-14T22:13:20Z",
    }
    assert avaamo.parse_file_name("Bot_9_20240305T102231Z.zip")["exported_at"] == "2024-03-05T10:22:31Z"
    assert avaamo.parse_file_name("Bot_9_weird.zip") is None
    assert avaamo.parse_file_name("agent.zip") is None


def test_credentials_become_placeholders_and_come_back(tmp_path, cli, monkeypatch):
    data = {
        "webhooks": [
            {
                "name": "orders",
                "url": "https://x.example",
                "api_key": "s3cr3t",
                "headers": [{"name": "Authorization", "value": "Bearer abc"}],
            }
        ]
    }
    original = make_zip(tmp_path / ZIP_NAME, [("agent.json", json.dumps(data).encode(), 8)])
    assert cli("pull", original, "--dir", tmp_path / "t").exit_code == 0
    text = "".join(p.read_text() for p in (tmp_path / "t/files").rglob("*.yaml"))
    assert "s3cr3t" not in text and "Bearer abc" not in text and "${ASSISTANTGIT_" in text
    (tmp_path / "out").mkdir()
    kept = cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out")  # the values pull kept locally
    assert kept.exit_code == 0 and "it holds 2 secret values" in kept.stderr
    with zipfile.ZipFile(next((tmp_path / "out").iterdir())) as archive:
        assert json.loads(archive.read("agent.json")) == data
    shutil.rmtree(tmp_path / "out")
    (tmp_path / "out").mkdir()
    (tmp_path / "t" / ".assistantgit" / "secrets.env").unlink()  # another machine: no local store
    missing = cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out")
    assert missing.exit_code == 2 and "not set" in missing.stderr and not list((tmp_path / "out").iterdir())
    import re

    for name in set(re.findall(r"\$\{(ASSISTANTGIT_[A-Z0-9_]+)\}", text)):
        monkeypatch.setenv(name, "s3cr3t" if "API_KEY" in name else "Bearer abc")
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out").exit_code == 0
    same_members(original, tmp_path / "out" / ZIP_NAME)


def test_in_memory_explode_matches_the_pulled_tree(tmp_path, cli):
    """What diff sees of an export ZIP is what pull writes (before secrets)."""
    from assistantgit import canonical

    assert cli("pull", SAMPLE_ZIP, "--dir", tmp_path / "t").exit_code == 0
    files = avaamo.FORMAT.explode(avaamo.FORMAT.load(None, SAMPLE_ZIP), str(SAMPLE_ZIP))
    on_disk = tree_bytes(tmp_path / "t")
    assert sorted(files) == sorted(on_disk)
    for rel, content in files.items():
        if isinstance(content, bytes):
            assert content == on_disk[rel]
        else:
            assert content == canonical.loads(on_disk[rel].decode(), rel)


def test_check_tree(tmp_path, cli):
    tree = tmp_path / "t"
    assert cli("pull", SAMPLE_ZIP, "--dir", tree).exit_code == 0
    assert avaamo.FORMAT.check_tree(tree) == []
    (tree / "files/skills/2_track_order/skill/nodes/Lookup.yaml").unlink()
    problems = avaamo.FORMAT.check_tree(tree)
    assert len(problems) == 1 and "Lookup.yaml" in problems[0].message


def test_diff_of_a_changed_image_says_what_changed(tmp_path, cli):
    """A member stored byte for byte has no fields: the diff shows its size and git blob id
    before and after, not `null -> null`."""
    import hashlib

    for side in ("a", "b"):
        assert cli("pull", SAMPLE_ZIP, "--dir", tmp_path / side).exit_code == 0
    image = tmp_path / "b" / "files" / "assets" / "avatar.png"
    old = image.read_bytes()
    image.write_bytes(b"\x89PNG new")
    result = cli("diff", tmp_path / "a", tmp_path / "b", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (change,) = json.loads(result.stdout)["changes"]
    (detail,) = change["details"]
    git_id = hashlib.sha1(b"blob %d\0" % len(old) + old).hexdigest()[:10]
    assert detail["before"] == f"{len(old):,} bytes, blob {git_id}"
    assert detail["after"].startswith("8 bytes, blob ")
    text = cli("diff", tmp_path / "a", tmp_path / "b").stdout
    assert "null" not in text and f"blob {git_id}" in text


@pytest.mark.parametrize("key", ["/", "a/", "/a", "a//b"])
def test_a_key_with_a_slash_over_a_split_array_round_trips(tmp_path, key):
    """A JSON key holding an array of objects with ids names a folder; a '/' in it made an
    empty path segment, the file was written under another name than the one read back,
    and the pull ended in exit 3 (found by test_round_trip_of_generated_archives)."""
    data = {key: [{"id": 0, "text": "zero"}, {"id": 1, "text": "one"}], "other": [{"id": "x"}]}
    original = make_zip(tmp_path / ZIP_NAME, [("a.json", json.dumps(data).encode(), zipfile.ZIP_DEFLATED)])
    tree, out = tmp_path / "tree", tmp_path / "out"
    assert cli_quiet("-q", "pull", original, "--dir", tree, "--platform-version", "8.0") == 0
    files = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*.yaml"))
    assert all("//" not in f for f in files) and len(files) == 5  # agent, a.yaml, three items
    out.mkdir()
    assert cli_quiet("-q", "push", "--dir", tree, "--out", out) == 0
    same_members(original, out / ZIP_NAME)


def test_push_to_a_folder_not_made_yet_says_so(tmp_path, cli):
    """`push --out exports/` before `mkdir exports` used to say 'give a folder to get that name'."""
    assert cli("pull", SAMPLE_ZIP, "--dir", tmp_path / "t").exit_code == 0
    result = cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "exports")
    assert result.exit_code == 2 and "exports: no such folder" in result.stderr, result.stderr
    assert not (tmp_path / "exports").exists()
