"""Previews of branches and `push --create` (issue 15): workspaces and assistants made,
found again by name, updated and deleted; a new id written back into
assistantgit.yaml with its comments. The real SDK against testing/watson_server.py."""

from __future__ import annotations

import copy

import git
import pytest

from testing.remote_project import (
    SKILL,
    WAITS,
    actions_config,
    add_assistant,
    add_intent,
    dialog_config,
    make_project,
    posts,
    write_yaml,
)


def init_repo(root, branch="main"):
    repo = git.Repo.init(root, initial_branch=branch)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
        config.set_value("commit", "gpgsign", "false")
    return repo


@pytest.fixture
def dialog_project(cli, tmp_path, watson, monkeypatch):
    watson.state.workspaces["ws-dev"] = copy.deepcopy(SKILL)
    root = make_project(tmp_path, watson, monkeypatch, dialog_config(watson.url, WAITS))
    for variable in ("GITHUB_HEAD_REF", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "BITBUCKET_BRANCH", "CHANGE_BRANCH"):
        monkeypatch.delenv(variable, raising=False)
    assert cli("pull", "--env", "dev").exit_code == 0
    return root


def test_a_preview_is_created_updated_reused_and_deleted(cli, dialog_project, watson):
    root = dialog_project
    repo = init_repo(root, "feature/delivery")
    repo.git.add("-A")
    repo.index.commit("skill")
    dev_before = copy.deepcopy(watson.state.workspaces["ws-dev"])
    add_intent(root / "skill", "delivery")

    result = cli("preview", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    ident = result.stdout.splitlines()[0]
    assert ident == "ws-new-1"
    assert "Created preview 'Bike repair [feature/delivery]'" in result.stderr and "verified" in result.stderr
    held = watson.state.workspaces[ident]
    assert held["name"] == "Bike repair [feature/delivery]"
    assert "delivery" in {i["intent"] for i in held["intents"]}
    assert not (root / ".assistantgit" / "backups").exists()  # a preview is rebuilt from its branch

    add_intent(root / "skill", "pickup")
    result = cli("preview", "--env", "dev")  # the pull request is updated: found again by name
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ident and "Updated preview" in result.stderr
    assert "+1 intent" in result.stderr
    assert "pickup" in {i["intent"] for i in watson.state.workspaces[ident]["intents"]}
    assert sorted(watson.state.workspaces) == ["ws-dev", ident]
    assert watson.state.workspaces["ws-dev"] == dev_before

    result = cli("preview", "--env", "dev", "--delete")
    assert result.exit_code == 0 and f"Deleted preview 'Bike repair [feature/delivery]' ({ident})" in result.stderr
    assert sorted(watson.state.workspaces) == ["ws-dev"]
    result = cli("preview", "--env", "dev", "--delete")  # closing twice is not an error
    assert result.exit_code == 0 and "nothing to delete" in result.stderr
    assert watson.state.workspaces["ws-dev"] == dev_before


def test_the_branch_comes_from_ci_or_must_be_given(cli, dialog_project, watson, monkeypatch):
    root = dialog_project
    repo = init_repo(root)
    repo.git.add("-A")
    repo.index.commit("skill")
    repo.git.checkout("--detach")
    result = cli("preview", "--env", "dev")
    assert result.exit_code == 2 and "give --branch" in result.stderr
    monkeypatch.setenv("GITHUB_HEAD_REF", "fix/typo")  # a pull request's job on GitHub
    result = cli("preview", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    assert watson.state.workspaces[result.stdout.split()[0]]["name"] == "Bike repair [fix/typo]"
    long_branch = "x" * 150
    result = cli("preview", "--env", "dev", "--branch", long_branch)
    assert result.exit_code == 0, result.stderr
    name = watson.state.workspaces[result.stdout.split()[0]]["name"]
    assert len(name) == 100 and name.endswith("x]")


def test_an_actions_preview_is_an_assistant_with_a_link(cli, tmp_path, watson, monkeypatch):
    add_assistant(watson, "as-dev")
    config = actions_config(watson.url, WAITS).replace(
        "credentials: ASSISTANT_DEV\n",
        "credentials: ASSISTANT_DEV\n    ui_link: https://ui.example.com/crn:v1::/assistants/{assistant_id}/home\n",
    )
    root = make_project(tmp_path, watson, monkeypatch, config)
    assert cli("pull", "--env", "dev").exit_code == 0
    add_intent(root / "skill", "loyalty")
    result = cli("preview", "--env", "dev", "--branch", "loyalty")
    assert result.exit_code == 0, result.stderr
    ident, link = result.stdout.splitlines()
    assert link == f"https://ui.example.com/crn:v1::/assistants/{ident}/home"
    assistant = watson.state.assistants[ident]
    assert assistant["name"] == "Bike repair actions [loyalty]"
    action = assistant["assistant_skills"][0]
    assert "loyalty" in {i["intent"] for i in action["workspace"]["intents"]}
    assert cli("preview", "--env", "dev", "--branch", "loyalty").stdout.splitlines()[0] == ident
    assert len(watson.state.assistants) == 2
    assert cli("preview", "--env", "dev", "--branch", "loyalty", "--delete").exit_code == 0
    assert list(watson.state.assistants) == ["as-dev"]


# --- push --create ----------------------------------------------------------------------------------

CREATE_CONFIG = """\
# Restoring the bike shop: see docs/lifecycle.md
source: skill
kind: dialog
retries: {{attempts: 3, backoff: 0.01}}   # fast in tests
environments:
  restored:
    url: {url}    # the instance of the restore
    credentials: ASSISTANT_DEV
    # no workspace_id yet: push --create makes one
    overrides: {{name: "Bike repair (restored)"}}
"""


def test_push_create_makes_the_workspace_and_writes_its_id_keeping_comments(cli, tmp_path, watson, monkeypatch):
    root = make_project(tmp_path, watson, monkeypatch, CREATE_CONFIG.format(url=watson.url))
    assert cli("pull", _export(tmp_path), "--dir", root / "skill").exit_code == 0
    result = cli("push", "--env", "restored")
    assert result.exit_code == 2 and "push --env restored --create" in result.stderr
    before = (root / "assistantgit.yaml").read_text()

    result = cli("push", "--env", "restored", "--create")
    assert result.exit_code == 0, result.stderr
    assert "read back and verified" in result.stderr
    after = (root / "assistantgit.yaml").read_text()
    lines = before.splitlines()
    lines.insert(
        lines.index(f"    url: {watson.url}    # the instance of the restore") + 1, "    workspace_id: ws-new-1"
    )
    assert after.splitlines() == lines  # one line more, every comment and flow mapping as it was
    held = watson.state.workspaces["ws-new-1"]
    assert held["name"] == "Bike repair (restored)" and len(held["intents"]) == len(SKILL["intents"])

    add_intent(root / "skill", "brakes")  # again: the id is there now, so it pushes to it
    result = cli("push", "--env", "restored", "--create")
    assert result.exit_code == 0, result.stderr
    assert list(watson.state.workspaces) == ["ws-new-1"]
    assert "brakes" in {i["intent"] for i in watson.state.workspaces["ws-new-1"]["intents"]}


def test_push_create_creates_nothing_when_the_tree_cannot_be_pushed(cli, tmp_path, watson, monkeypatch):
    root = make_project(tmp_path, watson, monkeypatch, CREATE_CONFIG.format(url=watson.url))
    assert cli("pull", _export(tmp_path), "--dir", root / "skill").exit_code == 0
    write_yaml(
        root / "skill" / "webhooks.yaml",
        [
            {
                "name": "main_webhook",
                "url": "https://x.example.com",
                "headers": [{"name": "Authorization", "value": "${ASSISTANTGIT_UNSET_X}"}],
            }
        ],
    )
    before = (root / "assistantgit.yaml").read_text()
    result = cli("push", "--env", "restored", "--create")
    assert result.exit_code == 2 and "ASSISTANTGIT_UNSET_X" in result.stderr
    assert posts(watson) == [] and watson.state.workspaces == {}
    assert (root / "assistantgit.yaml").read_text() == before
    assert cli("push", "--env", "restored", "--create", "--dry-run").exit_code == 2


def _export(tmp_path):
    import json

    path = tmp_path / "export.json"
    path.write_text(json.dumps(SKILL), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["publish", "deploy", "status", "preview", "promote"])
def test_lifecycle_commands_have_help_with_an_example(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert "Example: assistantgit " + command in result.stdout
