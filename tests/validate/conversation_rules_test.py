"""validate's AG95x rules on conversation test files (conversations/**/*.yaml in a source
tree): each fires at the line of the offending key, for the whole tree and for the file
alone (as the pre-commit hook names it), is silent on the sample suite, and fmt writes the
canonical form the last rule asks for."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistantgit.validate import all_rules
from testing.paths import PROJECT, SAMPLE_REPO


def findings(cli, *args) -> tuple[int, list[tuple[str, int, int, str, str]]]:
    """validate's exit code and its findings as (path, line, column, rule, message)."""
    result = cli("validate", *args)
    assert "Traceback" not in result.stderr
    parsed = []
    for line in result.stdout.splitlines():
        match = re.fullmatch(r"(.+?):(\d+):(\d+): (?:error: |warning: )(AG\d{3}) (.*)", line)  # path:l:c: severity: ID
        assert match, line
        parsed.append((match[1], int(match[2]), int(match[3]), match[4], match[5]))
    return result.exit_code, parsed


VALID = """\
conversations:
  - name: Where is my parcel
    turns:
      - input: where is my parcel
        response:
          intent: order_status
          entities:
            - order_number
          node: Order status
          text_contains: order number
"""


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "dialog-skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    monkeypatch.chdir(root)
    return root


def case(old: str, new: str, marker: str):
    def make(root: Path):
        text = VALID.replace(old, new, 1)
        assert text != VALID, old
        (root / "conversations" / "case.yaml").write_text(text, encoding="utf-8")
        return marker

    return make


CASES = {
    "AG951": case(
        "          intent: order_status\n",
        "          intent: order_status\n          intent: refund\n",
        "intent: refund",
    ),  # a key twice: YAML refuses it
    "AG952": case("node: Order status", "nodes: Order status", "nodes:"),
    "AG953": case("text_contains: order number", 'text_matches: "order (number"', "text_matches:"),
    "AG954": case("", "", ""),  # replaced below: needs two conversations
    "AG955": case("intent: order_status", "intent: order_stauts", "intent: order_stauts"),
    "AG956": case("- order_number", "- shipping_method:overnight", "entities:"),
    "AG957": case("node: Order status", "node: Order state", "node: Order state"),
    "AG958": case("      - input: where is my parcel\n        response:\n", "      - response:\n", "- response:"),
}


def _duplicate(root: Path):
    (root / "conversations" / "case.yaml").write_text(VALID + VALID.split("conversations:\n", 1)[1], encoding="utf-8")
    return "- name: Where is my parcel"


def _not_canonical(root: Path):
    turn = "      - input: where is my parcel\n        response:\n"
    moved = VALID.replace(turn, "      - response:\n") + "        input: where is my parcel\n"
    (root / "conversations" / "case.yaml").write_text(moved, encoding="utf-8")
    return "- response:"


CASES["AG954"] = _duplicate
CASES["AG958"] = _not_canonical
OCCURRENCE = {"AG954": 2}


def test_every_conversation_rule_has_a_case():
    assert sorted(CASES) == [r.id for r in all_rules() if r.id.startswith("AG95")]


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_at_the_right_line(cli, tree, rule_id):
    marker = CASES[rule_id](tree)
    path = tree / "conversations" / "case.yaml"
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if marker in line]
    expected = lines[OCCURRENCE.get(rule_id, 1) - 1]
    severity = next(r.severity for r in all_rules() if r.id == rule_id)
    for args in ((), ("conversations/case.yaml",)):
        code, found = findings(cli, *args)
        hits = [f for f in found if f[3] == rule_id]
        assert ("conversations/case.yaml", expected) in {(f[0], f[1]) for f in hits}, (rule_id, args, found)
        assert code == (1 if severity == "error" else 0), found


def test_the_sample_suites_are_clean(cli, tree):
    assert findings(cli) == (0, [])
    assert cli("validate", "--strict", "conversations/orders.yaml").exit_code == 0


