"""assistantgit.yaml: parsing, errors a user can act on, and `assistantgit init` (issue 6)."""

from __future__ import annotations

import pytest

from assistantgit import canonical
from assistantgit.errors import InputError
from assistantgit.project import load_project, parse_project
from assistantgit.project.overrides import apply


def parse(text: str, tmp_path):
    return parse_project(canonical.loads(text), tmp_path, "assistantgit.yaml")


def test_defaults_and_environments(tmp_path):
    project = parse(
        "environments:\n  dev: {workspace_id: w1}\n  prod-eu: {workspace_id: w2, credentials: WA_PROD}\n", tmp_path
    )
    dev, prod = project.environment("dev"), project.environment("prod-eu")
    assert (project.source, project.kind, project.backups) == (".", "dialog", 10)
    assert (dev.credentials, dev.version, dev.url) == ("ASSISTANT_DEV", "2021-11-27", None)
    assert prod.credentials == "WA_PROD"
    with pytest.raises(InputError, match="no environment 'test' \\(known: dev, prod-eu\\)"):
        project.environment("test")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kind: flows\n", "kind must be one of dialog, actions"),
        ("source: ../elsewhere\n", "source must be a folder inside the project"),
        ("kind: actions\nenvironments:\n  dev: {assistant_id: a, environment: live}\n", "environment must be 'draft'"),
        ("environments:\n  dev: {workspace_id: w, apikey: secret}\n", "unknown key apikey"),
        ("environments:\n  dev: {workspace_id: w, version: 2021}\n", "version must be text"),
        ("environments:\n  dev: {workspace_id: w, credentials: 'my key'}\n", "environment-variable prefix"),
        ("environments:\n  dev: {workspace_id: w, overrides: {skill: x}}\n", "unknown key skill"),
        ("retries: {attempts: 0}\n", "retries.attempts"),
        ("retries: {deadline: 0}\n", "retries.deadline must be a number of seconds"),
        ("retries: {timeout: forever}\n", "retries.timeout must be a number of seconds"),
        ("waits: {interval: -1}\n", "waits.interval must be a number of seconds"),
        ("waits: {every: 1}\n", "unknown key every"),
    ],
)
def test_mistakes_are_named(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        parse(text, tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("environments:\n  dev: {url: x}\n", "needs a workspace_id .*push --env dev --create"),
        ("kind: actions\nenvironments:\n  dev: {url: x}\n", "needs an assistant_id"),
    ],
)
def test_a_missing_id_is_named_when_a_command_needs_it(tmp_path, text, message):
    """`push --create` fills the id in, so the file may lack it until then."""
    env = parse(text, tmp_path).environment("dev")
    with pytest.raises(InputError, match=message):
        env.require_target()


def test_init_writes_a_loadable_file_and_ignores_backups(cli, tmp_path, monkeypatch):
    (tmp_path / ".gitignore").write_text("*.pyc", encoding="utf-8")
    result = cli(
        "init", "--dir", tmp_path, "--kind", "actions", "--env", "test", "--assistant-id", "a-1", "--source", "skill"
    )
    assert result.exit_code == 0, result.stderr
    monkeypatch.chdir(tmp_path / ".")
    (tmp_path / "skill").mkdir()
    monkeypatch.chdir(tmp_path / "skill")  # found from a subfolder
    project = load_project()
    env = project.environment("test")
    assert (project.kind, project.source, env.assistant_id, env.credentials) == (
        "actions",
        "skill",
        "a-1",
        "ASSISTANT_TEST",
    )
    assert (tmp_path / ".gitignore").read_text().splitlines() == ["*.pyc", ".assistantgit/", "ibm-credentials.env"]
    assert cli("init", "--dir", tmp_path).exit_code == 2  # exists
    assert "APIKEY=" not in (tmp_path / "assistantgit.yaml").read_text()


def test_overrides_apply_to_dialog_and_actions():
    dialog = {
        "name": "s",
        "webhooks": [{"name": "w", "url": "u"}],
        "dialog_nodes": [{"dialog_node": "n", "context": {"env": "dev"}}, {"dialog_node": "m"}],
    }
    out = apply(dialog, {"name": "S", "webhooks": {"w": "https://p"}, "context": {"env": "prod"}}, "here")
    assert out == {
        "name": "S",
        "webhooks": [{"name": "w", "url": "https://p"}],
        "dialog_nodes": [{"dialog_node": "n", "context": {"env": "prod"}}, {"dialog_node": "m"}],
    }
    assert dialog["name"] == "s"  # a copy
    actions = {
        "name": "a",
        "type": "action",
        "workspace": {"variables": [{"variable": "env", "initial_value": {"scalar": "dev"}}]},
    }
    out = apply(actions, {"context": {"env": "prod"}, "name": "A"}, "here")
    assert out["workspace"]["variables"][0]["initial_value"] == {"scalar": "prod"} and out["name"] == "A"
    with pytest.raises(InputError, match="no webhook named 'nope'"):
        apply(dialog, {"webhooks": {"nope": "x"}}, "here")
    with pytest.raises(InputError, match="sets 'missing'"):
        apply(actions, {"context": {"missing": 1}}, "here")


def test_ci_examples_parse_and_use_real_commands(cli):
    """examples/ci/ are copied by users: valid YAML, calling commands and options that exist."""
    import re

    from ruamel.yaml import YAML

    from testing.paths import PROJECT

    seen = set()
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        text = (PROJECT / "examples" / "ci" / name).read_text(encoding="utf-8")
        assert isinstance(YAML(typ="safe").load(text), dict)
        for command, rest in re.findall(r"assistantgit ([a-z][a-z-]*)([^\n>|]*)", text):
            if command in ("on", "package"):  # prose such as "assistantgit on GitHub Actions"
                continue
            result = cli(command, "--help")
            assert result.exit_code == 0, (name, command)
            for option in re.findall(r"(--[a-z-]+)", rest):
                assert option in result.stdout, (name, command, option)
            seen.add(command)
    assert {"validate", "diff", "promote"} <= seen
