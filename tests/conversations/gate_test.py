"""promote --test (issue 16): a revision reaches its target only after its conversation suite
passed where customers do not see it; otherwise the target is untouched and the report
says why. Real git repositories, the real SDK, the Watson look-alike with its toy."""

from __future__ import annotations

import copy

import git
import pytest

from testing.conversations import ASSISTANT_ID, write


def commit_all(root, message: str) -> git.Repo:
    repo = git.Repo.init(root, initial_branch="main") if not (root / ".git").exists() else git.Repo(root)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
        config.set_value("commit", "gpgsign", "false")
    repo.git.add("-A")
    repo.git.commit("-m", message)
    return repo


def workspace_posts(chat, ident: str) -> list:
    return [r for r in chat.state.api_requests("POST") if r.path == f"/v1/workspaces/{ident}"]


@pytest.fixture
def gate_project(dialog_project, chat):
    """The dialog project in git; prod holds an older skill (one intent fewer)."""
    commit_all(dialog_project, "customer care with its conversations")
    older = copy.deepcopy(chat.state.workspaces["ws-prod"])
    older["intents"] = [i for i in older["intents"] if i["intent"] != "thanks"]
    chat.state.workspaces["ws-prod"] = older
    return dialog_project


def break_refund_text(root) -> None:
    node = root / "skill" / "dialog_nodes" / "Refund.yaml"
    node.write_text(
        node.read_text(encoding="utf-8").replace(
            "Register the return under My account › Returns.", "Bring it to a shop."
        ),
        encoding="utf-8",
    )


def test_a_passing_revision_is_tested_on_the_stage_then_promoted(cli, gate_project, chat):
    result = cli("promote", "--to", "prod", "--ref", "main", "--test", "skill/conversations", "--via", "dev")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "18 passed, 0 failed" in result.stdout
    assert "testing it on dev (workspace ws-dev) first" in result.stderr and "Promoted main" in result.stderr
    assert "thanks" in {i["intent"] for i in chat.state.workspaces["ws-prod"]["intents"]}
    paths = [r.path for r in chat.state.api_requests("POST")]
    staged, tested, promoted = (
        paths.index("/v1/workspaces/ws-dev"),
        paths.index("/v1/workspaces/ws-dev/message"),
        paths.index("/v1/workspaces/ws-prod"),
    )
    assert staged < tested < promoted
    assert not any(p == "/v1/workspaces/ws-prod/message" for p in paths)


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_a_failing_revision_leaves_the_target_untouched(cli, gate_project, chat):
    break_refund_text(gate_project)
    commit_all(gate_project, "reword the refund answer")
    before = copy.deepcopy(chat.state.workspaces["ws-prod"])
    result = cli("promote", "--to", "prod", "--test", "skill/conversations", "--via", "dev", "--format", "markdown")
    assert result.exit_code == 1
    assert chat.state.workspaces["ws-prod"] == before and workspace_posts(chat, "ws-prod") == []
    assert "prod untouched: 1 of 18 conversations failed on dev (workspace ws-dev)" in result.stderr
    assert "`skill/conversations/service.yaml:" in result.stdout, "files are named as they are in the project"


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_the_suite_of_the_revision_is_the_one_that_runs(cli, gate_project, chat):
    break_refund_text(gate_project)  # in the working tree only: HEAD still passes
    write(gate_project / "skill" / "conversations" / "orders.yaml", "not: a suite\n")
    assert cli("promote", "--to", "prod", "--test", "skill/conversations", "--via", "dev").exit_code == 0


def test_a_bad_test_file_stops_before_anything_is_pushed(cli, gate_project, chat):
    write(gate_project / "skill" / "conversations" / "bad.yaml", "conversations: []\n")
    commit_all(gate_project, "an empty suite")
    result = cli("promote", "--to", "prod", "--test", "skill/conversations", "--via", "dev")
    assert result.exit_code == 2 and "skill/conversations/bad.yaml:1: AG952 conversations: is empty" in result.stderr
    assert chat.state.api_requests("POST") == []


def test_tests_that_are_not_committed_are_refused(cli, gate_project, chat):
    write(gate_project / "skill" / "conversations" / "new.yaml", "conversations: []\n")
    result = cli("promote", "--to", "prod", "--test", "skill/conversations/new.yaml", "--via", "dev")
    assert result.exit_code == 2 and "commit it first" in result.stderr


def test_coverage_can_hold_the_gate(cli, gate_project, chat):
    before = copy.deepcopy(chat.state.workspaces["ws-prod"])
    result = cli(
        "promote", "--to", "prod", "--test", "skill/conversations/help.yaml", "--via", "dev", "--min-coverage", "90"
    )
    assert result.exit_code == 1 and "coverage below 90%" in result.stderr
    assert chat.state.workspaces["ws-prod"] == before


