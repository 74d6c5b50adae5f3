"""Releases and deployments (issue 15): publish, deploy, promote --publish --deploy-to,
pull of a published version and push of a published-version ZIP tree. The real SDK
against testing/watson_server.py (testing/watson_lifecycle.py holds its release part)."""

from __future__ import annotations

import copy

import git
import pytest
import requests

from testing.remote_project import (
    WAITS,
    actions_config,
    add_assistant,
    add_intent,
    load_yaml,
    make_project,
    tree_bytes,
    write_yaml,
)
from testing.watson_server import API_KEY


@pytest.fixture
def project(tmp_path, watson, monkeypatch):
    """An actions project (environments dev and prod, an assistant each) in a git repository,
    its tree pulled from prod and committed."""
    for name in ("as-dev", "as-prod"):
        add_assistant(watson, name)
    root = make_project(
        tmp_path,
        watson,
        monkeypatch,
        actions_config(watson.url, WAITS, envs=("dev", "prod")),
        prefixes=("ASSISTANT_DEV", "ASSISTANT_PROD"),
    )
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
        config.set_value("commit", "gpgsign", "false")
    (root / ".gitignore").write_text(".assistantgit/\n", encoding="utf-8")
    return root


def commit_all(root, message: str) -> str:
    repo = git.Repo(root)
    repo.git.add("-A")
    repo.index.commit(message)
    return repo.git.rev_parse("--short", "HEAD")


def live(watson, assistant="as-prod"):
    return watson.state.lifecycle.deployed(assistant, "live")


def releases(watson, assistant="as-prod"):
    return watson.state.lifecycle.releases[assistant]


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def pulled_and_committed(cli, project, message="skill from prod"):
    assert cli("pull", "--env", "prod").exit_code == 0
    return commit_all(project, message)


# --- publish, deploy, roll back ---------------------------------------------------------------------


def test_promote_publishes_a_release_named_after_the_commit_and_deploys_it(cli, project, watson):
    pulled_and_committed(cli, project)
    add_intent(project / "skill", "delivery")
    first = commit_all(project, "Add the delivery intent")
    result = cli("promote", "--to", "prod", "--publish", "--deploy-to", "live")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "1"
    assert releases(watson)["1"]["description"] == f"{first} Add the delivery intent"
    assert live(watson) == "1"
    # the release holds the verified draft: the intent the commit added
    [action] = [s for s in releases(watson)["1"]["skills"] if s["type"] == "action"]
    assert "delivery" in {i["intent"] for i in action["workspace"]["intents"]}

    add_intent(project / "skill", "pickup")
    second = commit_all(project, "Add the pickup intent")
    assert cli("promote", "--to", "prod", "--publish", "--deploy-to", "live").stdout.strip() == "2"
    assert live(watson) == "2" and releases(watson)["2"]["description"].startswith(second)

    result = cli("deploy", "--env", "prod", "--release", "previous", "--to", "live")  # rollback
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "1" and live(watson) == "1"
    assert "live now runs release 1 (before: 2)" in result.stderr
    result = cli("deploy", "--env", "prod", "--release", "latest", "--to", "LIVE")  # names as the service says them
    assert result.exit_code == 0 and live(watson) == "2"
    assert cli("deploy", "--env", "prod", "--release", "2", "--to", "live").exit_code == 0  # already: a no-op
    assert len([r for r in watson.state.api_requests("POST") if r.path.endswith("/deploy")]) == 4


