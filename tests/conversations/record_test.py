"""assistantgit test record --from-logs (issue 16): real traffic (the toy assistant's answers
through the SDK) archived by `assistantgit logs`, turned into conversation files that
validate cleanly, pass against the skill that answered, and fail once it answers otherwise."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from testing.conversations import ASSISTANT_ID
from testing.watson_server import API_KEY

START = datetime(2026, 11, 18, 9, 0, tzinfo=timezone.utc)
TALKS = [["", "where is my parcel", "AB-123456"], ["I want to cancel my order", "no"], ["tell me a joke"]]


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def v1_logs(url: str, talks=TALKS, start=START) -> list:
    """Logs as the service keeps them, of conversations held with the toy through the SDK."""
    from ibm_cloud_sdk_core.authenticators import IAMAuthenticator
    from ibm_watson import AssistantV1

    service = AssistantV1(version="2021-11-27", authenticator=IAMAuthenticator(API_KEY, url=url))
    service.set_service_url(url)
    logs, moment = [], start
    for talk in talks:
        context = None
        for text in talk:
            answer = service.message("ws-dev", input={"text": text}, context=context).get_result()
            logs.append(
                {
                    "log_id": f"log-{len(logs):04d}",
                    "request_timestamp": stamp(moment),
                    "response_timestamp": stamp(moment + timedelta(milliseconds=200)),
                    "workspace_id": "ws-dev",
                    "language": "en",
                    "request": {"input": {"text": text}, "context": context or {}},
                    "response": answer,
                }
            )
            context = answer["context"]
            moment += timedelta(minutes=3)
        moment += timedelta(hours=9)
    return logs


@pytest.fixture
def archived(cli, dialog_project, chat, tmp_path):
    chat.state.logs["ws-dev"] = v1_logs(chat.url)
    assert cli("logs", "--env", "dev", "--out", tmp_path / "archive").exit_code == 0
    return tmp_path / "archive"


def test_recorded_conversations_validate_and_pass(cli, dialog_project, chat, archived):
    result = cli("test", "record", "--from-logs", archived, "--env", "dev")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == "Tree: skill (assistantgit.yaml's source)"  # issue 12
    recorded = dialog_project / "skill" / "conversations" / "recorded"
    assert sorted(p.name for p in recorded.iterdir()) == ["2026-11-18.yaml", "2026-11-19.yaml"]
    assert "Proposed 3 conversations in 2 files" in result.stderr
    assert (recorded / "2026-11-18.yaml").stat().st_mode & 0o077 == 0  # user messages: owner only
    text = (recorded / "2026-11-18.yaml").read_text(encoding="utf-8")
    assert '- name: "09:00:00 toy-conversation-' in text and "input: where is my parcel" in text
    assert "node: handler_order_number_focus" in text and "intent: order_status" in text
    assert cli("validate", "--strict", "--dir", "skill").exit_code == 0
    passed = cli("test", "--env", "dev", "skill/conversations/recorded")
    assert passed.exit_code == 0, passed.stdout
    assert passed.stderr.splitlines()[0] == "Tree: skill (assistantgit.yaml's source)"
    assert "3 conversations against dev" in passed.stdout


def test_a_recorded_conversation_fails_when_the_answer_changes(cli, dialog_project, chat, archived):
    assert cli("test", "record", "--from-logs", archived / "dev").exit_code == 0
    workspace = chat.state.workspaces["ws-dev"]
    node = next(n for n in workspace["dialog_nodes"] if n["dialog_node"] == "node_cancel_no")
    node["output"]["generic"][0]["values"][0]["text"] = "Fine."
    chat.state.workspaces["ws-dev"] = dict(workspace)
    result = cli("test", "--env", "dev", "skill/conversations/recorded")
    assert result.exit_code == 1
    assert 'expected: "Alright, your order stays as it is."' in result.stdout and 'actual:   "Fine."' in result.stdout


def test_existing_proposals_are_kept_without_force(cli, dialog_project, archived):
    recorded = dialog_project / "skill" / "conversations" / "recorded"
    recorded.mkdir(parents=True)
    (recorded / "2026-11-18.yaml").write_text("# reviewed by hand\n", encoding="utf-8")
    result = cli("test", "record", "--from-logs", archived, "--env", "dev")
    assert result.exit_code == 0 and "2026-11-18.yaml exists; not replaced (use --force)" in result.stderr
    assert (recorded / "2026-11-18.yaml").read_text(encoding="utf-8") == "# reviewed by hand\n"
    assert (recorded / "2026-11-19.yaml").is_file()
    assert cli("test", "record", "--from-logs", archived, "--env", "dev", "--force").exit_code == 0
    assert "input: where is my parcel" in (recorded / "2026-11-18.yaml").read_text(encoding="utf-8")


def test_since_and_limit_choose_the_conversations(cli, dialog_project, archived, tmp_path):
    out = tmp_path / "proposals"
    assert cli("test", "record", "--from-logs", archived / "dev", "--out", out, "--since", "2026-11-19").exit_code == 0
    assert [p.name for p in out.iterdir()] == ["2026-11-19.yaml"]
    out2 = tmp_path / "latest"
    result = cli("test", "record", "--from-logs", archived / "dev", "--out", out2, "--limit", "1")
    assert "Proposed 1 conversation in 1 file" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("--from-logs", "nowhere"), "nowhere: no such folder"),
        (("--from-logs", ".", "--out", "x"), "no YYYY-MM-DD.jsonl day files"),
    ],
)
def test_unusable_archives_are_one_line_exit_2(cli, dialog_project, args, message):
    result = cli("test", "record", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_v2_logs_become_turns_with_intent_and_text(cli, actions_project, chat, tmp_path):
    from testing.toy_answers import actions_answer
    from testing.watson_message import action_skill, compiled

    skill = compiled(chat.state, "v2:" + ASSISTANT_ID, action_skill(chat.state.assistants[ASSISTANT_ID]), "actions")
    logs, context = [], None
    for number, text in enumerate(["", "where is my order"]):
        answer = actions_answer(skill, {"input": {"text": text}, "context": context})
        context = answer["context"]
        logs.append(
            {
                "log_id": f"v2-{number}",
                "request_timestamp": stamp(START + timedelta(minutes=number)),
                "response_timestamp": stamp(START + timedelta(minutes=number, seconds=1)),
                "assistant_id": ASSISTANT_ID,
                "session_id": "session-1",
                "skill_id": "s",
                "request": {"input": {"text": text}},
                "response": answer,
            }
        )
    chat.state.logs[ASSISTANT_ID] = logs
    assert cli("logs", "--env", "dev", "--out", tmp_path / "a").exit_code == 0
    assert cli("test", "record", "--from-logs", tmp_path / "a" / "dev").exit_code == 0
    text = (actions_project / "skill" / "conversations" / "recorded" / "2026-11-18.yaml").read_text(encoding="utf-8")
    assert '- name: "09:00:00 session-1"' in text and "intent: action_21001_intent_52001" in text
    assert cli("test", "--env", "dev", "skill/conversations/recorded").exit_code == 0


def test_record_waits_for_the_trees_lock_then_refuses(cli, dialog_project, chat, archived, monkeypatch):
    """Another command holding the source tree (a pull, fmt) keeps `test record` out of it:
    exit 2, nothing written (issue 10: one writer per tree)."""
    import fcntl
    import os

    monkeypatch.setenv("ASSISTANTGIT_LOCK_WAIT", "0")
    skill = dialog_project / "skill"
    handle = os.open(skill, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # what another assistantgit process holds while it writes
        result = cli("test", "record", "--from-logs", archived, "--env", "dev")
    finally:
        os.close(handle)
    assert result.exit_code == 2 and "another assistantgit command is working on this tree" in result.stderr
    assert not (skill / "conversations" / "recorded").exists()
    assert cli("test", "record", "--from-logs", archived, "--env", "dev").exit_code == 0