def test_a_dialog_target_is_tested_in_a_preview_workspace(cli, gate_project, chat):
    before = set(chat.state.workspaces)
    result = cli("promote", "--to", "prod", "--test", "skill/conversations")
    assert result.exit_code == 0, result.stdout + result.stderr
    created = [r for r in chat.state.api_requests("POST") if r.path == "/v1/workspaces"]
    assert len(created) == 1 and created[0].body["name"].endswith("]")  # "<skill name> [test <sha>]"
    tested = {r.path.split("/")[3] for r in chat.state.api_requests("POST") if r.path.endswith("/message")}
    assert len(tested) == 1 and not tested & before, "the suite ran on the preview only"
    assert set(chat.state.workspaces) == before, "the preview is deleted after the run"
    assert "thanks" in {i["intent"] for i in chat.state.workspaces["ws-prod"]["intents"]}


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_a_failing_revision_in_a_preview_leaves_the_target_untouched(cli, gate_project, chat):
    break_refund_text(gate_project)
    commit_all(gate_project, "reword the refund answer")
    before = copy.deepcopy(chat.state.workspaces["ws-prod"])
    result = cli("promote", "--to", "prod", "--test", "skill/conversations")
    assert (
        result.exit_code == 1 and "prod untouched: 1 of 18 conversations failed on a preview of prod" in result.stderr
    )
    assert chat.state.workspaces["ws-prod"] == before
    assert "Deleted preview" in result.stderr


def test_an_actions_target_is_tested_in_its_draft(cli, actions_project, chat):
    write(
        actions_project / "skill" / "conversations" / "care.yaml",
        """\
conversations:
  - name: Where is my order
    turns:
      - input: where is my order
        response:
          action: Where is my order?
""",
    )
    commit_all(actions_project, "actions with a suite")
    result = cli("promote", "--to", "dev", "--test", "skill/conversations")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "live is unchanged (add --publish --deploy-to live to release it)" in result.stderr
    posts = [r.path for r in chat.state.api_requests("POST")]
    assert posts.index(f"/v2/assistants/{ASSISTANT_ID}/skills_import") < posts.index(
        f"/v2/assistants/{ASSISTANT_ID}/environments/{ASSISTANT_ID}-draft/message"
    )


def test_a_failing_actions_revision_is_not_released(cli, actions_project, chat):
    write(
        actions_project / "skill" / "conversations" / "care.yaml",
        """\
conversations:
  - name: Where is my order
    turns:
      - input: where is my order
        response:
          action: Cancel an order
""",
    )
    commit_all(actions_project, "a suite that fails")
    result = cli("promote", "--to", "dev", "--test", "skill/conversations")
    assert result.exit_code == 1
    assert (
        "dev: live untouched (its draft holds HEAD" in result.stderr and "1 of 1 conversations failed" in result.stderr
    )


def test_gate_options_need_test(cli, gate_project):
    result = cli("promote", "--to", "prod", "--via", "dev")
    assert result.exit_code == 2 and "go with --test" in result.stderr


def test_a_passing_actions_revision_is_published_and_deployed(cli, actions_project, chat):
    write(
        actions_project / "skill" / "conversations" / "care.yaml",
        """\
conversations:
  - name: Where is my order
    turns:
      - input: where is my order
        response:
          action: Where is my order?
          text_contains: order number
""",
    )
    commit_all(actions_project, "actions with a suite")
    result = cli("promote", "--to", "dev", "--test", "skill/conversations", "--publish", "--deploy-to", "live")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("\n1") and chat.state.lifecycle.deployed(ASSISTANT_ID, "live") == "1"
    # live now answers from release 1, whatever the draft holds next
    assistant = copy.deepcopy(chat.state.assistants[ASSISTANT_ID])  # a new draft, as an import stores it
    skill = next(s for s in assistant["assistant_skills"] if s["type"] == "action")
    for action in skill["workspace"]["actions"]:
        if action["action"] == "action_21001":
            action["steps"][0]["output"]["generic"][0]["values"][0]["text_expression"]["concat"][0]["scalar"] = "Hm?"
    chat.state.assistants[ASSISTANT_ID] = assistant
    assert cli("test", "--env", "dev", "--environment", "live").exit_code == 0
    assert cli("test", "--env", "dev").exit_code == 1


def test_a_failing_actions_revision_is_not_published(cli, actions_project, chat):
    write(
        actions_project / "skill" / "conversations" / "care.yaml",
        """\
conversations:
  - name: Where is my order
    turns:
      - input: where is my order
        response:
          action: Cancel an order
""",
    )
    commit_all(actions_project, "a suite that fails")
    result = cli("promote", "--to", "dev", "--test", "skill/conversations", "--publish", "--deploy-to", "live")
    assert result.exit_code == 1
    assert chat.state.lifecycle.releases.get(ASSISTANT_ID, {}) == {}
    assert not [r for r in chat.state.api_requests("POST") if r.path.endswith(("/releases", "/deploy"))]
