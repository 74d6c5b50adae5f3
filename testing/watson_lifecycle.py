"""The release lifecycle of the local Watson look-alike (testing/watson_server.py): v2
releases, environments, deploy, release export (the published-version ZIP) and
import, and creating, listing and deleting assistants (v2) and workspaces (v1).

Asynchronous jobs move as the service's do: `Processing` for `state.polls` status
requests, then `Available` / `Completed`, unless a failure is planned:
- `publish_outcome = "Failed"` (the release fails) or `"stuck"` (it never finishes);
- `import_outcome = "Failed"` (the release import fails; the draft stays as it was);
- a refused deploy: `state.fail("POST", r"/deploy$", 409)`.
"""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

NOW = "2026-12-01T10:00:00.000Z"
MEMBERS = {"action": "action-skill.json", "dialog": "dialog-skill.json"}


@dataclass
class Raw:
    """A non-JSON answer (the release export's ZIP)."""

    content: bytes
    content_type: str = "application/octet-stream"


@dataclass
class LifecycleState:
    releases: dict = field(default_factory=dict)  # assistant id -> {number: release}
    environments: dict = field(default_factory=dict)  # assistant id -> [environment]
    pending_deploys: dict = field(default_factory=dict)  # (assistant, environment id) -> [polls left, release]
    pending_exports: dict = field(default_factory=dict)  # (assistant, release) -> polls left
    pending_imports: dict = field(default_factory=dict)  # assistant -> [polls left, zip bytes]
    import_status: dict = field(default_factory=dict)  # assistant -> last import status
    publish_outcome: str = "Available"
    import_outcome: str = "Completed"
    environment_names: tuple = ("draft", "live")
    created: int = 0

    def add_environments(self, assistant: str) -> None:
        self.environments[assistant] = [
            {
                "name": name,
                "environment": name,
                "environment_id": f"{assistant}-{name}",
                "assistant_id": assistant,
                "description": "",
                "orchestration": {"search_skill_fallback": False},
                "session_timeout": 300,
                "integration_references": [],
                "skill_references": [],
            }
            for name in self.environment_names
        ]
        self.releases.setdefault(assistant, {})

    def deployed(self, assistant: str, name: str) -> str | None:
        for env in self.environments.get(assistant, []):
            if env["name"] == name:
                return (env.get("release_reference") or {}).get("release")
        return None


def route(handler, method: str, path: str, query: dict, body):
    """(status, answer) for the lifecycle endpoints, or None when the path is not one of them."""
    state = handler.state
    life = state.lifecycle
    for assistant in state.assistants:
        if assistant not in life.environments:
            life.add_environments(assistant)
    for pattern, function in ROUTES:
        match = re.fullmatch(pattern, path)
        if match:
            return function(state, life, method, query, body, handler.headers, *match.groups())
    return None


# -- v1 workspaces: list, create, delete ---------------------------------------------------------
def _workspaces(state, life, method, query, body, headers, is_async):
    if method == "GET" and not is_async:
        listing = [
            {k: w[k] for k in ("name", "description", "language") if k in w} | {"workspace_id": i}
            for i, w in state.workspaces.items()
        ]
        return _page(listing, "workspaces", query)
    if method != "POST":
        return None
    life.created += 1
    ident = f"ws-new-{life.created}"
    if is_async:
        state.workspaces[ident] = {"name": body.get("name"), "language": body.get("language", "en")}
        state.pending_updates[ident] = [state.polls, body]
        return 202, {"name": body.get("name"), "workspace_id": ident, "status": "Processing"}
    state.workspaces[ident] = copy.deepcopy(body)
    return 201, {"name": body.get("name"), "workspace_id": ident, "status": "Training"}


def _delete_workspace(state, life, method, query, body, headers, ident):
    if method != "DELETE":
        return None
    if state.workspaces.pop(ident, None) is None:
        return 404, {"error": "Resource not found", "code": 404}
    return 200, {}


# -- v2 assistants: list, create, delete ---------------------------------------------------------
def _assistants(state, life, method, query, body, headers):
    if method == "GET":
        listing = [
            {
                "assistant_id": i,
                "name": a.get("name", i),
                "language": a.get("language", "en"),
                "description": a.get("description", ""),
            }
            for i, a in state.assistants.items()
        ]
        return _page(listing, "assistants", query)
    life.created += 1
    ident = f"as-new-{life.created}"
    language = (body or {}).get("language", "en")
    action = {
        "name": "Actions skill",
        "type": "action",
        "language": language,
        "skill_id": f"{ident}-action",
        "assistant_id": ident,
        "status": "Available",
        "description": "",
        "workspace": {
            "actions": [],
            "intents": [],
            "entities": [],
            "variables": [],
            "data_types": [],
            "collections": [],
            "counterexamples": [],
            "metadata": {},
            "system_settings": {},
            "learning_opt_out": False,
        },
    }
    dialog = {
        "name": "Dialog skill",
        "type": "dialog",
        "language": language,
        "skill_id": f"{ident}-dialog",
        "assistant_id": ident,
        "workspace": {"dialog_nodes": [], "intents": [], "entities": []},
    }
    state.assistants[ident] = {
        "name": body.get("name"),
        "language": language,
        "description": body.get("description", ""),
        "assistant_skills": [action, dialog],
        "assistant_state": {"action_disabled": False, "dialog_disabled": True},
    }
    life.add_environments(ident)
    return 200, {
        "assistant_id": ident,
        "name": body.get("name"),
        "language": language,
        "description": body.get("description", ""),
        "assistant_skills": [{"skill_id": action["skill_id"], "type": "action"}],
        "assistant_environments": [
            {"name": e["name"], "environment_id": e["environment_id"], "environment": e["environment"]}
            for e in life.environments[ident]
        ],
    }


