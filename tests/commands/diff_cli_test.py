"""`assistantgit diff`, `git-setup` and `textconv` from the command line, on real git repositories."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from assistantgit import canonical
from assistantgit.pipeline import pull_file
from testing.exports import reshuffled, sample_export_bytes
from testing.terminal import run_on_a_terminal

EXPECTED = {
    ("intents", "changed", "cancel_order"),
    ("intents", "renamed", "thank_you"),
    ("entities", "changed", "shipping_method"),
    ("dialog_nodes", "changed", "node_refund"),
    ("counterexamples", "added", "sing me a song"),
}


def test_json_names_exactly_the_changes(cli, changed_skill):
    result = cli("diff", "HEAD~1", "HEAD", "--dir", changed_skill.root, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert sorted(doc) == ["changes", "format", "left", "right", "summary", "total", "version"]
    assert {(c["kind"], c["status"], c["id"]) for c in doc["changes"]} == EXPECTED
    assert doc["total"] == 5 and (doc["left"], doc["right"]) == ("HEAD~1", "HEAD")
    assert {row["kind"]: row["changed"] + row["added"] + row["renamed"] for row in doc["summary"]} == {
        "intents": 2,
        "entities": 1,
        "dialog_nodes": 1,
        "counterexamples": 1,
    }
    for change in doc["changes"]:
        assert sorted(change) == [
            "details",
            "id",
            "kind",
            "name",
            "old_id",
            "old_name",
            "old_path",
            "path",
            "status",
            "what",
        ]
        for detail in change["details"]:
            assert sorted(detail) == ["after", "before", "change", "field"]
    node = next(c for c in doc["changes"] if c["kind"] == "dialog_nodes")
    assert node["details"] == [
        {"field": "conditions", "change": "changed", "before": "#refund", "after": "#refund && @order_number"}
    ]


def test_text_names_exactly_the_changes(cli, changed_skill):
    result = cli("diff", "HEAD~1", "HEAD", "--dir", changed_skill.root)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "\x1b[" not in text  # not a terminal: plain text
    items = [line.strip() for line in text.splitlines() if re.match(r"  [-+~>] ", line)]
    assert sorted(items) == sorted(
        [
            "~ #cancel_order",
            "> #thanks renamed to #thank_you",
            "~ @shipping_method",
            "~ 'Refund' (node_refund)",
            "+ sing me a song added",
        ]
    )
    assert "+ examples: scrap my order | now" in text
    assert "~ conditions: #refund -> #refund && @order_number" in text
    assert re.search(r"\+ values\[[^\]]+\]\.synonyms: pigeon post", text)
    assert text.splitlines()[0] == "watson-dialog: HEAD~1 -> HEAD: 5 changes"


def test_markdown_table_and_details(cli, changed_skill):
    result = cli("diff", "HEAD~1", "HEAD", "--dir", changed_skill.root, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    rows = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows == [
        "| Kind | Added | Removed | Changed | Renamed |",
        "| Intents | 0 | 0 | 1 | 1 |",
        "| Entities | 0 | 0 | 1 | 0 |",
        "| Dialog nodes | 0 | 0 | 1 | 0 |",
        "| Counterexamples | 1 | 0 | 0 | 0 |",
        "| **Total** | **1** | **0** | **3** | **1** |",
    ]
    items = [line for line in md.splitlines() if line.startswith("- **")]
    assert sorted(items) == sorted(
        [
            "- **changed** `#cancel_order`",
            "- **renamed** `#thanks` → `#thank_you`",
            "- **changed** `@shipping_method`",
            "- **changed** `'Refund' (node_refund)`",
            "- **added** `sing me a song`",
        ]
    )
    assert "  - added `examples`: `scrap my order | now`" in md
    assert "  - changed `conditions`: `#refund` → `#refund && @order_number`" in md


def test_markdown_folds_long_sections(cli, changed_skill):
    skill = changed_skill
    for number in range(20):
        skill.save(
            skill.root / "intents" / f"extra_{number}.yaml",
            {"intent": f"extra_{number}", "examples": [f"say {number}"]},
        )
    skill.edit(
        "intents", "intent", "refund", lambda i: i.update(examples=[f"new refund phrase {n}" for n in range(30)])
    )
    skill.commit("many")
    md = cli("diff", "HEAD~1", "HEAD", "--dir", skill.root, "--format", "markdown").stdout
    assert "<details><summary>21 intents (20 added, 1 changed)</summary>" in md
    assert re.search(r"<details><summary>\d+ field changes</summary>", md)
    assert md.count("<details>") == md.count("</details>") == 2


def test_exit_code_and_working_tree(cli, changed_skill):
    root = changed_skill.root
    assert cli("diff", "--dir", root, "--exit-code").exit_code == 0
    changed_skill.node("node_refund", lambda n: n.update(conditions="#refund"))
    result = cli("diff", "--dir", root, "--exit-code")
    assert result.exit_code == 1
    assert "'Refund' (node_refund)" in result.stdout and "HEAD -> working tree" in result.stdout
    assert cli("diff", "HEAD~1", "--dir", root, "--exit-code", "--format", "json").exit_code == 1
    assert json.loads(cli("diff", "HEAD~1", "--dir", root, "--format", "json").stdout)["total"] == 4


def test_exports_differing_only_in_volatile_fields_and_order(cli, tmp_path, monkeypatch):
    """In-process: the subject is the comparison (test_textconv_view_and_fallback runs the real process)."""
    monkeypatch.chdir(tmp_path)
    export = json.loads(sample_export_bytes())
    (tmp_path / "a.json").write_text(json.dumps(reshuffled(export, 3)), "utf-8")
    (tmp_path / "b.json").write_text(json.dumps(reshuffled(export, 4), indent=1), "utf-8")
    for fmt in ("text", "markdown", "json"):
        result = cli("diff", "a.json", "b.json", "--exit-code", "--format", fmt)
        assert result.exit_code == 0, result.stderr
    assert result.stdout.count('"total": 0') == 1
    text = cli("diff", "a.json", "b.json").stdout
    assert text.strip() == "No differences between a.json and b.json."


def test_bad_arguments_are_one_line_errors(cli, changed_skill, tmp_path):
    result = cli("diff", "nope-not-a-rev", "--dir", changed_skill.root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "nope-not-a-rev: not an export file" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    result = cli("diff", broken, broken)
    assert result.exit_code == 2 and "invalid JSON" in result.stderr
    result = cli("diff", "HEAD~1", "HEAD")  # the tree is in skill/, not at the top: found below, and said
    assert result.exit_code == 0 and result.stderr.splitlines()[0] == "Tree: skill (found below the current folder)"


def test_help_has_examples(cli):
    for command in ("diff", "git-setup", "textconv"):
        result = cli(command, "--help")
        assert result.exit_code == 0 and "Example: assistantgit" in result.stdout


def _git(repo, *args) -> str:
    return subprocess.run(["git", *args], cwd=repo.working_tree_dir, capture_output=True, text=True, check=True).stdout


@pytest.mark.slow  # real git runs assistantgit as its textconv driver, once per version of the file
def test_git_setup_makes_git_diff_readable(cli_process, in_git_dir, tmp_path):
    repo = in_git_dir
    exports = tmp_path / "exports"
    exports.mkdir()
    export = json.loads(sample_export_bytes())
    target = exports / "skill.json"
    target.write_text(json.dumps(export, separators=(",", ":")), "utf-8")
    repo.git.add("-A")
    repo.index.commit("export")
    workspace = export.get("workspace", export)
    intent = next(i for i in workspace["intents"] if i["intent"] == "refund")
    intent["examples"].append({"text": "where is my reimbursement"})
    export["updated"] = "2035-01-01T00:00:00Z"
    target.write_text(json.dumps(export, separators=(",", ":")), "utf-8")

    raw = _git(repo, "diff")
    assert raw.count("\n-{") == 1  # without the driver: one changed line of JSON

    result = cli_process("git-setup", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    attributes = (tmp_path / ".gitattributes").read_text("utf-8")
    assert "**/exports/*.json diff=assistantgit" in attributes
    assert repo.config_reader().get_value('diff "assistantgit"', "textconv").endswith("textconv")

    readable = _git(repo, "diff")
    assert "+  - where is my reimbursement" in readable
    assert re.search(r"^@@ .* @@ === intents/refund.yaml ===$", readable, re.M)  # hunk headers name the file
    changed = [
        line for line in readable.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert changed == ["+  - where is my reimbursement"]  # the timestamp is volatile: not shown
    repo.git.add("-A")
    repo.index.commit("more refunds")
    assert "+  - where is my reimbursement" in _git(repo, "log", "-p", "-1", "--", "exports/skill.json")

    # idempotent: a second run changes neither file
    config_before = (Path(repo.git_dir) / "config").read_bytes()
    again = cli_process("git-setup", cwd=tmp_path)
    assert again.exit_code == 0 and "nothing changed" in again.stderr
    assert (tmp_path / ".gitattributes").read_text("utf-8") == attributes
    assert (Path(repo.git_dir) / "config").read_bytes() == config_before


def test_git_setup_custom_pattern_keeps_existing_attributes(cli, in_git_dir, tmp_path):
    (tmp_path / ".gitattributes").write_text("*.png binary", "utf-8")
    assert cli("git-setup", "--pattern", "skills/*.json", "--pattern", "skills/*.json").exit_code == 0
    lines = (tmp_path / ".gitattributes").read_text("utf-8").splitlines()
    assert lines[0] == "*.png binary"
    assert lines.count("skills/*.json diff=assistantgit") == 1


def test_git_setup_outside_a_repository(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("git-setup")
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr
    assert "git init" in result.stderr and "export files" not in result.stderr  # not diff's advice


def test_git_setup_leaves_gitattributes_readable(cli, in_git_dir, tmp_path):
    """.gitattributes is committed and read by every git user: not owner-only like a backup."""
    (tmp_path / ".gitattributes").write_text("*.png binary\n", "utf-8")
    (tmp_path / ".gitattributes").chmod(0o644)
    assert cli("git-setup").exit_code == 0
    assert "diff=assistantgit" in (tmp_path / ".gitattributes").read_text("utf-8")
    assert (tmp_path / ".gitattributes").stat().st_mode & 0o777 == 0o644


def test_textconv_view_and_fallback(cli_process, tmp_path):
    export = tmp_path / "skill.json"
    export.write_bytes(sample_export_bytes())
    view = cli_process("textconv", export).stdout
    headers = re.findall(r"^=== (.+) ===$", view, re.M)
    assert headers[0] == "skill.yaml" and "intents/refund.yaml" in headers
    body = view.split("=== intents/refund.yaml ===\n", 1)[1].split("\n=== ", 1)[0]
    assert canonical.loads(body)["intent"] == "refund"
    other = tmp_path / "package.json"
    other.write_text('{"name": "not a skill"}', "utf-8")
    result = cli_process("textconv", other)
    assert result.exit_code == 0 and result.stdout == '{"name": "not a skill"}'


def _run_on_terminal(args, cwd, env) -> str:
    """What diff shows at a terminal; it must succeed."""
    run = run_on_a_terminal(args, cwd, env)
    assert run.code == 0, run.err
    return run.out


@pytest.mark.slow  # three processes on a pseudo-terminal
def test_text_is_coloured_on_a_terminal_only(changed_skill, tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    args = ["diff", "HEAD~1", "HEAD", "--dir", changed_skill.root]
    coloured = _run_on_terminal(args, tmp_path, env)
    assert "\x1b[" in coloured and "#cancel_order" in coloured
    plain = _run_on_terminal(args, tmp_path, {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in plain and "#cancel_order" in plain
    assert _run_on_terminal([*args, "--no-color"], tmp_path, env).count("\x1b[") == 0


def test_git_setup_with_a_locked_config_is_one_line_exit_2(cli, in_git_dir, tmp_path):
    """A config.lock left by a crashed git (or a read-only clone): say which file, exit 2, not 3."""
    lock = Path(in_git_dir.git_dir) / "config.lock"
    lock.write_text("", "utf-8")
    result = cli("git-setup")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "config" in result.stderr and "unexpected" not in result.stderr
    assert not (tmp_path / ".gitattributes").exists()


def test_an_item_file_without_its_id_is_named_by_its_file(cli, tmp_path):
    """An emptied intent file (a bad merge, a hand edit) shows as its file, not as `#None`."""
    export = tmp_path / "skill.json"
    export.write_bytes(sample_export_bytes())
    for side in ("a", "b"):
        pull_file(export, tmp_path / side)
    (tmp_path / "b" / "intents" / "refund.yaml").write_text("", encoding="utf-8")
    result = cli("diff", tmp_path / "a", tmp_path / "b", "--format", "json")
    assert result.exit_code == 0, result.stderr
    added = [c for c in json.loads(result.stdout)["changes"] if c["status"] == "added"]
    assert [c["name"] for c in added] == ["(intents/refund.yaml)"]
    assert "None" not in cli("diff", tmp_path / "a", tmp_path / "b").stdout