def test_actions_names_are_known_by_id_and_title(cli, tmp_path, monkeypatch):
    root = tmp_path / "actions-skill"
    shutil.copytree(SAMPLE_REPO / "actions-skill", root)
    monkeypatch.chdir(root)
    (root / "conversations").mkdir(exist_ok=True)
    (root / "conversations" / "a.yaml").write_text(
        "conversations:\n  - name: Titles and ids\n    turns:\n      - input: where is my order\n        response:\n"
        "          intent: action_21001_intent_52001\n          action: Where is my order?\n"
        "      - input: cancel\n        response:\n          action: action_21002\n"
        "      - input: nothing\n        response:\n          action: Order pizza\n",
        encoding="utf-8",
    )
    _, found = findings(cli)
    text = (root / "conversations" / "a.yaml").read_text(encoding="utf-8").split("\n")
    line = next(n for n, content in enumerate(text, 1) if "action: Order pizza" in content)
    assert [(f[3], f[1]) for f in found if f[3].startswith("AG95")] == [("AG957", line)]


def test_an_assistant_zip_tree_checks_names_in_both_parts(cli, tmp_path, monkeypatch):
    root = tmp_path / "assistant-zip"
    shutil.copytree(SAMPLE_REPO / "assistant-zip", root)
    monkeypatch.chdir(root)
    (root / "conversations").mkdir()
    (root / "conversations" / "both.yaml").write_text(
        "conversations:\n  - name: Both parts\n    turns:\n      - input: hi\n        response:\n"
        "          intent: greeting\n          action: Greet customer\n          node: node_bogus\n",
        encoding="utf-8",
    )
    _, found = findings(cli)
    assert [(f[0], f[3]) for f in found if f[3].startswith("AG95")] == [("conversations/both.yaml", "AG957")]
    assert findings(cli, "--select", "AG955") == (0, [])


def test_fmt_writes_the_canonical_form_and_keeps_comments(cli, tree):
    path = tree / "conversations" / "case.yaml"
    _not_canonical(tree)
    path.write_text("# proposals reviewed by Ana\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert cli("fmt", "--check").exit_code == 1
    assert cli("fmt", "conversations/case.yaml").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# proposals reviewed by Ana\n")
    assert text.index("input: where is my parcel") < text.index("response:")
    assert findings(cli) == (0, [])


def test_hooks_pass_conversation_files_and_validate_takes_them(cli, tree):
    """pre-commit hands validate and fmt the files its `files:` pattern matches (Python re)."""
    hooks = (PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    patterns = [re.compile(p) for p in re.findall(r"files: '([^']+)'", hooks)]
    assert len(patterns) == 2
    for pattern in patterns:
        assert pattern.search("skill/conversations/orders.yaml")
        assert pattern.search("conversations/nested/more.yaml")
        assert not pattern.search("src/conversations.py")
    CASES["AG955"](tree)
    result = cli("validate", "--skip-outside", str(tree / "conversations" / "case.yaml"))
    assert result.exit_code == 0 and "AG955" in result.stdout
    outside = tree.parent / "elsewhere" / "conversations"
    outside.mkdir(parents=True)
    (outside / "chat.yaml").write_text("not: a test\n", encoding="utf-8")
    assert cli("validate", "--skip-outside", str(outside / "chat.yaml")).exit_code == 0


def test_validate_imports_no_sdk_for_conversation_files(tree):
    """The hook runs on every commit: checking conversation files must not load the runner or the SDK."""
    import subprocess
    import sys

    code = (
        "import sys; from assistantgit.cli import run; rc = run(['validate', 'conversations/orders.yaml']); "
        "bad = [m for m in sys.modules if m.startswith(('ibm_watson', 'ibm_cloud_sdk_core', 'requests', "
        "'assistantgit.conversations.runner', 'assistantgit.conversations.sessions'))]; print(rc, bad)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True)
    assert proc.stdout.strip() == "0 []", proc.stdout + proc.stderr