def _assistant(state, life, method, query, body, headers, ident):
    if method != "DELETE":
        return None
    if state.assistants.pop(ident, None) is None:
        return 404, {"error": "Resource not found", "code": 404}
    life.environments.pop(ident, None)
    life.releases.pop(ident, None)
    return 200, {}


# -- environments --------------------------------------------------------------------------------
def _environments(state, life, method, query, body, headers, assistant):
    if assistant not in state.assistants:
        return 404, {"error": "Resource not found", "code": 404}
    for env in life.environments[assistant]:
        _advance_deploy(life, assistant, env)
    return _page(copy.deepcopy(life.environments[assistant]), "environments", query)


def _environment(state, life, method, query, body, headers, assistant, env_id):
    env = next((e for e in life.environments.get(assistant, []) if e["environment_id"] == env_id), None)
    if env is None:
        return 404, {"error": "Resource not found", "code": 404}
    _advance_deploy(life, assistant, env)
    return 200, copy.deepcopy(env)


def _advance_deploy(life, assistant, env) -> None:
    pending = life.pending_deploys.get((assistant, env["environment_id"]))
    if pending:
        pending[0] -= 1
        if pending[0] < 0:
            env["release_reference"] = {"release": pending[1]}
            env["skill_references"] = [
                {"skill_id": f"{assistant}-action", "type": "action", "disabled": False, "snapshot": pending[1]}
            ]
            env["updated"] = NOW
            del life.pending_deploys[(assistant, env["environment_id"])]


# -- releases ------------------------------------------------------------------------------------
def _releases(state, life, method, query, body, headers, assistant):
    if assistant not in state.assistants:
        return 404, {"error": "Resource not found", "code": 404}
    releases = life.releases[assistant]
    if method == "GET":
        listing = [_release_view(life, assistant, r) for _, r in sorted(releases.items(), key=lambda i: int(i[0]))]
        return _page(listing, "releases", query)
    number = str(len(releases) + 1)
    skills = copy.deepcopy(state.assistants[assistant]["assistant_skills"])
    releases[number] = {
        "release": number,
        "description": (body or {}).get("description", ""),
        "polls": state.polls,
        "outcome": life.publish_outcome,
        "status": "Processing",
        "skills": skills,
        "dialog_disabled": state.assistants[assistant]["assistant_state"].get("dialog_disabled", True),
        "created": f"2026-12-01T10:{len(releases):02d}:00.000Z",
    }
    return 202, _release_view(life, assistant, releases[number])


def _release(state, life, method, query, body, headers, assistant, number):
    release = life.releases.get(assistant, {}).get(number)
    if release is None:
        return 404, {"error": f"Release '{number}' not found", "code": 404}
    if release["status"] == "Processing" and release["outcome"] != "stuck":
        release["polls"] -= 1
        if release["polls"] < 0:
            release["status"] = release["outcome"]
    answer = _release_view(life, assistant, release)
    if release["status"] == "Failed":
        answer["status_errors"] = [{"message": "Publishing failed: planned failure"}]
    return 200, answer


def _release_view(life, assistant, release) -> dict:
    where = [
        {"name": e["name"], "environment_id": e["environment_id"], "environment": e["environment"]}
        for e in life.environments.get(assistant, [])
        if (e.get("release_reference") or {}).get("release") == release["release"]
    ]
    return {
        "release": release["release"],
        "description": release["description"],
        "status": release["status"],
        "environment_references": where,
        "created": release["created"],
        "updated": release["created"],
        "content": {
            "skills": [
                {"skill_id": s["skill_id"], "type": s["type"], "snapshot": release["release"]}
                for s in release["skills"]
            ]
        },
    }


def _deploy(state, life, method, query, body, headers, assistant, number):
    release = life.releases.get(assistant, {}).get(number)
    if release is None:
        return 404, {"error": f"Release '{number}' not found", "code": 404}
    if release["status"] != "Available":
        return 400, {"error": f"Release '{number}' is not available for deployment ({release['status']})", "code": 400}
    env_id = (body or {}).get("environment_id")
    env = next((e for e in life.environments[assistant] if e["environment_id"] == env_id), None)
    if env is None or env["environment"] == "draft":
        return 400, {"error": f"Invalid environment_id '{env_id}'", "code": 400}
    life.pending_deploys[(assistant, env_id)] = [state.polls, number]
    return 200, copy.deepcopy(env)


