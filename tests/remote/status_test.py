"""assistantgit status (issue 15): what each environment holds compared with git, and
drift for a scheduled CI job (--exit-code). The real SDK against testing/watson_server.py."""

from __future__ import annotations

import copy
import json

import git
import pytest

from assistantgit import canonical
from testing.remote_project import SKILL, WAITS, actions_config, add_assistant, add_intent, make_project


def init_repo(root):
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
        config.set_value("commit", "gpgsign", "false")
    (root / ".gitignore").write_text(".assistantgit/\n", encoding="utf-8")
    return repo


def commit_all(repo, message: str) -> str:
    repo.git.add("-A")
    repo.index.commit(message)
    return repo.git.rev_parse("--short", "HEAD")


@pytest.fixture
def promoted(cli, tmp_path, watson, monkeypatch):
    """Actions environments dev and prod; main promoted to both, published and deployed to prod's live."""
    for name in ("as-dev", "as-prod"):
        add_assistant(watson, name)
    root = make_project(
        tmp_path,
        watson,
        monkeypatch,
        actions_config(watson.url, WAITS, envs=("dev", "prod")),
        prefixes=("ASSISTANT_DEV", "ASSISTANT_PROD"),
    )
    repo = init_repo(root)
    assert cli("pull", "--env", "prod").exit_code == 0
    short = commit_all(repo, "Skill from prod")
    assert cli("promote", "--to", "prod", "--publish", "--deploy-to", "live").exit_code == 0
    assert cli("promote", "--to", "dev").exit_code == 0
    return root, repo, short


def test_status_is_clean_after_a_promote_and_names_what_the_web_ui_changed(cli, promoted, watson):
    root, repo, short = promoted
    result = cli("status", "--exit-code")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"Compared with main ({short} Skill from prod):",
        "dev draft: matches main",
        "dev live: no release deployed",
        "prod draft: matches main",
        f"prod live: release 1 of 2026-12-01 = commit {short}, up to date with main",
        "No drift.",
    ]
    # behind git's back: an intent added and an action's answer edited in the web UI
    action = watson.state.assistants["as-prod"]["assistant_skills"][0]
    action["workspace"]["intents"].append({"intent": "opening_hours", "examples": [{"text": "when do you open"}]})
    action["workspace"]["actions"][0]["steps"][0]["output"]["generic"][0]["values"][0]["text"] = "Which day, please?"
    result = cli("status", "--exit-code")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "prod draft: 2 changes not in git (actions ~1, intents +1)" in lines
    assert "  + intent #opening_hours" in lines
    assert "  ~ action 'Book a repair' (action_book)" in lines
    assert lines[-1] == "Drift: prod"
    assert "dev draft: matches main" in lines

    # one commit later, live is behind
    add_intent(root / "skill", "pickup")
    commit_all(repo, "Add pickup")
    result = cli("status", "--env", "prod")
    assert result.exit_code == 0  # without --exit-code, drift is reported, not an error
    assert f"prod live: release 1 of 2026-12-01 = commit {short}, 1 commit behind main" in result.stdout
    assert "dev draft" not in result.stdout
    assert "prod draft: 3 changes not in git (actions ~1, intents +1 -1)" in result.stdout


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_status_as_json_and_markdown(cli, promoted, watson):
    _root, repo, short = promoted
    watson.state.assistants["as-dev"]["assistant_skills"][0]["workspace"]["intents"].append(
        {"intent": "ui_only", "examples": [{"text": "from the UI"}]}
    )
    result = cli("status", "--format", "json", "--exit-code")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["drift"] is True and data["revision"] == "main" and data["commit"].startswith(short)
    dev, prod = data["environments"]
    assert (dev["name"], dev["drift"], dev["draft"]["changes"]) == ("dev", True, 1)
    assert dev["draft"]["items"][0]["name"] == "#ui_only" and dev["draft"]["items"][0]["status"] == "added"
    assert prod["drift"] is False and prod["draft"]["matches"] is True
    assert prod["deployments"] == [
        {
            "environment": "live",
            "release": "1",
            "created": "2026-12-01T10:00:00.000Z",
            "description": f"{short} Skill from prod",
            "commit": repo.head.commit.hexsha,
            "behind": 0,
            "in_history": True,
            "from_git": True,
        }
    ]
    result = cli("status", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("### assistantgit status: drift in dev\n")
    assert "| dev draft | 1 change not in git (intents +1) |" in result.stdout
    assert "+ intent #ui_only" in result.stdout
    assert cli("status", "--format", "yaml").exit_code == 2


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_a_release_published_outside_git_is_drift(cli, promoted, watson):
    watson.state.lifecycle.publish_outcome = "Available"
    assert cli("publish", "--env", "prod", "--description", "hotfix from the UI").exit_code == 0
    assert cli("deploy", "--env", "prod", "--release", "2", "--to", "live").exit_code == 0
    result = cli("status", "--exit-code", "--env", "prod")
    assert result.exit_code == 1
    assert 'prod live: release 2 of 2026-12-01 was not published from git ("hotfix from the UI")' in result.stdout
    assert result.stdout.splitlines()[-1] == "Drift: prod"


def test_status_of_a_classic_dialog_workspace_applies_the_overrides(cli, tmp_path, watson, monkeypatch):
    watson.state.workspaces["ws-dev"] = copy.deepcopy(SKILL)
    config = (
        f"source: skill\nkind: dialog\n{WAITS}environments:\n  dev:\n    url: {watson.url}\n"
        "    workspace_id: ws-dev\n    overrides: {name: Bike repair (dev)}\n"
        f"  prod:\n    url: {watson.url}\n"
    )
    root = make_project(tmp_path, watson, monkeypatch, config)
    repo = init_repo(root)
    assert cli("pull", "--env", "dev").exit_code == 0
    settings = root / "skill" / "skill.yaml"
    data = canonical.loads(settings.read_text(), "skill.yaml")
    data["workspace"]["name"] = "Bike repair"
    settings.write_text(canonical.dumps(data))
    commit_all(repo, "Skill")
    assert cli("promote", "--to", "dev").exit_code == 0
    result = cli("status", "--exit-code")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[1:] == [
        "dev draft: matches main",
        "prod draft: not created yet (assistantgit push --env prod --create)",
        "No drift.",
    ]
    watson.state.workspaces["ws-dev"]["counterexamples"] = []
    result = cli("status", "--exit-code")
    assert result.exit_code == 1 and "dev draft: 2 changes not in git (counterexamples -2)" in result.stdout
    assert "  - counterexample what is the weather" in result.stdout.splitlines()
