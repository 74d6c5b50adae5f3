"""A new format is one module and one registry line: a toy format registered at runtime
is pulled, pushed, validated, formatted and diffed by commands that know nothing of it."""

from __future__ import annotations

import json
import sys

import pytest

from assistantgit.formats import registry
from testing import toy_format

EXPORT = {
    "toy": 1,
    "title": "Shopping",
    "notes": [{"id": "milk", "text": "two litres"}, {"id": "bread", "text": "rye"}],
}


@pytest.fixture
def toy(tmp_path):
    registry.register(toy_format.ENTRY)
    yield tmp_path
    registry.unregister(toy_format.NAME)


def write(path, data) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_pull_and_push_round_trip(cli, toy):
    result = cli("pull", write(toy / "notes.json", EXPORT), "--dir", toy / "tree")
    assert result.exit_code == 0, result.stderr
    assert "(toy-notes)" in result.stderr
    assert sorted(p.name for p in (toy / "tree" / "notes").iterdir()) == ["bread.yaml", "milk.yaml"]
    assert (toy / "tree" / "toy.yaml").read_text(encoding="utf-8").startswith("format: toy-notes\n")
    assert cli("push", "--dir", toy / "tree", "--out", toy / "out.json").exit_code == 0
    pushed = json.loads((toy / "out.json").read_text(encoding="utf-8"))
    assert pushed == {**EXPORT, "notes": sorted(EXPORT["notes"], key=lambda note: note["id"])}


def test_validate_runs_the_rules_the_format_asks_for_and_its_own_check(cli, toy, monkeypatch):
    assert cli("pull", write(toy / "notes.json", EXPORT), "--dir", toy / "tree").exit_code == 0
    monkeypatch.chdir(toy / "tree")
    clean = cli("validate")
    assert clean.exit_code == 0, clean.stdout + clean.stderr
    assert toy_format.FORMAT.unchecked in clean.stderr
    (toy / "tree" / "notes" / "milk.yaml").write_text("id: milk\ntext: ''\n", encoding="utf-8")
    (toy / "tree" / "notes" / "eggs.yaml").write_text("text: a dozen\n", encoding="utf-8")
    found = cli("validate", "--format", "json")
    rules = sorted((finding["path"], finding["rule"]) for finding in json.loads(found.stdout))
    assert found.exit_code == 1
    # AG102: a note without its id field (from the collection); AG701: not canonical; AG801: the
    # format's own check. No Watson rule (names, dialog links...) runs on a toy tree.
    assert rules == [("notes/eggs.yaml", "AG102"), ("notes/milk.yaml", "AG701"), ("notes/milk.yaml", "AG801")]
    assert cli("fmt", "notes/milk.yaml").exit_code == 0  # canonical key order: text first
    assert (toy / "tree" / "notes" / "milk.yaml").read_text(encoding="utf-8") == 'text: ""\nid: milk\n'


def test_diff_names_items_the_way_the_format_says(cli, toy):
    changed = {**EXPORT, "title": "Groceries", "notes": [{"id": "milk", "text": "one litre"}, {"id": "jam"}]}
    result = cli("diff", write(toy / "a.json", EXPORT), write(toy / "b.json", changed), "--format", "json")
    assert result.exit_code == 0, result.stderr
    diff = json.loads(result.stdout)
    assert diff["format"] == "toy-notes"
    assert [(s["kind"], s["label"]) for s in diff["summary"]] == [("settings", "Notebook settings"), ("notes", "Notes")]
    assert sorted((c["status"], c["name"]) for c in diff["changes"]) == [
        ("added", "~jam"),
        ("changed", "notebook settings"),
        ("changed", "~milk"),
        ("removed", "~bread"),
    ]


def test_a_json_pull_imports_no_zip_or_avaamo_code(tmp_path):
    """The registry imports a format only when it is asked: start-up stays small."""
    import subprocess

    export = write(tmp_path / "skill.json", {"intents": [], "entities": [], "dialog_nodes": []})
    code = (
        "import sys; from assistantgit.cli import run; "
        f"code = run(['pull', {export!r}, '--dir', {str(tmp_path / 'tree')!r}]); "
        "print(sorted(m for m in sys.modules if m.startswith('assistantgit.formats.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip()
    assert "assistantgit.formats.watson.dialog" in loaded
    assert "avaamo" not in loaded and "assistantgit.formats.watson.zip'" not in loaded
