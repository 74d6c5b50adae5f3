"""A small Watson Assistant look-alike on 127.0.0.1 for tests: the v1 workspace and v2
skills endpoints assistantgit uses, asynchronous status, an IAM token endpoint, the v1
and v2 log listings with cursor pagination (cursors expire), and planned failures
(429, 500, 400...). The real ibm-watson SDK talks to it over HTTP. The release
lifecycle (releases, environments, deploy, release export/import, creating assistants
and workspaces) lives in testing/watson_lifecycle.py.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import watson_lifecycle

API_KEY = "test-api-key"
SYNC_LIMIT = 1536 * 1024


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def make_token(serial: int) -> str:
    now = int(time.time())
    return (
        f"{_b64({'alg': 'RS256', 'typ': 'JWT'})}.{_b64({'iat': now, 'exp': now + 3600, 'sub': f'test-{serial}'})}.c2ln"
    )


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    body: object


@dataclass
class Fault:
    method: str
    path: str  # regular expression matched against the path
    status: int
    body: dict
    times: int
    headers: dict = field(default_factory=dict)
    after: int = 0  # matching requests let through before the fault starts


class WatsonState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.workspaces: dict[str, dict] = {}
        self.assistants: dict[str, dict] = {}  # id -> {"assistant_skills": [...], "assistant_state": {...}}
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.tokens: set[str] = set()
        self.polls = 2  # "Processing" answers before an async job is done
        self.pending_updates: dict[str, list] = {}  # workspace id -> [polls left, body]
        self.pending_imports: dict[str, list] = {}
        self.pending_exports: dict[str, int] = {}
        self.export_limit = 10**9  # bytes above which export=true answers 413
        self.sync_limit = SYNC_LIMIT  # request bytes above which a synchronous update answers 413
        self.store_hook = None  # callable(workspace id, body) -> body actually stored
        self.logs: dict[str, list] = {}  # workspace id (v1) or assistant id (v2) -> log records
        self.cursors: dict[str, dict] = {}  # token -> the listing it continues
        self.cursors_issued = 0
        self.cursor_ttl = 300.0  # seconds a cursor stays valid, as the service says
        self.expire_pages: set[int] = set()  # page numbers whose cursor is answered "expired" (once each)
        self.lifecycle = watson_lifecycle.LifecycleState()

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        times: int = 1,
        body: dict | None = None,
        headers=None,
        after: int = 0,
    ):
        self.faults.append(
            Fault(
                method,
                path,
                status,
                body or {"error": f"planned {status}", "code": status},
                times,
                headers or {},
                after,
            )
        )

    def api_requests(self, method: str | None = None) -> list[Recorded]:
        return [
            r for r in self.requests if not r.path.startswith("/identity") and (method is None or r.method == method)
        ]


class Handler(BaseHTTPRequestHandler):
    state: WatsonState

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    def _send(self, status: int, body, headers=None) -> None:
        if isinstance(body, watson_lifecycle.Raw):
            raw, content_type = body.content, body.content_type
        else:
            raw, content_type = json.dumps(body).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(raw)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.body_size = len(raw)
        body: Any
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            body = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
        elif self.headers.get("Content-Type", "").startswith("application/octet-stream"):
            body = raw
        else:
            body = json.loads(raw) if raw else None
        state = self.state
        with state.lock:
            state.requests.append(Recorded(method, parts.path, query, body))
            for fault in state.faults:
                if fault.times > 0 and fault.method == method and re.search(fault.path, parts.path):
                    if fault.after > 0:
                        fault.after -= 1
                        continue
                    fault.times -= 1
                    return self._send(fault.status, fault.body, fault.headers)
            try:
                status, answer = self._route(method, parts.path, query, body)
            except Exception as error:  # a bug in the fake shows as a 500 the test will see
                status, answer = 599, {"error": f"test server bug: {error!r}"}
        self._send(status, answer)

    def _route(self, method, path, query, body):
        state = self.state
        if path == "/identity/token" and method == "POST":
            if (body or {}).get("apikey") != API_KEY:
                return 400, {"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."}
            token = make_token(len(state.tokens))
            state.tokens.add(token)
            return 200, {
                "access_token": token,
                "refresh_token": "r",
                "token_type": "Bearer",
                "expires_in": 3600,
                "expiration": int(time.time()) + 3600,
            }
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in state.tokens:
            return 401, {"error": "Unauthorized", "code": 401}
        if not query.get("version"):
            return 400, {"error": "Missing required query parameter 'version'", "code": 400}
        answer = watson_lifecycle.route(self, method, path, query, body)
        if answer is not None:
            return answer
        match = re.fullmatch(r"/v1/workspaces_async/([^/]+)/export", path)
        if match and method == "GET":
            return self._async_export(match.group(1))
        match = re.fullmatch(r"/v1/workspaces/([^/]+)/logs|/v2/assistants/([^/]+)/logs", path)
        if match and method == "GET":
            return self._logs(path, match.group(1) or match.group(2), query)
        match = re.fullmatch(r"/v1/workspaces(_async)?/([^/]+)", path)
        if match:
            return self._workspace(method, bool(match.group(1)), match.group(2), query, body)
        match = re.fullmatch(r"/v2/assistants/([^/]+)/(skills_export|skills_import|skills_import/status)", path)
        if match:
            return self._skills(method, match.group(1), match.group(2), body)
        return 404, {"error": "Resource not found", "code": 404}

    # -- v1 -----------------------------------------------------------------------------------
    def _workspace(self, method, is_async, ident, query, body):
        state = self.state
        if ident not in state.workspaces:
            return 404, {"error": "Resource not found", "code": 404}
        if method == "GET":
            pending = state.pending_updates.get(ident)
            status = "Available"
            if pending:
                pending[0] -= 1
                status = "Processing"
                if pending[0] < 0:
                    self._store(ident, pending[1])
                    del state.pending_updates[ident]
                    status = "Training"
            content = state.workspaces[ident]
            if query.get("export") == "true" and len(json.dumps(content)) > state.export_limit:
                return 413, {
                    "error": "Workspace too large to export synchronously; use the asynchronous export",
                    "code": 413,
                }
            if query.get("export") == "true":
                answer = {**copy.deepcopy(content), "workspace_id": ident, "status": status}
            else:
                answer = {k: content[k] for k in ("name", "language", "description") if k in content}
                answer.update(workspace_id=ident, status=status)
            if query.get("include_audit") == "true":
                answer.update(created="2026-01-01T00:00:00.000Z", updated="2026-01-02T00:00:00.000Z")
            return 200, answer
        if query.get("append") != "false":
            return 400, {"error": "this test server expects append=false", "code": 400}
        errors = _validate(body)
        if errors:
            return 400, {"error": "Invalid Request Body", "errors": errors, "code": 400}
        if is_async:
            state.pending_updates[ident] = [state.polls, body]
            return 202, {"name": body.get("name"), "workspace_id": ident, "status": "Processing"}
        if self.body_size > state.sync_limit:  # the bytes received: the SDK sends non-ASCII as \uXXXX
            return 413, {"error": "Request Entity Too Large: use the asynchronous update", "code": 413}
        self._store(ident, body)
        return 200, {"name": body.get("name"), "workspace_id": ident, "status": "Training"}

    def _async_export(self, ident):
        state = self.state
        if ident not in state.workspaces:
            return 404, {"error": "Resource not found", "code": 404}
        left = state.pending_exports.get(ident, state.polls)
        if left > 0:
            state.pending_exports[ident] = left - 1
            return 200, {"workspace_id": ident, "name": state.workspaces[ident].get("name"), "status": "Processing"}
        state.pending_exports.pop(ident, None)
        return 200, {**copy.deepcopy(state.workspaces[ident]), "workspace_id": ident, "status": "Available"}

    def _store(self, ident, body):
        """Like the service, an update leaves any field it does not receive as it was."""
        hook = self.state.store_hook
        received = copy.deepcopy(hook(ident, body) if hook else body)
        self.state.workspaces[ident] = {**self.state.workspaces.get(ident, {}), **received}

    # -- logs ---------------------------------------------------------------------------------
    def _logs(self, path, ident, query):
        """GET .../logs: a filtered, sorted snapshot served page by page through cursors."""
        state = self.state
        if ident not in state.logs:
            return 404, {"error": "Resource not found", "code": 404}
        token = query.get("cursor")
        if token:
            listing = state.cursors.get(token)
            if listing is None:
                return 400, {"error": f"Invalid cursor '{token}'", "code": 400}
            expired = time.monotonic() - listing["issued"] > state.cursor_ttl
            if listing["page"] in state.expire_pages:
                state.expire_pages.discard(listing["page"])
                expired = True
            if expired:
                del state.cursors[token]
                return 400, {
                    "error": f"The cursor '{token}' has expired. Cursors are valid for 5 minutes.",
                    "code": 400,
                }
            matched, offset, page = listing["matched"], listing["offset"], listing["page"]
        else:
            try:
                keep = _log_filter(query.get("filter") or "")
            except ValueError as error:
                return 400, {"error": f"Invalid filter: {error}", "code": 400}
            matched = [copy.deepcopy(log) for log in state.logs[ident] if keep(log)]
            sort = query.get("sort")
            if sort in ("request_timestamp", "-request_timestamp"):  # stable: ties keep the stored order
                matched.sort(key=lambda log: _when(log["request_timestamp"]), reverse=sort.startswith("-"))
            offset, page = 0, 1
        limit = int(query.get("page_limit") or 100)
        pagination = {}
        if offset + limit < len(matched):
            state.cursors_issued += 1
            token = f"cursor-{state.cursors_issued}"
            state.cursors[token] = {
                "matched": matched,
                "offset": offset + limit,
                "page": page + 1,
                "issued": time.monotonic(),
            }
            pagination = {"next_cursor": token, "next_url": f"{path}?cursor={token}&version={query['version']}"}
        return 200, {"logs": matched[offset : offset + limit], "pagination": pagination}

    # -- v2 -----------------------------------------------------------------------------------
    def _skills(self, method, assistant, what, body):
        state = self.state
        if assistant not in state.assistants:
            return 404, {"error": "Resource not found", "code": 404}
        if what == "skills_export" and method == "GET":
            left = state.pending_exports.get(assistant, state.polls)
            if left > 0:
                state.pending_exports[assistant] = left - 1
                return 200, {"assistant_id": assistant, "status": "Processing"}
            state.pending_exports.pop(assistant, None)
            return 200, copy.deepcopy(state.assistants[assistant])
        if what == "skills_import" and method == "POST":
            if not isinstance(body.get("assistant_skills"), list) or not isinstance(body.get("assistant_state"), dict):
                return 400, {"error": "Invalid Request Body", "errors": [{"message": "assistant_skills is required"}]}
            state.pending_imports[assistant] = [state.polls, body]
            return 202, {"assistant_id": assistant, "status": "Processing"}
        if what == "skills_import/status" and method == "GET":
            pending = state.pending_imports.get(assistant)
            if pending:
                pending[0] -= 1
                if pending[0] >= 0:
                    return 200, {"assistant_id": assistant, "status": "Processing"}
                current = state.assistants[assistant]
                for skill in pending[1]["assistant_skills"]:
                    for index, held in enumerate(current["assistant_skills"]):
                        if held.get("type") == skill.get("type"):
                            current["assistant_skills"][index] = _imported(held, skill)
                current["assistant_state"] = copy.deepcopy(pending[1]["assistant_state"])
                del state.pending_imports[assistant]
            return 200, {"assistant_id": assistant, "status": "Completed"}
        return 404, {"error": "Resource not found", "code": 404}


def _imported(held: dict, skill: dict) -> dict:
    """A skill after an import. Pessimistic stand-in: the workspace keeps any field the
    import does not carry, as a v1 update does (the service's documentation does not say)."""
    skill = copy.deepcopy(skill)
    if isinstance(held.get("workspace"), dict) and isinstance(skill.get("workspace"), dict):
        skill["workspace"] = {**copy.deepcopy(held["workspace"]), **skill["workspace"]}
    return skill


def _when(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _split(text: str, separator: str) -> list:
    """`text` split at `separator` outside [...], (...) and quotes."""
    parts, depth, quoted, current = [], 0, False, ""
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "[(":
            depth += 1
        elif not quoted and char in "])":
            depth -= 1
        if char == separator and depth == 0 and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    return parts + [current]


def _field(log, dotted: str):
    for key in dotted.split("."):
        log = log.get(key) if isinstance(log, dict) else None
    return log


def _log_filter(text: str):
    """The part of the filter query language the tests use: `|` or, `,` and, [...] groups,
    timestamp comparisons (<, <=, >, >=), `::` exact and `:` contains matches."""
    text = text.strip()
    if not text:
        return lambda log: True
    alternatives = _split(text, "|")
    if len(alternatives) > 1:
        tests = [_log_filter(part) for part in alternatives]
        return lambda log: any(test(log) for test in tests)
    terms = _split(text, ",")
    if len(terms) > 1:
        tests = [_log_filter(part) for part in terms]
        return lambda log: all(test(log) for test in tests)
    if text.startswith("[") and text.endswith("]"):
        return _log_filter(text[1:-1])
    match = re.fullmatch(r"(\w+_timestamp)(>=|<=|>|<)(\S+)", text)
    if match:
        name, operator, bound = match.group(1), match.group(2), _when(match.group(3))
        compare = {
            ">=": lambda a: a >= bound,
            "<=": lambda a: a <= bound,
            ">": lambda a: a > bound,
            "<": lambda a: a < bound,
        }[operator]
        return lambda log: compare(_when(log[name]))
    match = re.fullmatch(r"([\w.]+)(::|:)(.+)", text)
    if match:
        name, operator, term = match.group(1), match.group(2), match.group(3).strip('"')
        if operator == "::":
            return lambda log: _field(log, name) == term
        return lambda log: term.lower() in str(_field(log, name) or "").lower()
    raise ValueError(f"the test server does not understand {text!r}")


def _validate(body) -> list:
    errors = []
    if not isinstance(body, dict):
        return [{"message": "the body must be a JSON object", "path": "."}]
    for index, intent in enumerate(body.get("intents") or []):
        if not re.fullmatch(r"[\w.\-]{1,128}", str(intent.get("intent", ""))):
            errors.append(
                {"message": f"Invalid intent name '{intent.get('intent')}'", "path": f".intents[{index}].intent"}
            )
    for index, node in enumerate(body.get("dialog_nodes") or []):
        if not node.get("dialog_node"):
            errors.append({"message": "dialog_node is required", "path": f".dialog_nodes[{index}]"})
    return errors


class WatsonServer:
    def __init__(self, handler: type = Handler) -> None:
        self.state = WatsonState()
        handler = type("BoundHandler", (handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