def test_publish_names_head_when_the_draft_matches_it_and_refuses_otherwise(cli, project, watson):
    short = pulled_and_committed(cli, project, "Skill as it is on prod")
    result = cli("publish", "--env", "prod")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "1"
    assert result.stderr.splitlines()[0] == "Tree: skill (assistantgit.yaml's source)"  # compared with HEAD (issue 12)
    assert releases(watson)["1"]["description"] == f"{short} Skill as it is on prod"
    # someone edits the draft in the web UI: its content is no commit any more
    action = watson.state.assistants["as-prod"]["assistant_skills"][0]
    action["workspace"]["intents"].append({"intent": "ui_only", "examples": [{"text": "made in the UI"}]})
    result = cli("publish", "--env", "prod")
    assert result.exit_code == 1
    [line] = errors(result)
    assert "the draft differs from HEAD (1 changes: intents +1)" in line and "--description" in line
    assert list(releases(watson)) == ["1"]
    result = cli("publish", "--env", "prod", "--description", "UI experiment")
    assert result.exit_code == 0 and releases(watson)["2"]["description"] == "UI experiment"
    assert not result.stderr.startswith("Tree:")  # no tree read


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_deploy_names_what_it_cannot_find(cli, project, watson):
    pulled_and_committed(cli, project)
    result = cli("deploy", "--env", "prod", "--release", "latest", "--to", "live")
    assert result.exit_code == 1 and "has no available release" in result.stderr
    assert cli("publish", "--env", "prod").exit_code == 0
    result = cli("deploy", "--env", "prod", "--release", "1", "--to", "staging")
    assert result.exit_code == 2 and "has no environment 'staging' (it has: draft, live)" in result.stderr
    result = cli("deploy", "--env", "prod", "--release", "previous", "--to", "live")
    assert result.exit_code == 1 and "live runs no release" in result.stderr
    result = cli("deploy", "--env", "prod", "--release", "7", "--to", "live")
    assert result.exit_code == 1 and "release 7 is not an available release" in result.stderr
    assert cli("deploy", "--env", "prod", "--release", "newest", "--to", "live").exit_code == 2


# --- each failing step: one line, exit 1, what was deployed stays ------------------------------------


@pytest.fixture
def deployed(cli, project, watson):
    """Release 1 runs in live; a new commit waits to be promoted."""
    pulled_and_committed(cli, project)
    assert cli("promote", "--to", "prod", "--publish", "--deploy-to", "live").exit_code == 0
    add_intent(project / "skill", "delivery")
    commit_all(project, "Add the delivery intent")
    assert live(watson) == "1"
    return project


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_publish_that_never_finishes_times_out(cli, deployed, watson):
    config = deployed / "assistantgit.yaml"
    config.write_text(config.read_text().replace("timeout: 5}", "timeout: 0.3}"), encoding="utf-8")
    watson.state.lifecycle.publish_outcome = "stuck"
    result = cli("-q", "promote", "--to", "prod", "--publish", "--deploy-to", "live")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: prod: publishing release 2 still 'Processing' after 0.3 s (waits.timeout)")
    assert live(watson) == "1"


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_publish_that_fails_says_why(cli, deployed, watson):
    watson.state.lifecycle.publish_outcome = "Failed"
    result = cli("-q", "promote", "--to", "prod", "--publish", "--deploy-to", "live")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: prod: publishing release 2 failed: Publishing failed: planned failure"
    ]
    assert live(watson) == "1"


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_refused_deploy(cli, deployed, watson):
    watson.state.fail(
        "POST",
        r"/releases/\d+/deploy$",
        409,
        body={"error": "Environment is locked by another deployment", "code": 409},
    )
    result = cli("-q", "promote", "--to", "prod", "--publish", "--deploy-to", "live")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: prod: deploy release 2 to live: the service rejected the request (409): Environment is locked by "
        "another deployment"
    ]
    assert live(watson) == "1" and releases(watson)["2"]["status"] == "Available"


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_failed_release_import(cli, project, watson, tmp_path):
    pulled_and_committed(cli, project)
    assert cli("promote", "--to", "prod", "--publish", "--deploy-to", "live").exit_code == 0
    assert cli("pull", "--env", "prod", "--environment", "live", "--dir", "released").exit_code == 0
    add_intent(project / "released" / "actions", "refund")
    before = copy.deepcopy(watson.state.assistants["as-prod"])
    watson.state.lifecycle.import_outcome = "Failed"
    result = cli("-q", "push", "--env", "prod", "--dir", "released")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: prod: the release import failed: Import failed; planned import failure; ")
    assert "assistantgit restore --env prod" in line
    assert watson.state.assistants["as-prod"] == before and live(watson) == "1"


# --- published versions as ZIP trees ---------------------------------------------------------------


