"""assistantgit fmt (issue 4): files a person restyled go back to the exact text pull
writes, comments kept next to what they describe; --check changes nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistantgit import canonical
from assistantgit.pipeline import pull_file
from testing.exports import base_export
from testing.parsing import age_one_tick
from testing.paths import SAMPLE_REPO, corpus_files


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    export = tmp_path / "export.json"
    data = base_export()
    data["dialog_nodes"][0]["output"]["generic"][0]["values"][0]["text"] = "Hi!\nHow can I help?\n"
    export.write_text(json.dumps(data), encoding="utf-8")
    root = tmp_path / "skill"
    pull_file(export, root)
    monkeypatch.chdir(root)
    return root


def snapshot(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_restyled_file_becomes_what_pull_writes(cli, tree):
    original = (tree / "intents/greeting.yaml").read_text(encoding="utf-8")
    data = canonical.loads(original)
    # Same data, another style: flow lists, quotes, key order, unsorted, no final newline.
    messy = "examples: [" + ", ".join(f"'{e}'" for e in reversed(data["examples"])) + "]\nintent:   'greeting'"
    (tree / "intents/greeting.yaml").write_text(messy, encoding="utf-8")
    result = cli("fmt", "intents/greeting.yaml")
    assert result.exit_code == 0, result.stderr
    assert "Rewrote intents/greeting.yaml" in result.stderr
    assert (tree / "intents/greeting.yaml").read_text(encoding="utf-8") == original


def test_block_scalars_and_sorted_values(cli, tree):
    node = next(p for p in (tree / "dialog_nodes").glob("*.yaml") if "dialog_node: welcome" in p.read_text())
    written = node.read_text(encoding="utf-8")
    assert "text: |" in written
    data = canonical.loads(written)
    node.write_text(json.dumps(data, indent=4), encoding="utf-8")  # JSON is YAML too
    entity = tree / "entities/size.yaml"
    sorted_text = entity.read_text(encoding="utf-8")
    entity.write_text(
        sorted_text.replace("      - big\n      - huge\n", "      - huge\n      - big\n"), encoding="utf-8"
    )
    assert cli("fmt").exit_code == 0
    assert node.read_text(encoding="utf-8") == written
    assert entity.read_text(encoding="utf-8") == sorted_text


COMMENTED = """\
# Greetings: reviewed by the content team

intent: greeting
examples:
  - zzz sorted last  # added for the spring campaign
  # the most frequent opening in the logs
  - hello
  - 'hi there'
  - hey
  - good morning
  - good evening
