"""The published-version ZIP over the API (issue 15), the path of Assistant settings'
"Download/Upload files":

- pull: `create_release_export`, poll `download_release_export` until the ZIP is
  available, download it, and write the same tree as pulling the downloaded file;
- push of a ZIP tree: `create_release_import` with the ZIP `push --out X.zip` writes,
  poll `get_release_import_status` until `Completed`, then read the draft back
  (skills export) and compare each skill of the tree with the draft's skill of its type.

The release import overrides only the skills the ZIP holds; the draft's other skill
and the releases deployed to live stay as they are.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from pathlib import Path

from ..console import out
from ..errors import InputError, RemoteError
from .services import ActionsRemote
from .waiting import poll, status_errors

SKILL_TYPES = {"actions": "action", "dialog": "dialog"}  # tree part -> the skill's `type` in a skills export


# -- pull ------------------------------------------------------------------------------------------
def pull_release(project, env, root: Path, release: str | None, environment: str | None, progress=None):
    """Pull a published version into `root`: returns (pipeline.Pulled, release number)."""
    from ..formats import registry
    from ..pipeline import export_to_tree
    from .releases import LATEST, Assistant

    assistant = Assistant(project, env)
    if environment is not None:
        target = assistant.environment(environment)
        number = assistant.running(target)
        if number is None:
            raise RemoteError(
                f"{env.name}: {target.get('name')} runs no release; pull the draft with "
                f"assistantgit pull --env {env.name}"
            )
    elif release == LATEST:
        number = assistant.resolve(LATEST, {})
    else:
        number = assistant.resolve(str(release), {})
    data = export_release(assistant, number)
    where = f"release {number} of {env.name}"
    fmt, export = registry.format_for_zip(where, data)
    return export_to_tree(fmt, export, root, where, progress), number


def export_release(assistant, number: str) -> bytes:
    """The release's ZIP, through the release export (created, polled, downloaded)."""
    client, service, ident = assistant.client, assistant.service, assistant.assistant_id
    client.call(f"export release {number}", service.create_release_export, ident, number)
    content = b""

    def check():
        nonlocal content
        answer = client.call(
            f"check the export of release {number}",
            service.download_release_export,
            ident,
            number,
            accept="application/json",
        )
        if not isinstance(answer, dict):  # the ZIP itself: the service skipped the status
            content = answer.content
            return True, "Available"
        state = answer.get("status") or "unknown"
        if state == "Failed":
            raise RemoteError(f"{assistant.env.name}: exporting release {number} failed: {status_errors(answer)}")
        return state == "Available", state

    poll(client, f"exporting release {number}", check, assistant.interval, assistant.timeout)
    if not content:
        answer = client.call(
            f"download release {number}",
            service.download_release_export,
            ident,
            number,
            accept="application/octet-stream",
        )
        if isinstance(answer, dict):
            raise RemoteError(f"{assistant.env.name}: release {number}: the service sent no ZIP ({answer})")
        content = answer.content
    return content


# -- push ------------------------------------------------------------------------------------------
@dataclass
class ZipUpload:
    data: bytes  # the ZIP, as `push --out X.zip` writes it
    assistant: object  # formats.watson_zip.Assistant: what it holds, for the read-back


class ZipRemote(ActionsRemote):
    """An assistant's draft seen as a published-version ZIP tree with the members `names`."""

    def __init__(self, client, interval: float, timeout: float, names: list[str]):
        super().__init__(client, interval, timeout)
        self.names = names

    def skill(self, raw: dict):
        """The draft's skills as the ZIP tree's content: for each member, the skill of its type."""
        from ..formats.watson.zip import BY_MEMBER, Assistant, Member

        members = []
        for name in self.names:
            kind = BY_MEMBER[name.rsplit("/", 1)[-1]]
            found = [s for s in raw.get("assistant_skills") or [] if s.get("type") == SKILL_TYPES[kind.folder]]
            if not found:
                raise RemoteError(f"{self.env.name}: the assistant has no {SKILL_TYPES[kind.folder]} skill")
            members.append(Member(name, kind, copy.deepcopy(found[0])))
        return Assistant(members)

    def body_for(self, export, raw=None) -> ZipUpload:
        from ..formats.watson.zip import FORMAT

        return ZipUpload(FORMAT.export_bytes(export, Path("upload.zip")), export)

    def sent_skill(self, body: ZipUpload):
        return body.assistant

    def upload(self, body: ZipUpload) -> None:
        answer = self.client.call(
            "import the ZIP", self.service.create_release_import, self.assistant_id, io.BytesIO(body.data)
        )
        impact = ", ".join(answer.get("skill_impact_in_draft") or []) if isinstance(answer, dict) else ""
        if impact:
            out.info(f"{self.env.name}: the release import replaces the draft's {impact} skill")

        def check():
            status = self.client.call(
                "check the release import", self.service.get_release_import_status, self.assistant_id
            )
            state = status.get("status") or "unknown"
            if state == "Failed":
                raise RemoteError(f"{self.env.name}: the release import failed: {status_errors(status)}")
            return state == "Completed", state

        self.poll("importing the ZIP", check)


def prepare(export, env, root: Path, tolerate_unset: bool, also: Path | None = None):
    """A ZIP tree's content for `env`: secrets filled in each skill, overrides applied."""
    from .. import secrets
    from ..formats.watson.zip import Assistant, Member
    from ..local_secrets import values_for

    values = values_for(root, also=also)
    members = []
    for member in export.members:
        data = member.data
        try:
            data = secrets.fill(data, f"{root}/{member.kind.folder}", values)
        except InputError:
            if not tolerate_unset:
                raise
            out.warning(f"{root}: some secret placeholders are unset; they are compared as placeholders")
        members.append(Member(member.name, member.kind, data))
    return Assistant(_overridden(members, env))


def _overridden(members: list, env) -> list:
    """The environment's overrides: name and description on the first skill (the actions one when
    there is one); a webhook or context override on every skill that has it, and on one at least."""
    from ..formats.watson.zip import Member
    from ..project import overrides as overriding

    where = f"assistantgit.yaml: environment '{env.name}' overrides"
    result = [Member(m.name, m.kind, m.data) for m in members]
    wanted = env.overrides or {}
    first = {k: wanted[k] for k in ("name", "description") if k in wanted}
    if first and result:
        result[0].data = overriding.apply(result[0].data, first, where)
    for key in ("webhooks", "context"):
        for name, value in (wanted.get(key) or {}).items():
            matched = 0
            for member in result:
                try:
                    member.data = overriding.apply(member.data, {key: {name: value}}, where)
                    matched += 1
                except InputError:
                    continue
            if not matched:
                raise InputError(f"{where}: overrides.{key}: no skill of the ZIP tree has '{name}'")
    return result
