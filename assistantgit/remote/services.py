"""The two ways a skill lives on the service, behind one small interface:

- dialog skills: v1 workspaces. Read with `get_workspace(export=True)`; written with
  `update_workspace(append=False)` (a full replace), or, above the 1.5 MB the
  synchronous call accepts, `update_workspace_async` and polling the workspace status.
- actions skills: v2 `export_skills` / `import_skills` on an assistant's draft
  environment, both asynchronous. The import body is an export body: we send the
  assistant's current export with only the action skill's content replaced.

Each remote offers: fetch() the raw export (what a backup holds), skill(raw) the
export of the skill the tree holds, body_for(export, raw) the upload, upload(body),
and sent_skill(body) the skill the upload carries (for the read-back check).
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager

from ..console import out
from ..errors import InputError, RemoteError

SYNC_LIMIT = 1536 * 1024  # update_workspace: "The new workspace data cannot be larger than 1.5 MB"
V1_FIELDS = (
    "name",
    "description",
    "language",
    "dialog_nodes",
    "counterexamples",
    "metadata",
    "learning_opt_out",
    "system_settings",
    "webhooks",
    "intents",
    "entities",
)
POLL_TIMEOUT = 30 * 60
TOO_LARGE = {413, 504}  # get_workspace(export=True) gave up: the asynchronous export is the way


class Remote:
    def __init__(self, client, interval: float, timeout: float = POLL_TIMEOUT):
        self.client = client
        self.env = client.env
        self.service = client.service
        self.interval = interval
        self.timeout = timeout

    def poll(self, what: str, check) -> None:
        """Call check() -> (done, state) until done, showing the state; bounded by the timeout."""
        deadline = time.monotonic() + self.timeout
        with _status(f"{self.env.name}: {what}") as show:
            while True:
                done, state = check()
                show(state)
                if done:
                    return
                if time.monotonic() > deadline:
                    raise RemoteError(
                        f"{self.env.name}: {what} still '{state}' after {self.timeout:.0f}s; check the assistant in "
                        "the UI before trying again"
                    )
                self.client.sleep(self.interval)


class DialogRemote(Remote):
    kind = "dialog"

    @property
    def workspace_id(self) -> str:
        return self.env.workspace_id

    def fetch(self) -> dict:
        try:
            return self.client.call(
                "read the workspace", self.service.get_workspace, self.workspace_id, export=True, include_audit=False
            )
        except RemoteError as error:
            if getattr(error, "status", None) not in TOO_LARGE:
                raise
        out.info(f"{self.env.name}: the workspace is too large to read at once: exporting it asynchronously")
        result = {}

        def check():
            nonlocal result
            result = self.client.call(
                "export the workspace", self.service.export_workspace_async, self.workspace_id, include_audit=False
            )
            state = result.get("status") or "unknown"
            if state == "Failed":
                raise RemoteError(f"{self.env.name}: the asynchronous export failed: {_status_errors(result)}")
            return state not in ("Processing", "unknown"), state

        self.poll("exporting the workspace", check)
        return result

    def skill(self, raw):
        return raw

    def body_for(self, export: dict, raw=None) -> dict:
        """The v1 update body: the workspace's writable fields (an envelope's name/description/language fill in)."""
        workspace = export.get("workspace") if isinstance(export.get("workspace"), dict) else export
        if workspace is not export:
            workspace = {**{k: export[k] for k in ("name", "description", "language") if k in export}, **workspace}
        body = {k: workspace[k] for k in V1_FIELDS if workspace.get(k) is not None}  # the SDK drops None anyway
        if not isinstance(body.get("name"), str) or not body["name"]:
            raise InputError(f"{self.env.name}: the skill has no name; set name in skill.yaml (or overrides.name)")
        from ..formats.base import VOLATILE_FIELDS

        ignored = sorted(set(workspace) - set(V1_FIELDS) - VOLATILE_FIELDS - {"workspace"})
        if ignored:
            out.warning(f"{self.env.name}: not sent (the v1 API has no such workspace field): {', '.join(ignored)}")
        return body

    def sent_skill(self, body: dict) -> dict:
        return body

    def readback(self, raw: dict, body: dict) -> dict:
        """The read-back restricted to what was sent (the service adds status, ids, defaults)."""
        return {k: raw[k] for k in body if k in raw}

    def upload(self, body: dict) -> None:
        size = len(json.dumps(body, ensure_ascii=False).encode("utf-8"))
        if size <= SYNC_LIMIT:
            self.client.call(
                "update the workspace", self.service.update_workspace, self.workspace_id, append=False, **body
            )
            return
        out.info(
            f"{self.env.name}: {size / 1048576:.1f} MB is over the 1.5 MB synchronous limit: updating asynchronously"
        )
        self.client.call(
            "update the workspace", self.service.update_workspace_async, self.workspace_id, append=False, **body
        )

        def check():
            status = self.client.call("check the update", self.service.get_workspace, self.workspace_id)
            state = status.get("status") or "unknown"
            if state == "Failed":
                raise RemoteError(f"{self.env.name}: the asynchronous update failed: {_status_errors(status)}")
            if state == "Non Existent":
                raise RemoteError(f"{self.env.name}: workspace {self.workspace_id} no longer exists")
            return state in ("Available", "Training"), state

        self.poll("updating the workspace", check)


class ActionsRemote(Remote):
    kind = "actions"

    @property
    def assistant_id(self) -> str:
        return self.env.assistant_id

    def fetch(self) -> dict:
        result = {}

        def check():
            nonlocal result
            result = self.client.call(
                "export the skills", self.service.export_skills, self.assistant_id, include_audit=False
            )
            state = result.get("status") or ("Available" if "assistant_skills" in result else "unknown")
            if state == "Failed":
                raise RemoteError(f"{self.env.name}: the skills export failed: {_status_errors(result)}")
            return "assistant_skills" in result, state

        self.poll("exporting the skills", check)
        return result

    @staticmethod
    def _action_index(raw: dict, where: str) -> int:
        skills = raw.get("assistant_skills")
        for index, skill in enumerate(skills if isinstance(skills, list) else []):
            if isinstance(skill, dict) and skill.get("type") == "action":
                return index
        raise RemoteError(f"{where}: the assistant has no action skill")

    def skill(self, raw: dict) -> dict:
        return raw["assistant_skills"][self._action_index(raw, self.env.name)]

    def body_for(self, export: dict, raw: dict) -> dict:
        """The assistant's export with the action skill's content replaced (import wants an export body)."""
        body = json.loads(json.dumps(raw))
        for key in ("status", "status_description", "status_errors"):  # of the export request, not content
            body.pop(key, None)
        index = self._action_index(body, self.env.name)
        body["assistant_skills"][index] = {**body["assistant_skills"][index], **export}
        return body

    def sent_skill(self, body: dict) -> dict:
        return self.skill(body)

    def readback(self, raw: dict, body: dict) -> dict:
        return self.skill(raw)

    def upload(self, body: dict) -> None:
        skills = body.get("assistant_skills")
        if not isinstance(skills, list) or not isinstance(body.get("assistant_state"), dict):
            raise InputError(f"{self.env.name}: not a skills export (needs assistant_skills and assistant_state)")
        self.client.call(
            "import the skills",
            self.service.import_skills,
            self.assistant_id,
            assistant_skills=skills,
            assistant_state=body["assistant_state"],
        )

        def check():
            status = self.client.call("check the import", self.service.import_skills_status, self.assistant_id)
            state = status.get("status") or "unknown"
            if state == "Failed":
                raise RemoteError(f"{self.env.name}: the skills import failed: {_status_errors(status)}")
            return state in ("Completed", "Available"), state

        self.poll("importing the skills", check)


def _status_errors(status: dict) -> str:
    parts = [str(status.get("status_description") or "")]
    for error in status.get("status_errors") or []:
        parts.append(str(error.get("message") if isinstance(error, dict) else error))
    return "; ".join(p for p in parts if p) or "no details given"


@contextmanager
def _status(description: str):
    """A spinner with the current state on a terminal; state changes as lines otherwise."""
    import sys

    if out.quiet or not sys.stderr.isatty():
        last = [None]

        def show(state):
            if state != last[0]:
                out.info(f"{description}: {state}")
                last[0] = state

        yield show
        return
    with out.console(stderr=True).status(description) as spinner:
        yield lambda state: spinner.update(f"{description}: {state}")