def download_release_zip(watson, assistant: str, number: str) -> bytes:
    token = requests.post(f"{watson.url}/identity/token", data={"apikey": API_KEY}).json()["access_token"]
    url = f"{watson.url}/v2/assistants/{assistant}/releases/{number}/export"
    headers = {"Authorization": f"Bearer {token}"}
    params = {"version": "2024-08-25"}
    requests.post(url, params=params, headers=headers)
    while True:
        answer = requests.get(url, params=params, headers={**headers, "Accept": "application/octet-stream"})
        if answer.headers["Content-Type"] == "application/octet-stream":
            return answer.content


def test_pull_a_release_and_push_the_zip_tree_through_the_release_import(cli, project, watson, tmp_path):
    pulled_and_committed(cli, project)
    assert cli("promote", "--to", "prod", "--publish", "--deploy-to", "live").exit_code == 0
    result = cli("pull", "--env", "prod", "--environment", "live", "--dir", "released")
    assert result.exit_code == 0, result.stderr
    assert "Pulled release 1 of environment prod (watson-assistant-zip)" in result.stderr
    # the same tree as pulling the ZIP a user downloads
    zip_file = tmp_path / "release-1.zip"
    zip_file.write_bytes(download_release_zip(watson, "as-prod", "1"))
    assert cli("pull", zip_file, "--dir", tmp_path / "from-file").exit_code == 0
    assert tree_bytes(project / "released") == tree_bytes(tmp_path / "from-file")
    result = cli("pull", "--env", "prod", "--release", "latest", "--dir", "latest")
    assert result.exit_code == 0 and tree_bytes(project / "latest") == tree_bytes(project / "released")

    # push of the ZIP tree to dev: the release import, then the draft read back and compared
    add_intent(project / "released" / "actions", "refund")
    result = cli("push", "--env", "dev", "--dir", "released", "--dry-run")
    assert result.exit_code == 0 and "+1 intent" in result.stderr
    result = cli("push", "--env", "dev", "--dir", "released")
    assert result.exit_code == 0, result.stderr
    assert "read back and verified" in result.stderr
    [upload] = [r for r in watson.state.api_requests("POST") if r.path == "/v2/assistants/as-dev/import"]
    assert upload.body[:4] == b"PK\x03\x04"
    built = tmp_path / "built.zip"
    assert cli("push", "--dir", project / "released", "--out", built).exit_code == 0
    assert upload.body == built.read_bytes()  # exactly the ZIP a user would upload in the UI
    action = watson.state.assistants["as-dev"]["assistant_skills"][0]
    assert "refund" in {i["intent"] for i in action["workspace"]["intents"]}
    assert action["skill_id"] == "sk-action"
    assert live(watson, "as-dev") is None  # a push touches the draft only


def test_pull_release_refuses_usage_mistakes(cli, project, watson):
    assert cli("pull", "--release", "1").exit_code == 2
    result = cli("pull", "--env", "prod", "--release", "1", "--environment", "live")
    assert result.exit_code == 2 and "not both" in result.stderr
    result = cli("pull", "--env", "prod", "--environment", "live", "--dir", "released")
    assert result.exit_code == 1 and "live runs no release" in result.stderr
    settings = load_yaml(project / "assistantgit.yaml")
    settings["kind"] = "dialog"
    settings["environments"]["prod"] = {"url": watson.url, "workspace_id": "ws-1", "credentials": "ASSISTANT_PROD"}
    write_yaml(project / "assistantgit.yaml", settings)
    result = cli("publish", "--env", "prod")
    assert result.exit_code == 2 and "has no assistant_id" in result.stderr and "classic" in result.stderr


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_a_wait_longer_than_a_second_shows_its_state(cli, project, watson):
    short = pulled_and_committed(cli, project)
    config = project / "assistantgit.yaml"
    config.write_text(config.read_text().replace("interval: 0.01", "interval: 0.3"), encoding="utf-8")
    watson.state.polls = 5  # about 1.5 s of "Processing"
    result = cli("publish", "--env", "prod", "--description", "slow")
    assert result.exit_code == 0, result.stderr
    assert "prod: publishing release 1: Processing (1 s)" in result.stderr.splitlines()
    watson.state.polls = 0  # done at once: no line about it
    result = cli("publish", "--env", "prod", "--description", "fast")
    assert result.exit_code == 0 and "publishing release 2" not in result.stderr
    assert f"{short}" not in releases(watson)["2"]["description"]
