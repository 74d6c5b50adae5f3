"""Every genuine export in its own shape (issue 10): actions downloads of 2022 wrap their
actions in an envelope whose `type` says dialog. The content decides the format.

tests/formats/watson/data/actions-2022-dialog-envelope.json is our own skill in that shape."""

from __future__ import annotations

import json
import random
from pathlib import Path

from assistantgit import canonical
from assistantgit.formats import registry

SAMPLE = Path(__file__).resolve().parent / "data" / "actions-2022-dialog-envelope.json"


def files(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_envelope_word_does_not_decide():
    data = json.loads(SAMPLE.read_bytes())
    assert data["type"] == "dialog" and data["workspace"]["actions"]
    assert registry.format_for_json(data, "x").name == "watson-actions"
    dialog = {"type": "dialog", "workspace": {"dialog_nodes": [{"dialog_node": "a"}], "intents": []}}
    assert registry.format_for_json(dialog, "x").name == "watson-dialog"
    empty_actions_key = {"type": "dialog", "workspace": {"dialog_nodes": [{"dialog_node": "a"}], "actions": []}}
    assert registry.format_for_json(empty_actions_key, "x").name == "watson-dialog"
    assert registry.format_for_json({"type": "action", "workspace": {"actions": []}}, "x").name == "watson-actions"


def test_a_2022_actions_export_gets_the_actions_tree(cli, tmp_path):
    root = tmp_path / "library"
    result = cli("pull", SAMPLE, "--dir", root)
    assert result.exit_code == 0 and "(watson-actions)" in result.stderr
    skill = canonical.loads((root / "skill.yaml").read_text(encoding="utf-8"), "skill.yaml")
    assert skill["format"] == "watson-actions" and skill["envelope"]["type"] == "dialog"
    assert "actions" not in skill["workspace"] and "variables" not in skill["workspace"]
    assert sorted(p.name for p in (root / "actions").iterdir()) == [
        "Greet_the_reader.yaml",
        "No_action_matches.yaml",
        "Opening_hours.yaml",
        "Renew_a_book.yaml",
    ]
    assert (root / "variables" / "last_barcode.yaml").is_file()
    assert cli("validate", "--dir", root).exit_code == 0


def test_a_redownload_in_another_order_changes_no_file(cli, tmp_path):
    root = tmp_path / "library"
    assert cli("pull", SAMPLE, "--dir", root).exit_code == 0
    before = files(root)
    data = json.loads(SAMPLE.read_bytes())
    random.Random(7).shuffle(data["workspace"]["actions"])
    data["workspace"]["intents"].reverse()
    data["updated"] = "2022-06-01T08:00:00.000Z"
    again = tmp_path / "again.json"
    again.write_text(json.dumps(data), encoding="utf-8")
    result = cli("pull", again, "--dir", root)
    assert result.exit_code == 0 and "0 created, 0 changed, 0 deleted" in result.stderr
    assert files(root) == before


def test_push_gives_back_the_same_skill_in_its_envelope(cli, tmp_path):
    root = tmp_path / "library"
    assert cli("pull", SAMPLE, "--dir", root).exit_code == 0
    out = tmp_path / "upload.json"
    assert cli("push", "--dir", root, "--out", out).exit_code == 0
    original, pushed = json.loads(SAMPLE.read_bytes()), json.loads(out.read_bytes())
    assert pushed["type"] == "dialog" and pushed["name"] == original["name"]

    def by_id(items, key):  # examples are a set: the tree keeps them sorted
        return {item[key]: {**item, "examples": sorted(map(str, item.get("examples", [])))} for item in items}

    for key, ident in (("actions", "action"), ("intents", "intent"), ("variables", "variable")):
        assert by_id(pushed["workspace"][key], ident) == by_id(original["workspace"][key], ident), key