"""


def test_comments_are_kept_next_to_their_node(cli, tree):
    path = tree / "intents/greeting.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    assert cli("fmt", "intents/greeting.yaml").exit_code == 0
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[:3] == ["# Greetings: reviewed by the content team", "", "intent: greeting"]
    assert "  - zzz sorted last  # added for the spring campaign" in lines
    at = lines.index("  # the most frequent opening in the logs")
    assert lines[at + 1] == "  - hello"
    # Without its comments the file is exactly the canonical text of its data.
    bare = "\n".join(line.split("  #")[0] for line in lines[2:] if not line.lstrip().startswith("#"))
    assert canonical.loads(bare) == canonical.loads(COMMENTED) | {
        "examples": sorted(canonical.loads(COMMENTED)["examples"])
    }
    assert bare == canonical.dumps(canonical.loads(bare))
    # Idempotent, and validate agrees that the file is formatted.
    before = path.read_bytes()
    assert cli("fmt", "--check", "intents/greeting.yaml").exit_code == 0
    assert cli("fmt", "intents/greeting.yaml").exit_code == 0
    assert path.read_bytes() == before
    assert "AG701" not in cli("validate", "intents/greeting.yaml").stdout


def test_a_hash_inside_text_is_not_a_comment(cli, tree):
    path = tree / "intents/greeting.yaml"
    path.write_text(COMMENTED.replace("'hi there'", "'hi there # not a comment'"), encoding="utf-8")
    assert cli("fmt").exit_code == 0
    data = canonical.loads(path.read_text(encoding="utf-8"))
    assert "hi there # not a comment" in data["examples"]


def test_check_lists_and_changes_nothing(cli, tree):
    (tree / "intents/greeting.yaml").write_text(
        (tree / "intents/greeting.yaml").read_text(encoding="utf-8").replace("  - hey\n", "  - 'hey'\n"),
        encoding="utf-8",
    )
    before = snapshot(tree)
    result = cli("fmt", "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["intents/greeting.yaml"]
    assert snapshot(tree) == before
    assert cli("fmt").exit_code == 0
    after = cli("fmt", "--check")
    assert (after.exit_code, after.stdout) == (0, "")


def test_yaml_error_is_one_line_and_file_untouched(cli, tree):
    path = tree / "intents/greeting.yaml"
    path.write_text("intent: greeting\nexamples:\n\t- tab\n", encoding="utf-8")
    before = snapshot(tree)
    result = cli("fmt")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "Tree: . (the tree this folder is in)"
    assert len(lines) == 2 and "intents/greeting.yaml:3:1: YAML error: a tab character" in lines[1]
    assert "Traceback" not in result.stderr
    assert snapshot(tree) == before
    assert not list(tree.rglob("*.tmp"))


@pytest.mark.slow  # pulls twelve exports (the sample trees are checked canonical by default elsewhere)
def test_pulled_trees_are_already_formatted(cli, tmp_path, monkeypatch):
    exports = corpus_files("dialog")[:6] + corpus_files("actions")[:4]
    sample = SAMPLE_REPO / "exports"
    exports += [p for p in (sample / "customer-care-dialog.json", sample / "customer-care-actions.json") if p.is_file()]
    if not exports:
        pytest.skip("no exports to pull")
    for index, export in enumerate(exports):
        root = tmp_path / f"t{index}"
        try:
            pull_file(export, root)
        except Exception:  # exports the pull refuses are another issue's business
            continue
        result = cli("fmt", "--check", "--dir", root)
        assert (result.exit_code, result.stdout) == (0, ""), (export.name, result.stdout)


def test_rewritten_file_keeps_its_permissions(cli, tree):
    """fmt rewrites tracked files atomically: the rewrite must not make them owner-only (mkstemp's 0600)."""
    path = tree / "intents/greeting.yaml"
    data = canonical.loads(path.read_text(encoding="utf-8"))
    path.write_text(
        "examples: [" + ", ".join(f"'{e}'" for e in reversed(data["examples"])) + "]\nintent: greeting\n",
        encoding="utf-8",
    )
    path.chmod(0o664)
    assert cli("fmt").exit_code == 0
    assert canonical.is_canonical(path.read_text(encoding="utf-8"))
    assert path.stat().st_mode & 0o777 == 0o664


def test_a_symlinked_file_is_refused_and_its_target_untouched(cli, tree, tmp_path):
    """Issue 11: fmt followed a link in the tree and rewrote the file outside the repository
    it pointed to. A link in a tree is refused, in one line naming it; nothing is written."""
    real = tmp_path / "outside" / "goodbye.yaml"
    real.parent.mkdir()
    link = tree / "intents/goodbye.yaml"
    original = "intent:   goodbye\n" + link.read_text(encoding="utf-8").split("\n", 1)[1]
    real.write_text(original, encoding="utf-8")
    link.unlink()
    link.symlink_to(real)
    greeting = (tree / "intents/greeting.yaml").read_bytes()
    (tree / "intents/greeting.yaml").write_bytes(greeting.replace(b"intent: greeting", b"intent:   greeting"))
    result = cli("fmt")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "Tree: . (the tree this folder is in)"  # issue 12: the tree found, then the refusal
    assert (
        len(lines) == 2
        and lines[1].startswith("error: ")
        and lines[1].endswith(
            "intents/goodbye.yaml: is a symbolic link; a source tree may hold only regular files and folders "
            "(a link can reach outside it)"
        )
    )
    assert real.read_text(encoding="utf-8") == original and link.is_symlink()
    assert b"intent:   greeting" in (tree / "intents/greeting.yaml").read_bytes()  # nothing changed


def test_help_has_an_example(cli):
    result = cli("fmt", "--help")
    assert result.exit_code == 0 and "Example: assistantgit fmt" in result.stdout


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from testing.profile import examples  # noqa: E402

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=15),
    st.sampled_from(["a\nb", "x: y", "#not a comment", "line\n"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=12,
)


@settings(max_examples=examples(200), deadline=None)
@given(data=st.dictionaries(st.text(min_size=1, max_size=8), values, min_size=1, max_size=5), seed=st.randoms())
def test_fmt_keeps_data_and_comments(data, seed):
    """Top-level keys in a shuffled order, some with a comment above: after fmt the data is the
    same, every comment is still right above its key, and fmt is idempotent."""
    from assistantgit.canonical import format_text
    from assistantgit.canonical import write_string as _string

    keys = list(data)
    seed.shuffle(keys)
    parts, notes, trailing = [], {}, {}
    for key in keys:
        if seed.random() < 0.6:
            notes[key] = f"# note {len(notes)}"
            parts.append(notes[key])
        block = canonical.dumps({key: data[key]}).rstrip("\n")
        if "\n" not in block and seed.random() < 0.5:  # a one-line value: a trailing comment too
            trailing[key] = f"# trailing {len(trailing)}"
            block += "  " + trailing[key]
        parts.append(block)
    text = "\n".join(parts) + "\n"
    once = format_text(text, lambda d: d)
    assert canonical.loads(once) == data
    lines = once.split("\n")
    for key, note in notes.items():
        at = lines.index(note)
        assert lines[at + 1].startswith(_string(key) + ":"), (key, once)
    for key, note in trailing.items():
        assert any(line.startswith(_string(key) + ":") and line.endswith("  " + note) for line in lines), (key, once)
    assert format_text(once, lambda d: d) == once


def test_check_reads_again_only_files_changed_since_they_were_canonical(cli, tree, monkeypatch):
    """fmt keeps which files were canonical, keyed by size, times and inode: an unchanged file
    is not read again, and an edit is always seen, even one that keeps the size and puts the
    modification time back (the change time moves; a stamp of size and mtime would miss it)."""
    from assistantgit import canonical as canonical_package

    age_one_tick()
    assert cli("fmt", "--check").exit_code == 0
    formatted = []
    real = canonical_package.format_text

    def counting(text, *args, **kwargs):
        formatted.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(canonical_package, "format_text", counting)
    assert cli("fmt", "--check").exit_code == 0
    assert formatted == []  # every file canonical and unchanged since the first run

    path = tree / "intents/greeting.yaml"
    text = path.read_text(encoding="utf-8")
    before = path.stat()
    restyled = text.replace("intent: greeting", "intent: 'greeti'")  # same size, no longer canonical
    assert len(restyled) == len(text) and restyled != text
    path.write_text(restyled, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    result = cli("fmt", "--check")
    assert result.exit_code == 1 and result.stdout.split() == ["intents/greeting.yaml"]
    assert formatted == [restyled]


def test_check_cache_is_per_version(cli, tree, monkeypatch):
    """What is canonical depends on the version writing it: another version reads every file."""
    from assistantgit import canonical as canonical_package

    age_one_tick()
    assert cli("fmt", "--check").exit_code == 0
    formatted = []
    real = canonical_package.format_text
    monkeypatch.setattr(
        canonical_package, "format_text", lambda text, *a, **k: formatted.append(1) or real(text, *a, **k)
    )
    assert cli("fmt", "--check").exit_code == 0
    assert formatted == []
    monkeypatch.setattr("assistantgit.__version__", "0.0.0-other")
    assert cli("fmt", "--check").exit_code == 0
    assert formatted
