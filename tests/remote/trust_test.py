"""A push reports what the service really holds (issue 10): full replace, the 1.5 MB
synchronous limit as the SDK sends the body, and a token endpoint that cannot be
reached. The real ibm-watson SDK against testing/watson_server.py, which, like the
service, leaves any workspace field an update does not carry as it was."""

from __future__ import annotations

import copy
import json
import random
import socket
import time

import pytest

from testing.remote_project import (
    ACTION_SKILL,
    RETRIES,
    SKILL,
    actions_config,
    add_assistant,
    add_intent,
    dialog_config,
    load_yaml,
    make_project,
    posts,
    write_yaml,
)


def dialog_project(tmp_path, watson, monkeypatch, skill=SKILL, extra=RETRIES):
    watson.state.workspaces["ws-dev"] = copy.deepcopy(skill)
    return make_project(tmp_path, watson, monkeypatch, dialog_config(watson.url, extra))


# --- full replace -----------------------------------------------------------------------------------


def test_deleting_every_counterexample_and_webhook_deletes_them_on_the_service(cli, tmp_path, watson, monkeypatch):
    root = dialog_project(tmp_path, watson, monkeypatch)
    assert cli("pull", "--env", "dev").exit_code == 0
    skill = root / "skill"
    (skill / "counterexamples.yaml").unlink()
    (skill / "webhooks.yaml").unlink()
    settings = load_yaml(skill / "skill.yaml")
    del settings["workspace"]["description"], settings["workspace"]["learning_opt_out"]
    write_yaml(skill / "skill.yaml", settings)

    result = cli("push", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    assert "-2 counterexamples" in result.stderr and "read back and verified" in result.stderr
    held = watson.state.workspaces["ws-dev"]
    assert held["counterexamples"] == [] and held["webhooks"] == []
    assert held["description"] == "" and held["learning_opt_out"] is False
    [update] = posts(watson)
    assert update.body["counterexamples"] == [] and update.body["webhooks"] == []
    # the read-back after the update is what verified it
    last = watson.state.api_requests()[-1]
    assert (last.method, last.path, last.query.get("export")) == ("GET", "/v1/workspaces/ws-dev", "true")
    # and a second push finds nothing to change
    result = cli("push", "--env", "dev", "--dry-run")
    assert result.exit_code == 0 and "no changes" in result.stderr


def test_a_field_the_service_kept_fails_the_read_back(cli, tmp_path, watson, monkeypatch):
    """Whatever was sent, the WHOLE skill read back is compared with the tree's."""
    root = dialog_project(tmp_path, watson, monkeypatch)
    assert cli("pull", "--env", "dev").exit_code == 0
    (root / "skill" / "counterexamples.yaml").unlink()
    # a service that takes an empty list for "no change" keeps the old counterexamples
    watson.state.store_hook = lambda ident, body: {k: v for k, v in body.items() if v != []}
    result = cli("push", "--env", "dev")
    assert result.exit_code == 1
    assert "reading it back differs from what was sent" in result.stderr
    assert "+2 counterexamples" in result.stderr and "assistantgit restore --env dev" in result.stderr


def test_actions_push_replaces_the_whole_skill(cli, tmp_path, watson, monkeypatch):
    add_assistant(watson, "as-dev")
    root = make_project(tmp_path, watson, monkeypatch, actions_config(watson.url))
    assert cli("pull", "--env", "dev").exit_code == 0
    skill = root / "skill"
    (skill / "counterexamples.yaml").unlink()
    for path in (skill / "variables").glob("*.yaml"):
        path.unlink()
    settings = load_yaml(skill / "skill.yaml")
    del settings["envelope"]["description"]
    write_yaml(skill / "skill.yaml", settings)

    result = cli("push", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    held = watson.state.assistants["as-dev"]["assistant_skills"][0]
    assert held["workspace"]["counterexamples"] == [] and held["workspace"]["variables"] == []
    assert held["description"] == ""
    assert held["skill_id"] == ACTION_SKILL["skill_id"]  # ids stay the service's


# --- the 1.5 MB synchronous limit, measured as sent ---------------------------------------------------

KANA = [chr(c) for c in range(0x3042, 0x3094)] + list("予約修理自転車営業時間")


def japanese_skill(target_bytes: int) -> dict:
    """A dialog skill of our own making whose JSON is about `target_bytes` of UTF-8."""
    rng = random.Random(15)
    skill = {
        "name": "自転車修理",
        "description": "予約と営業時間",
        "language": "ja",
        "intents": [],
        "entities": [],
        "dialog_nodes": [],
        "counterexamples": [],
    }
    index = 0
    while len(json.dumps(skill, ensure_ascii=False).encode()) < target_bytes:
        examples = [{"text": "".join(rng.choice(KANA) for _ in range(40)) + f"{n}"} for n in range(40)]
        skill["intents"].append({"intent": f"intent_{index:03}", "examples": examples})
        index += 1
    return skill


@pytest.mark.slow  # a 1.2 MB skill through the SDK
def test_a_japanese_skill_is_measured_as_the_sdk_sends_it(cli, tmp_path, watson, monkeypatch):
    skill = japanese_skill(1_150_000)
    utf8 = len(json.dumps(skill, ensure_ascii=False).encode())
    assert 1_150_000 <= utf8 < 1_200_000 < 1536 * 1024  # under the limit in UTF-8...
    root = dialog_project(tmp_path, watson, monkeypatch, skill=skill)
    assert cli("pull", "--env", "dev").exit_code == 0
    add_intent(root / "skill", "repair_ok")
    result = cli("push", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    [update] = posts(watson)
    assert update.path == "/v1/workspaces_async/ws-dev"  # ...but not as sent: straight to the async update
    wire = len(json.dumps(update.body))
    assert wire > 1536 * 1024 and f"{wire:,} bytes as sent" in result.stderr
    assert len(watson.state.workspaces["ws-dev"]["intents"]) == len(skill["intents"]) + 1


def test_a_413_from_the_synchronous_update_switches_to_the_asynchronous_one(cli, tmp_path, watson, monkeypatch):
    root = dialog_project(tmp_path, watson, monkeypatch)
    assert cli("pull", "--env", "dev").exit_code == 0
    add_intent(root / "skill", "brakes")
    watson.state.sync_limit = 1000  # this service counts differently: it refuses what we thought small
    result = cli("push", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    assert [r.path for r in posts(watson)] == ["/v1/workspaces/ws-dev", "/v1/workspaces_async/ws-dev"]
    assert "(413): updating asynchronously" in result.stderr and "read back and verified" in result.stderr
    assert "brakes" in {i["intent"] for i in watson.state.workspaces["ws-dev"]["intents"]}


# --- an unreachable token endpoint ------------------------------------------------------------------


def test_a_closed_token_port_fails_fast_and_names_the_token_host(cli, tmp_path, watson, monkeypatch):
    dialog_project(tmp_path, watson, monkeypatch)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ASSISTANT_DEV_AUTH_URL", f"http://127.0.0.1:{port}")
    started = time.monotonic()
    result = cli("pull", "--env", "dev")
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert f"cannot reach the token endpoint http://127.0.0.1:{port}/identity/token (connection refused)" in line
    assert "after 3 tries" in line and "ASSISTANT_DEV_AUTH_URL" in line and watson.url not in line
    assert elapsed < 10, elapsed  # the SDK's token pacing made each retry wait 60 s
    assert watson.state.requests == []


@pytest.mark.slow  # waits for the retry deadline
def test_a_silent_token_host_is_bounded_by_the_deadline(cli, tmp_path, watson, monkeypatch):
    extra = "retries: {attempts: 20, backoff: 0.01, deadline: 1.5, timeout: 0.4}\n"
    dialog_project(tmp_path, watson, monkeypatch, extra=extra)
    with socket.socket() as silent:  # accepts connections (kernel backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        monkeypatch.setenv("ASSISTANT_DEV_AUTH_URL", f"http://127.0.0.1:{silent.getsockname()[1]}")
        started = time.monotonic()
        result = cli("pull", "--env", "dev")
        elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert result.stderr.count("retrying until") == 1  # the deadline is printed once, when retries begin
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "cannot reach the token endpoint http://127.0.0.1:" in line and "(no answer within" in line
    assert 1.0 < elapsed < 4.0, elapsed
