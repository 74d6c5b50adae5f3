"""push refuses what the service refuses (issue 10): every validate rule that mirrors a
refusal (AG1xx types and files, AG2xx names, languages and limits, AG3xx links) stops a
push before a byte is written or sent, with path:line:col and exit 2. Advice does not."""

from __future__ import annotations

import json
import re

import pytest

from testing.paths import SAMPLE_REPO

DIALOG = SAMPLE_REPO / "exports" / "customer-care-dialog.json"
ACTIONS = SAMPLE_REPO / "exports" / "customer-care-actions.json"
LOCATION = re.compile(r"^error: \S+:\d+:\d+: AG\d{3} ")


@pytest.fixture
def tree(cli, tmp_path):
    root = tmp_path / "skill"
    assert cli("pull", DIALOG, "--dir", root).exit_code == 0
    return root


def first(folder):
    return sorted(folder.iterdir())[0]


def wrong_types(root):
    (root / "intents" / "broken.yaml").write_text("intent: broken\nexamples: [[1, 2], null]\n", encoding="utf-8")
    return "AG103"


def dangling_jump(root):
    node = first(root / "dialog_nodes")
    text = node.read_text(encoding="utf-8")
    node.write_text(text + "next_step:\n  behavior: jump_to\n  dialog_node: nowhere\n  selector: body\n", "utf-8")
    return "AG307"


def unknown_language(root):
    skill = root / "skill.yaml"
    text = skill.read_text(encoding="utf-8")
    assert "  language: en\n" in text
    skill.write_text(text.replace("  language: en\n", "  language: xx-nonsense\n"), encoding="utf-8")
    return "AG211"


def name_too_long(root):
    (root / "intents" / "long.yaml").write_text(f"intent: {'a' * 129}\nexamples:\n  - hi\n", encoding="utf-8")
    return "AG203"


def another_format(root):
    """One word in skill.yaml: push wrote an upload without any dialog node, exit 0."""
    skill = root / "skill.yaml"
    skill.write_text(skill.read_text(encoding="utf-8").replace("watson-dialog", "watson-actions", 1), "utf-8")
    return "AG106"


def stray_file(root):
    (root / "dialog_nodes" / "notes.txt").write_text("my notes\n", encoding="utf-8")
    return "AG104"


@pytest.mark.parametrize(
    "breakage", [wrong_types, dangling_jump, unknown_language, name_too_long, another_format, stray_file]
)
def test_push_stops_on_what_the_service_refuses(cli, tree, tmp_path, breakage):
    rule_id = breakage(tree)
    out = tmp_path / "upload.json"
    result = cli("push", "--dir", tree, "--out", out)
    assert result.exit_code == 2, result.stderr
    assert "push stopped" in result.stderr and "nothing was written or sent" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert rule_id in result.stderr and LOCATION.search(result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    found = cli("validate", "--dir", tree, "--format", "json")
    assert found.exit_code == 1
    assert {"rule": rule_id, "severity": "error"}.items() <= next(
        f for f in json.loads(found.stdout) if f["rule"] == rule_id
    ).items()


def test_the_format_word_alone_changes_nothing_silently(cli, tree, tmp_path):
    another_format(tree)
    found = cli("validate", "--dir", tree)
    assert "AG106" in found.stdout and "dialog_nodes/" in found.stdout and "webhooks.yaml" not in found.stdout


def test_advice_does_not_stop_a_push(cli, tree, tmp_path):
    intents = sorted((tree / "intents").iterdir())
    shared = "a sentence in two intents"
    for path in intents[:2]:  # AG502, and AG503 for the tiny intent below
        path.write_text(path.read_text(encoding="utf-8") + f"  - {shared}\n", encoding="utf-8")
    (tree / "intents" / "tiny.yaml").write_text("intent: tiny\nexamples:\n  - just one\n", encoding="utf-8")
    node = first(tree / "dialog_nodes")
    text = node.read_text(encoding="utf-8")
    node.write_text(re.sub(r"^conditions: .*$", "conditions: '#no_such_intent'", text, count=1, flags=re.M), "utf-8")
    assert cli("fmt", "--dir", tree).exit_code == 0
    found = cli("validate", "--dir", tree, "--format", "json")
    assert {"AG502", "AG503"} <= {f["rule"] for f in json.loads(found.stdout)} and found.exit_code == 0
    result = cli("push", "--dir", tree, "--out", tmp_path / "upload.json")
    assert result.exit_code == 0, result.stderr


def test_an_ignored_rule_does_not_stop_a_push(cli, tree, tmp_path):
    """The team's escape hatch when a rule is wrong about their service: assistantgit.yaml ignores it."""
    name_too_long(tree)
    (tree.parent / "assistantgit.yaml").write_text("validate:\n  ignore: [AG203]\n", encoding="utf-8")
    assert cli("push", "--dir", tree, "--out", tmp_path / "upload.json").exit_code == 0


def test_actions_tree_refusals_too(cli, tmp_path):
    root = tmp_path / "actions"
    assert cli("pull", ACTIONS, "--dir", root).exit_code == 0
    action = first(root / "actions")
    action.write_text(action.read_text(encoding="utf-8").replace("steps:", "steps: 7\nold_steps:", 1), "utf-8")
    result = cli("push", "--dir", root, "--out", tmp_path / "upload.json")
    # refused when the tree is read, at the field's line and column (formats/fields.py, issue 11)
    assert result.exit_code == 2 and ":17:1: 'steps' must be a list, not a number" in result.stderr


def test_push_env_sends_nothing_when_the_service_would_refuse(cli, tree, watson, monkeypatch, tmp_path):
    from testing.watson_server import API_KEY

    watson.state.workspaces["ws-dev"] = json.loads(DIALOG.read_bytes())
    (tree.parent / "assistantgit.yaml").write_text(
        f"source: skill\nkind: dialog\nenvironments:\n  dev:\n    url: {watson.url}\n"
        "    workspace_id: ws-dev\n    credentials: ASSISTANT_DEV\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tree.parent)
    monkeypatch.setenv("IBM_CREDENTIALS_FILE", str(tmp_path / "absent.env"))
    monkeypatch.setenv("ASSISTANT_DEV_APIKEY", API_KEY)
    monkeypatch.setenv("ASSISTANT_DEV_AUTH_URL", watson.url)
    dangling_jump(tree)
    result = cli("push", "--env", "dev")
    assert result.exit_code == 2 and "AG307" in result.stderr
    assert watson.state.requests == []
    assert not (tree.parent / ".assistantgit" / "backups").exists()
