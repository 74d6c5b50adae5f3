"""Projects for the remote tests: an assistantgit.yaml pointing at the local Watson
server (testing/watson_server.py), credentials in the environment as a user sets them,
and skills of our own writing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from assistantgit import canonical

from .watson_server import API_KEY

SKILL = {
    "name": "Bike repair",
    "description": "Bookings and opening hours",
    "language": "en",
    "learning_opt_out": True,
    "metadata": {"api_version": {"major_version": "v1", "minor_version": "2021-11-27"}},
    "system_settings": {"disambiguation": {"enabled": True, "prompt": "Did you mean:"}},
    "counterexamples": [{"text": "sing me a song"}, {"text": "what is the weather"}],
    "webhooks": [{"name": "main_webhook", "url": "https://hooks.example.com/bike", "headers": []}],
    "intents": [
        {"intent": "book_repair", "examples": [{"text": "book a repair"}, {"text": "my chain is broken"}]},
        {"intent": "hours", "examples": [{"text": "when are you open"}, {"text": "opening hours"}]},
    ],
    "entities": [{"entity": "part", "values": [{"value": "chain", "type": "synonyms", "synonyms": ["chains"]}]}],
    "dialog_nodes": [
        {
            "dialog_node": "welcome",
            "title": "Welcome",
            "conditions": "welcome",
            "output": {"generic": [{"response_type": "text", "values": [{"text": "Hello, bike trouble?"}]}]},
        },
        {
            "dialog_node": "book",
            "title": "Book",
            "conditions": "#book_repair",
            "previous_sibling": "welcome",
            "output": {"generic": [{"response_type": "text", "values": [{"text": "Which day suits you?"}]}]},
        },
        {
            "dialog_node": "fallback",
            "title": "Anything else",
            "conditions": "anything_else",
            "previous_sibling": "book",
            "output": {"generic": [{"response_type": "text", "values": [{"text": "Sorry?"}]}]},
        },
    ],
}

ACTION_SKILL = {
    "name": "Bike repair actions",
    "description": "Actions of the bike shop",
    "language": "en",
    "type": "action",
    "skill_id": "sk-action",
    "assistant_id": "as-dev",
    "status": "Available",
    "workspace": {
        "actions": [
            {
                "action": "action_book",
                "title": "Book a repair",
                "condition": {"intent": "book"},
                "steps": [
                    {
                        "step": "step_1",
                        "output": {"generic": [{"response_type": "text", "values": [{"text": "Which day?"}]}]},
                    }
                ],
            }
        ],
        "intents": [{"intent": "book", "examples": [{"text": "book a repair"}]}],
        "entities": [],
        "variables": [
            {"variable": "shop", "title": "Shop", "data_type": "string", "initial_value": {"scalar": "Main"}}
        ],
        "collections": [],
        "data_types": [],
        "counterexamples": [{"text": "tell me a joke"}],
        "metadata": {},
        "system_settings": {},
        "learning_opt_out": False,
    },
}
DIALOG_SKILL = {
    "name": "Dialog",
    "type": "dialog",
    "language": "en",
    "skill_id": "sk-dialog",
    "assistant_id": "as-dev",
    "workspace": {"dialog_nodes": [], "intents": [], "entities": []},
}

RETRIES = "retries: {attempts: 3, backoff: 0.01}\n"
WAITS = RETRIES + "waits: {interval: 0.01, timeout: 5}\n"


def dialog_config(url: str, extra: str = RETRIES) -> str:
    return (
        f"source: skill\nkind: dialog\n{extra}environments:\n"
        f"  dev:\n    url: {url}\n    workspace_id: ws-dev\n    credentials: ASSISTANT_DEV\n"
    )


def actions_config(url: str, extra: str = RETRIES, envs=("dev",)) -> str:
    text = f"# the project file, with a comment to keep\nsource: skill\nkind: actions\n{extra}environments:\n"
    for name in envs:
        text += (
            f"  {name}:\n    url: {url}\n    assistant_id: as-{name}   # the {name} assistant\n"
            f"    credentials: ASSISTANT_{name.upper()}\n"
        )
    return text


def make_project(tmp_path: Path, watson, monkeypatch, config: str, prefixes=("ASSISTANT_DEV",)) -> Path:
    """A project folder as the current directory, credentials in the environment."""
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    (root / "assistantgit.yaml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("IBM_CREDENTIALS_FILE", str(tmp_path / "absent.env"))  # ignore any ~/ibm-credentials.env
    for prefix in prefixes:
        monkeypatch.setenv(f"{prefix}_APIKEY", API_KEY)
        monkeypatch.setenv(f"{prefix}_AUTH_URL", watson.url)
    return root


def add_assistant(watson, ident: str, action_skill: dict | None = None) -> None:
    action = copy.deepcopy(action_skill or ACTION_SKILL)
    action["assistant_id"] = ident
    dialog = dict(copy.deepcopy(DIALOG_SKILL), assistant_id=ident)
    watson.state.assistants[ident] = {
        "assistant_skills": [action, dialog],
        "assistant_state": {"action_disabled": False, "dialog_disabled": True},
    }


def load_yaml(path: Path):
    return canonical.loads(path.read_text(encoding="utf-8"), str(path))


def write_yaml(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(canonical.dumps(data), encoding="utf-8")


def add_intent(root: Path, name: str) -> None:
    write_yaml(root / "intents" / f"{name}.yaml", {"intent": name, "examples": [f"{name} please"]})


def posts(watson, prefix: str = "/v"):
    return [r for r in watson.state.api_requests("POST") if r.path.startswith(prefix)]


def tree_bytes(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def as_json(data) -> str:
    return json.dumps(data, sort_keys=True)
