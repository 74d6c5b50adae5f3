"""Environments over the API (issue 6): the real ibm-watson SDK against a real HTTP
server on 127.0.0.1 (testing/watson_server.py), configured the way a user does it:
assistantgit.yaml plus ASSISTANT_<ENV>_* environment variables."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import requests

from assistantgit import canonical
from testing.watson_server import API_KEY

SECRET = "Basic c2VjcmV0OnNlc2FtZQ=="
SECRET_VAR = "ASSISTANTGIT_WEBHOOK_MAIN_WEBHOOK_AUTHORIZATION"

# A dialog skill of our own writing.
DIALOG = {
    "name": "Pizza shop",
    "description": "Orders and opening hours",
    "language": "en",
    "learning_opt_out": True,
    "metadata": {"api_version": {"major_version": "v1", "minor_version": "2021-11-27"}},
    "system_settings": {"disambiguation": {"enabled": True, "prompt": "Did you mean:"}},
    "counterexamples": [{"text": "tell me a joke"}],
    "webhooks": [
        {
            "name": "main_webhook",
            "url": "https://dev.example.com/hook",
            "headers": [{"name": "Authorization", "value": SECRET}],
        }
    ],
    "intents": [
        {"intent": "order_pizza", "examples": [{"text": "I want a pizza"}, {"text": "order a large margherita"}]},
        {
            "intent": "opening_hours",
            "description": "When we are open",
            "examples": [{"text": "when do you open"}, {"text": "are you open on sunday"}],
        },
        {"intent": "cancel", "examples": [{"text": "cancel my order"}]},
    ],
    "entities": [
        {
            "entity": "size",
            "values": [
                {"value": "large", "type": "synonyms", "synonyms": ["big", "family"]},
                {"value": "small", "type": "synonyms", "synonyms": ["little"]},
            ],
        }
    ],
    "dialog_nodes": [
        {
            "dialog_node": "welcome",
            "title": "Welcome",
            "conditions": "welcome",
            "context": {"api_base": "https://dev.example.com"},
            "output": {"generic": [{"response_type": "text", "values": [{"text": "Hello! Pizza?"}]}]},
        },
        {
            "dialog_node": "order",
            "title": "Order",
            "conditions": "#order_pizza",
            "previous_sibling": "welcome",
            "actions": [
                {
                    "name": "main_webhook",
                    "type": "webhook",
                    "parameters": {"size": "@size"},
                    "result_variable": "webhook_result_1",
                }
            ],
            "output": {"generic": [{"response_type": "text", "values": [{"text": "Which size?"}]}]},
        },
        {
            "dialog_node": "hours",
            "title": "Hours",
            "conditions": "#opening_hours",
            "previous_sibling": "order",
            "output": {"generic": [{"response_type": "text", "values": [{"text": "Every day, 11 to 23."}]}]},
        },
        {
            "dialog_node": "anything_else",
            "title": "Anything else",
            "conditions": "anything_else",
            "previous_sibling": "hours",
            "output": {"generic": [{"response_type": "text", "values": [{"text": "Sorry, I did not get that."}]}]},
        },
    ],
}

CONFIG = """\
# test project
source: skill
kind: dialog
backups: 3
retries: {{attempts: 3, backoff: 0.01}}
environments:
  dev:
    url: {url}
    workspace_id: ws-dev
    version: "2021-11-27"
    credentials: ASSISTANT_DEV
    overrides:
      name: Pizza shop (dev)
      webhooks: {{main_webhook: "https://dev.example.com/hook"}}
      context: {{api_base: "https://dev.example.com"}}
  prod:
    url: {url}
    workspace_id: ws-prod
    credentials: ASSISTANT_PROD
    overrides:
      name: Pizza shop
      webhooks: {{main_webhook: "https://prod.example.com/hook"}}
      context: {{api_base: "https://prod.example.com"}}
