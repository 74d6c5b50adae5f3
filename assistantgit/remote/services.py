"""The two ways a skill lives on the service, behind one small interface:

- dialog skills: v1 workspaces. Read with `get_workspace(export=True)`; written with
  `update_workspace(append=False)` carrying every field (see readback.py), or, when the
  body as the SDK sends it is near the 1.5 MB the synchronous call accepts (or the
  service answers 413), `update_workspace_async` and polling the workspace status.
- actions skills: v2 `export_skills` / `import_skills` on an assistant's draft
  environment, both asynchronous. The import body is an export body: we send the
  assistant's current export with only the action skill's content replaced.

Each remote offers: fetch() the raw export (what a backup holds), skill(raw) the
export of the skill the tree holds, body_for(export, raw) the upload, upload(body),
and sent_skill(body) the skill the upload carries (for the read-back check).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..console import out
from ..errors import InputError, RemoteError
from .readback import complete
from .waiting import poll, status_errors

if TYPE_CHECKING:
    from ..formats.base import Format

SYNC_LIMIT = 1536 * 1024  # update_workspace: "The new workspace data cannot be larger than 1.5 MB"
SYNC_BUDGET = int(SYNC_LIMIT * 0.9)  # a margin for what the service may count that we do not
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
        poll(self.client, what, check, self.interval, self.timeout)


class DialogRemote(Remote):
    kind = "dialog"

    @staticmethod
    def skill_format() -> Format:
        """The format of what the v1 API holds: a dialog skill's workspace."""
        from ..formats.watson.dialog import FORMAT

        return FORMAT

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
                raise RemoteError(f"{self.env.name}: the asynchronous export failed: {status_errors(result)}")
            return state not in ("Processing", "unknown"), state

        self.poll("exporting the workspace", check)
        return result

    def skill(self, raw):
        return raw

    def body_for(self, export: dict, raw=None) -> dict:
        """The v1 update body: the workspace's writable fields (an envelope's name/description/language fill in)."""
        workspace: dict = export["workspace"] if isinstance(export.get("workspace"), dict) else export
        if workspace is not export:
            workspace = {**{k: export[k] for k in ("name", "description", "language") if k in export}, **workspace}
        body = {k: workspace[k] for k in V1_FIELDS if workspace.get(k) is not None}  # the SDK drops None anyway
        body = complete(body, self.skill_format())  # a full replace: `counterexamples: []` deletes the last ones
        if not isinstance(body.get("name"), str) or not body["name"]:
            raise InputError(f"{self.env.name}: the skill has no name; set name in skill.yaml (or overrides.name)")
        from ..formats.collection import VOLATILE_FIELDS

        ignored = sorted(set(workspace) - set(V1_FIELDS) - VOLATILE_FIELDS - {"workspace"})
        if ignored:
            out.warning(f"{self.env.name}: not sent (the v1 API has no such workspace field): {', '.join(ignored)}")
        return body

    def sent_skill(self, body: dict) -> dict:
        return body

    def upload(self, body: dict) -> None:
        size = wire_size(body)
        if size <= SYNC_BUDGET:
            try:
                self.client.call(
                    "update the workspace", self.service.update_workspace, self.workspace_id, append=False, **body
                )
                return
            except RemoteError as error:
                if getattr(error, "status", None) != 413:
                    raise
            out.info(f"{self.env.name}: the service refused {size:,} bytes as too large (413): updating asynchronously")
        else:
            out.info(
                f"{self.env.name}: {size:,} bytes as sent (non-ASCII escaped) is near or over the 1.5 MB "
                "synchronous limit: updating asynchronously"
            )
        self.client.call(
            "update the workspace", self.service.update_workspace_async, self.workspace_id, append=False, **body
        )

        def check():
            status = self.client.call("check the update", self.service.get_workspace, self.workspace_id)
            state = status.get("status") or "unknown"
            if state == "Failed":
                raise RemoteError(f"{self.env.name}: the asynchronous update failed: {status_errors(status)}")
            if state == "Non Existent":
                raise RemoteError(f"{self.env.name}: workspace {self.workspace_id} no longer exists")
            return state in ("Available", "Training"), state

        self.poll("updating the workspace", check)


class ActionsRemote(Remote):
    kind = "actions"

    @staticmethod
    def skill_format() -> Format:
        """The format of what the v2 API's skills export holds: an actions skill."""
        from ..formats.watson.actions import FORMAT

        return FORMAT

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
                raise RemoteError(f"{self.env.name}: the skills export failed: {status_errors(result)}")
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

    def body_for(self, export: Any, raw: Any = None) -> Any:
        """The assistant's export with the action skill replaced (import wants an export body): the
        skill keeps its ids and status from the service, all its content comes from the tree."""
        from ..formats.collection import VOLATILE_FIELDS

        body = json.loads(json.dumps(raw))
        for key in ("status", "status_description", "status_errors"):  # of the export request, not content
            body.pop(key, None)
        index = self._action_index(body, self.env.name)
        held = body["assistant_skills"][index]
        kept = {k: v for k, v in held.items() if k in VOLATILE_FIELDS or k == "type"}
        body["assistant_skills"][index] = {**kept, **complete(export, self.skill_format())}
        return body

    def sent_skill(self, body: Any) -> Any:
        return self.skill(body)

    def upload(self, body: Any) -> None:
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
                raise RemoteError(f"{self.env.name}: the skills import failed: {status_errors(status)}")
            return state in ("Completed", "Available"), state

        self.poll("importing the skills", check)


def wire_size(body: dict) -> int:
    """The bytes of the request body as the SDK sends it: `json.dumps` with its defaults,
    non-ASCII escaped (a kana is 6 bytes, twice its UTF-8), None values dropped."""
    return len(json.dumps({k: v for k, v in body.items() if v is not None}))


# The remote of each `kind:` of assistantgit.yaml.
REMOTES: dict[str, type[DialogRemote] | type[ActionsRemote]] = {"dialog": DialogRemote, "actions": ActionsRemote}
