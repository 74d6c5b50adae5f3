"""Rule selection and severity (issue 10): errors are what the service refuses, advice is a
warning, and a team that wants advice as a gate says so in assistantgit.yaml (ids or
prefixes, the longest match wins, as in ruff) or with --strict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistantgit.errors import InputError
from assistantgit.validate import ERROR, RULES, WARNING, all_rules
from assistantgit.validate._settings import DEFAULT, RuleSettings, parse
from testing.paths import SAMPLE_REPO

DIALOG = SAMPLE_REPO / "exports" / "customer-care-dialog.json"


@pytest.fixture
def tree(cli, tmp_path):
    """The sample with the same example in two intents (AG502) and twice in one (AG501)."""
    data = json.loads(DIALOG.read_bytes())
    first, second = data["intents"][0], data["intents"][1]
    shared = second["examples"][0]["text"]
    first["examples"] += [{"text": shared}, {"text": first["examples"][0]["text"].upper()}]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(data), encoding="utf-8")
    root = tmp_path / "project" / "skill"
    assert cli("pull", export, "--dir", root).exit_code == 0
    return root


def rules_in(result) -> set:
    return {finding["rule"] for finding in json.loads(result.stdout or "[]")}


def severities(result) -> dict:
    return {finding["rule"]: finding["severity"] for finding in json.loads(result.stdout or "[]")}


def test_training_data_advice_is_a_warning_by_default(cli, tree):
    result = cli("validate", "--dir", tree, "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert severities(result)["AG501"] == severities(result)["AG502"] == WARNING
    assert cli("validate", "--dir", tree, "--strict").exit_code == 1
    assert {r.id for r in all_rules() if r.severity == WARNING} >= {"AG501", "AG502", "AG504"}


def test_assistantgit_yaml_makes_advice_a_gate(cli, tree):
    (tree.parent / "assistantgit.yaml").write_text("validate:\n  error: [AG5]\n  warning: [AG501]\n", encoding="utf-8")
    result = cli("validate", "--dir", tree, "--format", "json")
    assert result.exit_code == 1
    found = severities(result)
    assert found["AG502"] == ERROR and found["AG501"] == WARNING  # the longer prefix wins


def test_ignore_and_select_by_id_or_prefix(cli, tree):
    (tree.parent / "assistantgit.yaml").write_text("validate:\n  ignore: [AG5]\n", encoding="utf-8")
    assert not rules_in(cli("validate", "--dir", tree, "--format", "json")) & {"AG501", "AG502", "AG503"}
    (tree.parent / "assistantgit.yaml").write_text("validate:\n  ignore: [AG5]\n  select: [AG, AG502]\n")
    assert "AG502" in rules_in(cli("validate", "--dir", tree, "--format", "json"))
    (tree.parent / "assistantgit.yaml").unlink()
    assert rules_in(cli("validate", "--dir", tree, "--format", "json", "--select", "AG501")) == {"AG501"}
    found = rules_in(cli("validate", "--dir", tree, "--format", "json", "--select", "ag5", "--ignore", "AG503"))
    assert found == {"AG501", "AG502"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("validate:\n  ignore: [AG999]\n", "no rule 'AG999'"),
        ("validate:\n  ignore: [E501]\n", "no rule 'E501'"),
        ("validate:\n  severity: {AG502: error}\n", "unknown key severity"),
        ("validate:\n  error: [AG502]\n  warning: [AG502]\n", "both an error and a warning"),
        ("validate: [AG5]\n", "must be a mapping"),
    ],
)
def test_a_bad_rule_setting_is_exit_2_naming_it(cli, tree, text, message):
    (tree.parent / "assistantgit.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", "--dir", tree)
    assert result.exit_code == 2 and message in result.stderr


def test_an_unknown_rule_on_the_command_line_is_exit_2(cli, tree):
    assert cli("validate", "--dir", tree, "--ignore", "AG9999").exit_code == 2
    assert cli("validate", "--dir", tree, "--select", "XY1").exit_code == 2


def test_longest_match_decides():
    settings = RuleSettings(select=("AG", "AG502"), ignore=("AG5",), error=("AG5",), warning=("AG503",))
    assert settings.runs("AG502") and not settings.runs("AG501") and settings.runs("AG101")
    assert settings.severity(RULES["AG502"]) == ERROR and settings.severity(RULES["AG503"]) == WARNING
    assert DEFAULT.severity(RULES["AG101"]) == ERROR
    assert parse(None, "x") == DEFAULT
    with pytest.raises(InputError):
        parse({"select": "nonsense"}, "x")


def test_settings_come_from_the_project_above_the_tree(cli, tree, tmp_path):
    """validate run from elsewhere (CI at the repository root, --dir skill) reads the project
    file that holds the tree, not one of the current folder."""
    (tree.parent / "assistantgit.yaml").write_text("validate:\n  error: [AG502]\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "assistantgit.yaml").write_text("validate:\n  ignore: [AG]\n", encoding="utf-8")
    result = cli("validate", "--dir", Path(tree), "--format", "json")
    assert result.exit_code == 1 and severities(result)["AG502"] == ERROR