def _release_export(state, life, method, query, body, headers, assistant, number):
    release = life.releases.get(assistant, {}).get(number)
    if release is None or release["status"] != "Available":
        return 404, {"error": f"Release '{number}' not found or not available", "code": 404}
    key = (assistant, number)
    if method == "POST":
        life.pending_exports[key] = state.polls
        return 200, {"status": "Processing", "task_id": f"task-{number}", "assistant_id": assistant, "release": number}
    left = life.pending_exports.get(key)
    if left is None:
        return 400, {"error": "No export of this release was created; POST to create it first", "code": 400}
    if left > 0:
        life.pending_exports[key] = left - 1
        return 200, {"status": "Processing", "task_id": f"task-{number}", "assistant_id": assistant, "release": number}
    if "application/octet-stream" in (headers.get("Accept") or ""):
        return 200, Raw(_release_zip(release))
    return 200, {"status": "Available", "task_id": f"task-{number}", "assistant_id": assistant, "release": number}


def _release_zip(release) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for skill in release["skills"]:
            if skill["type"] == "dialog" and release["dialog_disabled"]:
                continue  # only with coexistence enabled, as the documentation says
            content = {k: v for k, v in skill.items() if k not in ("status",)}
            archive.writestr(MEMBERS[skill["type"]], json.dumps(content, ensure_ascii=False))
    return buffer.getvalue()


def _release_import(state, life, method, query, body, headers, assistant):
    if assistant not in state.assistants:
        return 404, {"error": "Resource not found", "code": 404}
    if method == "POST":
        try:
            with zipfile.ZipFile(io.BytesIO(body or b"")) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return 400, {"error": "The file is not a valid ZIP archive", "code": 400}
        kinds = [k for k, member in MEMBERS.items() if member in names]
        if not kinds:
            return 400, {"error": "The archive holds no skill", "code": 400}
        life.pending_imports[assistant] = [state.polls, body]
        life.import_status[assistant] = {
            "status": "Processing",
            "assistant_id": assistant,
            "skill_impact_in_draft": kinds,
            "task_id": f"import-{assistant}",
        }
        return 202, dict(life.import_status[assistant])
    pending = life.pending_imports.get(assistant)
    if pending:
        pending[0] -= 1
        if pending[0] < 0:
            del life.pending_imports[assistant]
            if life.import_outcome == "Failed":
                life.import_status[assistant].update(
                    status="Failed",
                    status_description="Import failed",
                    status_errors=[{"message": "planned import failure"}],
                )
            else:
                _apply_import(state.assistants[assistant], pending[1])
                life.import_status[assistant]["status"] = "Completed"
    status = life.import_status.get(assistant)
    return (200, dict(status)) if status else (404, {"error": "No import found", "code": 404})


def _apply_import(assistant: dict, zip_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        for kind, member in MEMBERS.items():
            if member not in archive.namelist():
                continue
            content = json.loads(archive.read(member))
            for index, held in enumerate(assistant["assistant_skills"]):
                if held.get("type") == kind:  # the skill is replaced whole, keeping its ids
                    ids = {k: held[k] for k in ("skill_id", "assistant_id") if k in held}
                    assistant["assistant_skills"][index] = {**content, **ids, "status": "Available"}
            if kind == "dialog":
                assistant["assistant_state"]["dialog_disabled"] = False


def _page(items: list, key: str, query: dict):
    """One page of a listing, with a cursor to the next one."""
    start = int(query.get("cursor") or 0)
    limit = int(query.get("page_limit") or 100)
    pagination = {"refresh_url": f"?cursor={start}"}
    if start + limit < len(items):
        pagination.update(next_cursor=str(start + limit), next_url=f"?cursor={start + limit}")
    return 200, {key: items[start : start + limit], "pagination": pagination}


ROUTES: list[tuple[str, Callable[..., Any]]] = [
    (r"/v1/workspaces(_async)?", _workspaces),
    (r"/v1/workspaces/([^/]+)", _delete_workspace),
    (r"/v2/assistants", _assistants),
    (r"/v2/assistants/([^/]+)", _assistant),
    (r"/v2/assistants/([^/]+)/environments", _environments),
    (r"/v2/assistants/([^/]+)/environments/([^/]+)", _environment),
    (r"/v2/assistants/([^/]+)/releases", _releases),
    (r"/v2/assistants/([^/]+)/releases/([^/]+)", _release),
    (r"/v2/assistants/([^/]+)/releases/([^/]+)/deploy", _deploy),
    (r"/v2/assistants/([^/]+)/releases/([^/]+)/export", _release_export),
    (r"/v2/assistants/([^/]+)/import", _release_import),
]
