"""Fixtures for the conversation-test tests: the Watson look-alike with its message
endpoints (testing/watson_message.py) and a project whose environments point at it.
tests/conftest.py loads this module as a pytest plugin; test modules import its helpers."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from testing.paths import SAMPLE_REPO
from testing.watson_server import API_KEY

DIALOG_EXPORT = SAMPLE_REPO / "exports" / "customer-care-dialog.json"
ACTIONS_EXPORT = SAMPLE_REPO / "exports" / "customer-care-actions.json"
ASSISTANT_ID = "assistant-care"

CONFIG = """\
source: skill
kind: {kind}
retries: {{attempts: 3, backoff: 0.01}}
environments:
  dev:
    url: {url}
    {address}
    credentials: ASSISTANT_DEV
  prod:
    url: {url}
    {prod_address}
    credentials: ASSISTANT_DEV
"""


@pytest.fixture
def chat():
    from testing.watson_message import ChatServer

    with ChatServer() as server:
        yield server


def _project(tmp_path, chat, monkeypatch, kind: str) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    if kind == "dialog":
        address, prod = "workspace_id: ws-dev", "workspace_id: ws-prod"
    else:
        address, prod = f"assistant_id: {ASSISTANT_ID}", "assistant_id: assistant-prod"
    (root / "assistantgit.yaml").write_text(
        CONFIG.format(kind=kind, url=chat.url, address=address, prod_address=prod), encoding="utf-8"
    )
    shutil.copytree(SAMPLE_REPO / ("dialog-skill" if kind == "dialog" else "actions-skill"), root / "skill")
    monkeypatch.chdir(root)
    monkeypatch.setenv("IBM_CREDENTIALS_FILE", str(tmp_path / "absent.env"))
    monkeypatch.setenv("ASSISTANT_DEV_APIKEY", API_KEY)
    monkeypatch.setenv("ASSISTANT_DEV_AUTH_URL", chat.url)
    return root


@pytest.fixture
def dialog_project(tmp_path, chat, monkeypatch) -> Path:
    """A dialog project (skill/ = the customer-care sample with its conversations) and its workspaces."""
    root = _project(tmp_path, chat, monkeypatch, "dialog")
    export = json.loads(DIALOG_EXPORT.read_text(encoding="utf-8"))
    chat.state.workspaces["ws-dev"] = copy.deepcopy(export)
    chat.state.workspaces["ws-prod"] = copy.deepcopy(export)
    return root


@pytest.fixture
def actions_project(tmp_path, chat, monkeypatch) -> Path:
    """An actions project (skill/ = the sample actions skill) and its assistant."""
    root = _project(tmp_path, chat, monkeypatch, "actions")
    skill = json.loads(ACTIONS_EXPORT.read_text(encoding="utf-8"))
    chat.state.assistants[ASSISTANT_ID] = {"assistant_skills": [skill], "assistant_state": {}}
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, marker: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line holding marker, computed from the file."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if marker in line]
    assert len(hits) >= occurrence, (marker, path)
    return hits[occurrence - 1]


def messages(chat) -> list:
    return [r for r in chat.state.api_requests("POST") if r.path.endswith("/message")]