"""


@pytest.fixture
def project(tmp_path, watson, monkeypatch):
    """A project folder as the current directory, credentials in the environment."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "assistantgit.yaml").write_text(CONFIG.format(url=watson.url), encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("IBM_CREDENTIALS_FILE", str(tmp_path / "absent.env"))  # ignore any ~/ibm-credentials.env
    for prefix in ("ASSISTANT_DEV", "ASSISTANT_PROD"):
        monkeypatch.setenv(f"{prefix}_APIKEY", API_KEY)
        monkeypatch.setenv(f"{prefix}_AUTH_URL", watson.url)
    monkeypatch.delenv(SECRET_VAR, raising=False)
    watson.state.workspaces["ws-dev"] = copy.deepcopy(DIALOG)
    watson.state.workspaces["ws-prod"] = copy.deepcopy(DIALOG)
    return root


def download(watson, path: str, **params) -> bytes:
    """What a user gets from the API with curl: the exported JSON."""
    token = requests.post(f"{watson.url}/identity/token", data={"apikey": API_KEY}).json()["access_token"]
    answer = requests.get(
        f"{watson.url}{path}", params={"version": "2021-11-27", **params}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    return answer.content


def tree_bytes(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def load_yaml(path: Path):
    return canonical.loads(path.read_text(encoding="utf-8"), str(path))


def write_yaml(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(canonical.dumps(data), encoding="utf-8")


def add_intent(root: Path, name: str) -> None:
    write_yaml(root / "intents" / f"{name}.yaml", {"intent": name, "examples": [f"{name} please"]})


def uploads(watson):
    return [r for r in watson.state.api_requests("POST") if r.path.startswith("/v1/workspaces")]


# --- pull -----------------------------------------------------------------------------------------


def test_pull_env_writes_the_same_tree_as_pulling_the_exported_file(cli, project, watson, tmp_path):
    export = tmp_path / "export.json"
    export.write_bytes(download(watson, "/v1/workspaces/ws-dev", export="true"))
    assert cli("pull", str(export), "--dir", tmp_path / "from-file").exit_code == 0
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    from_api = tree_bytes(project / "skill")
    assert from_api == tree_bytes(tmp_path / "from-file")
    assert "intents/order_pizza.yaml" in from_api
    # the SDK asked for the full export, without audit timestamps, with a bearer token from our IAM endpoint
    gets = [r for r in watson.state.api_requests("GET") if r.path == "/v1/workspaces/ws-dev"]
    assert gets[-1].query == {"version": "2021-11-27", "export": "true", "include_audit": "false"}
    assert any(r.path == "/identity/token" and r.body["apikey"] == API_KEY for r in watson.state.requests)


def test_pull_replaces_the_webhook_secret_with_a_placeholder(cli, project):
    assert cli("pull", "--env", "dev").exit_code == 0
    text = (project / "skill" / "webhooks.yaml").read_text(encoding="utf-8")
    assert SECRET not in text
    assert "${" + SECRET_VAR + "}" in text
    stored = {rel: content for rel, content in tree_bytes(project).items() if rel.startswith("skill/.assistantgit/")}
    assert all(SECRET.encode() not in content for rel, content in tree_bytes(project).items() if rel not in stored)
    assert SECRET.encode() in stored["skill/.assistantgit/secrets.env"]  # kept on this machine, never committed
    assert stored["skill/.assistantgit/.gitignore"].endswith(b"*\n")


def test_pull_env_commit_summarizes_the_change(cli, project, watson):
    import git

    repo = git.Repo.init(project, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
        config.set_value("commit", "gpgsign", "false")
    (project / "README.md").write_text("not committed by pull\n", encoding="utf-8")
    assert cli("pull", "--env", "dev", "--commit").exit_code == 0
    first = repo.head.commit
    headline = first.message.splitlines()[0]
    assert headline.startswith("pull dev: ") and "+3 intents" in headline and "+4 dialog nodes" in headline
    assert "skill/intents/cancel.yaml" in [b.path for b in first.tree.traverse()]
    assert "README.md" not in [b.path for b in first.tree.traverse()]
    # the environment changes: one intent added, one dialog node edited, one intent removed
    held = watson.state.workspaces["ws-dev"]
    held["intents"] = [i for i in held["intents"] if i["intent"] != "cancel"]
    held["intents"].append({"intent": "delivery", "examples": [{"text": "do you deliver"}]})
    held["dialog_nodes"][2]["output"]["generic"][0]["values"][0]["text"] = "Every day, 10 to 22."
    result = cli("pull", "--env", "dev", "--commit")
    assert result.exit_code == 0, result.stderr
    message = repo.head.commit.message
    assert message.splitlines()[0] == "pull dev: +1 intent, -1 intent, 1 dialog node changed"
    assert "+ intent #delivery" in message and "- intent #cancel" in message
    assert not repo.is_dirty(untracked_files=False)
    # pulling again: nothing to commit
    assert cli("pull", "--env", "dev", "--commit").exit_code == 0
    assert repo.head.commit.message == message


# --- push -----------------------------------------------------------------------------------------


def test_push_sends_exactly_the_built_workspace(cli, project, watson, monkeypatch, tmp_path):
    assert cli("pull", "--env", "dev").exit_code == 0
    add_intent(project / "skill", "delivery")
    monkeypatch.setenv(SECRET_VAR, SECRET)
    out = tmp_path / "built.json"
    assert cli("push", "--dir", project / "skill", "--out", out).exit_code == 0
    before = copy.deepcopy(watson.state.workspaces["ws-dev"])
    result = cli("push", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    [update] = uploads(watson)
    assert update.path == "/v1/workspaces/ws-dev"
    assert update.query == {"version": "2021-11-27", "append": "false"}
    built = json.loads(out.read_bytes())
    built["name"] = "Pizza shop (dev)"  # the dev override
    assert update.body == built
    assert update.body["webhooks"][0]["headers"][0]["value"] == SECRET
    assert watson.state.workspaces["ws-dev"] == built
    # the backup holds what the environment held before, and its path was printed
    [backup] = sorted((project / ".assistantgit" / "backups" / "dev").glob("*.json"))
    assert str(backup) in result.stderr
    assert backup.stat().st_mode & 0o777 == 0o600  # it holds the real webhook secret
    saved = json.loads(backup.read_bytes())
    assert {k: v for k, v in saved.items() if k not in ("workspace_id", "status")} == before
    assert (project / ".assistantgit" / ".gitignore").read_text().splitlines()[-1] == "*"


@pytest.mark.slow  # a 1.5 MB body through the SDK, twice
def test_push_over_the_sync_limit_updates_asynchronously_and_polls(cli, project, watson, monkeypatch):
    assert cli("pull", "--env", "dev").exit_code == 0
    monkeypatch.setenv(SECRET_VAR, SECRET)
    for index in range(300):  # about 2 MB of training data
        write_yaml(
            project / "skill" / "intents" / f"bulk_{index:03}.yaml",
            {
                "intent": f"bulk_{index:03}",
                "examples": [f"bulk example number {n} for intent {index} " + "x" * 150 for n in range(40)],
            },
        )
    result = cli("push", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    [update] = uploads(watson)
    assert update.path == "/v1/workspaces_async/ws-dev" and update.query["append"] == "false"
    assert len(json.dumps(update.body)) > 1536 * 1024
    polls = [
        r for r in watson.state.api_requests("GET") if r.path == "/v1/workspaces/ws-dev" and "export" not in r.query
    ]
    assert len(polls) == watson.state.polls + 1
    assert len(watson.state.workspaces["ws-dev"]["intents"]) == 303
    # reading it back when the synchronous export refuses such a size: the asynchronous export
    assert cli("pull", "--env", "dev").exit_code == 0
    before = tree_bytes(project / "skill")
    watson.state.export_limit = 1024 * 1024
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    assert "exporting it asynchronously" in result.stderr
    assert tree_bytes(project / "skill") == before
    exports = [r for r in watson.state.api_requests("GET") if r.path == "/v1/workspaces_async/ws-dev/export"]
    assert len(exports) == watson.state.polls + 1 and exports[0].query["include_audit"] == "false"


def test_dry_run_sends_nothing(cli, project, watson, monkeypatch):
    assert cli("pull", "--env", "dev").exit_code == 0
    add_intent(project / "skill", "delivery")
    (project / "skill" / "intents" / "cancel.yaml").unlink()
    before = copy.deepcopy(watson.state.workspaces)
    result = cli("push", "--env", "dev", "--dry-run")  # secrets unset: a dry run still works
    assert result.exit_code == 0, result.stderr
    assert "  + #delivery added\n      + examples: delivery please\n  - #cancel removed" in result.stdout
    assert "+1 intent, -1 intent" in result.stderr and "nothing was sent" in result.stderr
    result = cli("push", "--env", "dev", "--dry-run", "--format", "markdown")  # for a PR comment
    assert result.exit_code == 0 and "#delivery" in result.stdout and "|" in result.stdout
    assert uploads(watson) == []
    assert watson.state.workspaces == before
    assert not (project / ".assistantgit").exists()


def test_unset_secret_stops_before_anything_is_sent(cli, project, watson, tmp_path):
    assert cli("pull", "--env", "dev").exit_code == 0
    (project / "skill" / ".assistantgit" / "secrets.env").unlink()  # as on a machine that did not pull
    sent_before = len(watson.state.requests)
    result = cli("push", "--env", "dev")
    assert result.exit_code == 2
    assert SECRET_VAR in result.stderr and len(result.stderr.strip().splitlines()) == 2  # Tree: ..., error: ...
    assert len(watson.state.requests) == sent_before  # not even a token request
    out = tmp_path / "upload.json"
    result = cli("push", "--dir", project / "skill", "--out", out)
    assert result.exit_code == 2 and SECRET_VAR in result.stderr
    assert not out.exists()


def test_failed_push_keeps_the_backup_and_restore_brings_the_content_back(cli, project, watson, monkeypatch):
    assert cli("pull", "--env", "dev").exit_code == 0
    monkeypatch.setenv(SECRET_VAR, SECRET)
    original = copy.deepcopy(watson.state.workspaces["ws-dev"])
    add_intent(project / "skill", "delivery")
    # the service accepts the upload but loses part of it (stores only the first 2 intents)
    watson.state.store_hook = lambda ident, body: {**body, "intents": body["intents"][:2], "dialog_nodes": []}
    result = cli("push", "--env", "dev")
    assert result.exit_code == 1
    assert "reading it back differs" in result.stderr and "assistantgit restore --env dev" in result.stderr
    [backup] = sorted((project / ".assistantgit" / "backups" / "dev").glob("*.json"))
    assert str(backup) in result.stderr
    assert watson.state.workspaces["ws-dev"] != original
    watson.state.store_hook = None
    result = cli("restore", "--env", "dev", backup)
    assert result.exit_code == 0, result.stderr
    assert watson.state.workspaces["ws-dev"] == original
    # the restore backed up the broken content too: newest kept, at most `backups: 3`
    assert len(list(backup.parent.glob("*.json"))) == 2


def test_rejected_push_shows_the_service_message(cli, project, watson, monkeypatch):
    assert cli("pull", "--env", "dev").exit_code == 0
    monkeypatch.setenv(SECRET_VAR, SECRET)
    original = copy.deepcopy(watson.state.workspaces["ws-dev"])
    add_intent(project / "skill", "bad name!")
    # push itself refuses that name (AG201): a project that ignores the rule lets the service say it
    with open(project / "assistantgit.yaml", "a", encoding="utf-8") as config:
        config.write("validate:\n  ignore: [AG201]\n")
    result = cli("push", "--env", "dev")
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "dev:" in line and "(400)" in line and "Invalid intent name 'bad name!'" in line
    assert "assistantgit restore --env dev" in line
    assert watson.state.workspaces["ws-dev"] == original


def test_backups_keep_the_newest(cli, project, watson, monkeypatch):
    assert cli("pull", "--env", "dev").exit_code == 0
    monkeypatch.setenv(SECRET_VAR, SECRET)
    for _ in range(5):
        assert cli("push", "--env", "dev").exit_code == 0
    assert len(list((project / ".assistantgit" / "backups" / "dev").glob("*.json"))) == 3


# --- retries and errors -----------------------------------------------------------------------------


def test_retries_on_429_and_500_then_succeed(cli, project, watson):
    watson.state.fail("GET", r"^/v1/workspaces/ws-dev$", 429, times=1, headers={"Retry-After": "0"})
    watson.state.fail("GET", r"^/v1/workspaces/ws-dev$", 500, times=1)
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    assert len([r for r in watson.state.api_requests("GET") if r.path == "/v1/workspaces/ws-dev"]) == 3


def test_retries_stop_after_the_limit(cli, project, watson):
    watson.state.fail("GET", r"^/v1/workspaces/ws-dev$", 503, times=100)
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 1
    assert len([r for r in watson.state.api_requests("GET") if r.path == "/v1/workspaces/ws-dev"]) == 3
    assert "503" in result.stderr and "3 times" in result.stderr
    assert not (project / "skill").exists()


def test_connection_errors_are_retried_then_reported(cli, project, watson, monkeypatch):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ASSISTANT_DEV_URL", f"http://127.0.0.1:{port}")  # <PREFIX>_URL wins over url
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 1
    assert f"cannot reach http://127.0.0.1:{port}" in result.stderr and "after 3 tries" in result.stderr


def test_wrong_api_key_names_the_variable(cli, project, watson, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DEV_APIKEY", "wrong")
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 2  # the configuration needs a fix, not a retry (issue 12)
    assert "ASSISTANT_DEV_APIKEY" in result.stderr and "API key could not be found" in result.stderr
    assert result.stderr.splitlines()[0] == "Tree: skill (assistantgit.yaml's source)"
    assert len(result.stderr.strip().splitlines()) == 2, result.stderr
    monkeypatch.setenv("ASSISTANT_DEV_APIKEY", API_KEY)
    watson.state.fail("GET", r"^/v1/workspaces/ws-dev$", 403, body={"error": "Forbidden", "code": 403})
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "error: dev: read the workspace: access denied (403: Forbidden): check ASSISTANT_DEV_APIKEY and that it "
        "has access to this service instance"
    )


def test_missing_credentials_and_unknown_workspace(cli, project, monkeypatch):
    monkeypatch.delenv("ASSISTANT_DEV_APIKEY")
    monkeypatch.delenv("ASSISTANT_DEV_AUTH_URL")
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 2 and "set ASSISTANT_DEV_APIKEY" in result.stderr  # configuration: exit 2
    text = (project / "assistantgit.yaml").read_text().replace("ws-prod", "ws-missing")
    (project / "assistantgit.yaml").write_text(text)
    result = cli("pull", "--env", "prod")
    assert result.exit_code == 2
    assert "workspace ws-missing not found" in result.stderr and "check workspace_id" in result.stderr
    assert cli("pull", "--env", "nope").exit_code == 2


def test_credentials_from_an_ibm_credentials_file(cli, project, watson, monkeypatch):
    monkeypatch.delenv("IBM_CREDENTIALS_FILE")
    monkeypatch.delenv("ASSISTANT_DEV_APIKEY")
    monkeypatch.delenv("ASSISTANT_DEV_AUTH_URL")
    (project / "ibm-credentials.env").write_text(
        f"ASSISTANT_DEV_APIKEY={API_KEY}\nASSISTANT_DEV_AUTH_URL={watson.url}\nASSISTANT_DEV_URL={watson.url}\n"
    )
    text = (project / "assistantgit.yaml").read_text().replace(f"url: {watson.url}", "url: http://127.0.0.1:9", 1)
    (project / "assistantgit.yaml").write_text(text)
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 0, result.stderr


# --- promote --------------------------------------------------------------------------------------


def test_two_branches_promoted_each_to_its_own_environment(cli, project, watson, monkeypatch):
    import git

    repo = git.Repo.init(project, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
        config.set_value("commit", "gpgsign", "false")
    assert cli("init", "--force", "--dir", project).exit_code == 0  # writes .gitignore entries
    (project / "assistantgit.yaml").write_text(CONFIG.format(url=watson.url), encoding="utf-8")
    assert cli("pull", "--env", "prod").exit_code == 0
    repo.git.add("-A")
    repo.index.commit("skill from prod")
    repo.git.checkout("-b", "feature")
    add_intent(project / "skill", "delivery")
    repo.git.add("-A")
    repo.index.commit("add delivery")
    repo.git.checkout("main")
    (project / "skill" / "intents" / "cancel.yaml").unlink()  # uncommitted: promote must not see it

    monkeypatch.setenv(SECRET_VAR, SECRET)
    result = cli("promote", "--to", "dev", "--ref", "feature")
    assert result.exit_code == 0, result.stderr
    assert cli("promote", "--to", "prod", "--ref", "main").exit_code == 0
    dev, prod = watson.state.workspaces["ws-dev"], watson.state.workspaces["ws-prod"]
    assert {i["intent"] for i in dev["intents"]} == {"cancel", "delivery", "opening_hours", "order_pizza"}
    assert {i["intent"] for i in prod["intents"]} == {"cancel", "opening_hours", "order_pizza"}
    assert (dev["name"], prod["name"]) == ("Pizza shop (dev)", "Pizza shop")
    assert dev["webhooks"][0]["url"] == "https://dev.example.com/hook"
    assert prod["webhooks"][0]["url"] == "https://prod.example.com/hook"
    assert dev["dialog_nodes"][0]["context"] == {"api_base": "https://dev.example.com"}
    assert prod["dialog_nodes"][0]["context"] == {"api_base": "https://prod.example.com"}
    assert prod["webhooks"][0]["headers"][0]["value"] == SECRET
    assert repo.active_branch.name == "main" and not (project / "skill" / "intents" / "cancel.yaml").exists()
    assert ".assistantgit/" in (project / ".gitignore").read_text().splitlines()


@pytest.mark.slow  # three processes that each import the SDK
def test_push_and_dry_run_as_a_process_with_the_users_environment(cli_process, project, watson, tmp_path):
    """The installed entry point in a real process, configured only through its environment."""
    import os

    env = {k: v for k, v in os.environ.items() if k.startswith(("ASSISTANT_", "IBM_"))}
    watson.state.workspaces["ws-dev"]["name"] = "Pizza shop (dev)"  # what the dev override gives
    assert cli_process("pull", "--env", "dev", cwd=project, env=env).exit_code == 0
    add_intent(project / "skill", "delivery")
    result = cli_process("push", "--env", "dev", "--dry-run", cwd=project, env=env)
    assert result.exit_code == 0, result.stderr
    assert (
        result.stdout.splitlines()[0] == "watson-dialog: dev (workspace ws-dev) -> skill: 1 change"
    )  # named from here
    assert "  + #delivery added" in result.stdout.splitlines()
    assert uploads(watson) == []
    result = cli_process("push", "--env", "dev", cwd=project, env={**env, SECRET_VAR: SECRET})
    assert result.exit_code == 0, result.stderr
    assert "delivery" in {i["intent"] for i in watson.state.workspaces["ws-dev"]["intents"]}


def test_override_that_matches_nothing_stops_the_push(cli, project, watson, monkeypatch):
    assert cli("pull", "--env", "dev").exit_code == 0
    monkeypatch.setenv(SECRET_VAR, SECRET)
    text = (project / "assistantgit.yaml").read_text().replace('{api_base: "https://prod', '{api_bse: "https://prod')
    (project / "assistantgit.yaml").write_text(text)
    result = cli("push", "--env", "prod")
    assert result.exit_code == 2 and "api_bse" in result.stderr
    assert uploads(watson) == []


# --- actions: v2 skills export / import ---------------------------------------------------------------

ACTIONS_CONFIG = """\
source: skill
kind: actions
retries: {{attempts: 3, backoff: 0.01}}
environments:
  dev:
    url: {url}
    assistant_id: as-dev
    environment: draft
    credentials: ASSISTANT_DEV
    overrides:
      context: {{preferred_store: "Dev street 1"}}
"""


def test_actions_pull_and_push_through_skills_export_and_import(cli, tmp_path, watson, monkeypatch):
    from testing.paths import SAMPLE_REPO

    action_skill = json.loads((SAMPLE_REPO / "exports" / "customer-care-actions.json").read_bytes())
    action_skill.update(skill_id="sk-action", assistant_id="as-dev")
    dialog_skill = {
        "name": "Dialog",
        "type": "dialog",
        "language": "en",
        "skill_id": "sk-dialog",
        "assistant_id": "as-dev",
        "workspace": {"dialog_nodes": [], "intents": [], "entities": []},
    }
    watson.state.assistants["as-dev"] = {
        "assistant_skills": [action_skill, dialog_skill],
        "assistant_state": {"action_disabled": False, "dialog_disabled": True},
    }
    root = tmp_path / "project"
    root.mkdir()
    (root / "assistantgit.yaml").write_text(ACTIONS_CONFIG.format(url=watson.url), encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("IBM_CREDENTIALS_FILE", str(tmp_path / "absent.env"))
    monkeypatch.setenv("ASSISTANT_DEV_APIKEY", API_KEY)
    monkeypatch.setenv("ASSISTANT_DEV_AUTH_URL", watson.url)

    # pull: the same tree as pulling the action skill of a skills export
    while True:
        body = json.loads(download(watson, "/v2/assistants/as-dev/skills_export"))
        if "assistant_skills" in body:
            break
    export = tmp_path / "action.json"
    export.write_text(json.dumps(body["assistant_skills"][0]), encoding="utf-8")
    assert cli("pull", export, "--dir", tmp_path / "from-file").exit_code == 0
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    assert tree_bytes(root / "skill") == tree_bytes(tmp_path / "from-file")
    exports = [r for r in watson.state.api_requests("GET") if r.path.endswith("/skills_export")]
    assert exports[-1].query == {"version": "2024-08-25", "include_audit": "false"}

    # push: one new intent; the import body is the export with only the action skill's content replaced
    add_intent(root / "skill", "loyalty_card")
    built = tmp_path / "built.json"
    assert cli("push", "--dir", root / "skill", "--out", built).exit_code == 0
    result = cli("push", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    [upload] = watson.state.api_requests("POST")
    assert upload.path == "/v2/assistants/as-dev/skills_import"
    sent_action, sent_dialog = upload.body["assistant_skills"]
    assert sent_dialog == dialog_skill
    assert upload.body["assistant_state"] == {"action_disabled": False, "dialog_disabled": True}
    assert (sent_action["skill_id"], sent_action["assistant_id"]) == ("sk-action", "as-dev")
    expected = json.loads(built.read_bytes())
    [store] = [v for v in expected["workspace"]["variables"] if v["variable"] == "preferred_store"]
    store["initial_value"] = {"scalar": "Dev street 1"}  # the dev override
    assert sent_action["workspace"] == expected["workspace"]
    assert "loyalty_card" in {
        i["intent"] for i in watson.state.assistants["as-dev"]["assistant_skills"][0]["workspace"]["intents"]
    }
    statuses = [r for r in watson.state.api_requests("GET") if r.path.endswith("/skills_import/status")]
    assert len(statuses) == watson.state.polls + 1
    [backup] = (root / ".assistantgit" / "backups" / "dev").glob("*.json")
    saved = json.loads(backup.read_bytes())
    assert saved["assistant_skills"][0]["workspace"] == action_skill["workspace"]

    # restore sends the backup unmodified
    result = cli("restore", "--env", "dev", backup)
    assert result.exit_code == 0, result.stderr
    assert watson.state.api_requests("POST")[-1].body == saved
    assert watson.state.assistants["as-dev"]["assistant_skills"][0]["workspace"] == action_skill["workspace"]


def test_defaults_the_service_adds_are_not_differences(cli, project, watson, monkeypatch):
    assert cli("pull", "--env", "dev").exit_code == 0
    monkeypatch.setenv(SECRET_VAR, SECRET)

    def store(ident, body):  # like the real service: node types and example mentions filled in
        body = copy.deepcopy(body)
        for node in body["dialog_nodes"]:
            node.setdefault("type", "standard")
        for intent in body["intents"]:
            for example in intent["examples"]:
                example.setdefault("mentions", [])
        return body

    watson.state.store_hook = store
    result = cli("push", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    assert watson.state.workspaces["ws-dev"]["dialog_nodes"][0]["type"] == "standard"


def test_pull_commit_outside_git_stops_before_fetching(cli, project, watson):
    result = cli("pull", "--env", "dev", "--commit")
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr
    assert watson.state.requests == [] and not (project / "skill").exists()
