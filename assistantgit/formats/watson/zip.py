"""watsonx Assistant published-version ZIP (Assistant settings → Download/Upload files,
and the "Assistant only" upload): `action-skill.json` and/or `dialog-skill.json`.

Tree layout (see docs/actions.md):
    assistant.yaml    format: watson-assistant-zip, and the member names in archive order
    actions/          the actions skill as a full watson-actions tree (its own skill.yaml)
    dialog/           the dialog skill as a full watson-dialog tree

Each part is a complete tree, so `assistantgit push --dir T/actions --out a.json` also
works. Members are read with `ziparchive.SafeZip` (never extracted) and written back
under the same names, each following the upload rules of a single skill.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ...errors import InputError
from ...exportjson import MAX_UPLOAD_BYTES, parse_json_bytes, upload_bytes
from ...tree import Managed
from ..base import FORMAT_VERSION, Format, JsonFormat
from ..fields import TEXT, ListOf
from ..ziparchive import unsafe_reason
from . import actions as watson_actions
from . import dialog as watson_dialog
from .common import SETTINGS_FILE

NAME = "watson-assistant-zip"
ROOT_FILE = "assistant.yaml"


@dataclass(frozen=True)
class Kind:
    member: str  # the member's file name in the ZIP
    folder: str  # the part of the tree that holds it
    format: JsonFormat
    what: str


KINDS = (
    Kind("action-skill.json", "actions", watson_actions.FORMAT, "an actions skill"),
    Kind("dialog-skill.json", "dialog", watson_dialog.FORMAT, "a dialog skill"),
)
BY_MEMBER = {kind.member: kind for kind in KINDS}
BY_FORMAT = {kind.format.name: kind for kind in KINDS}
EXPECTED = " and/or ".join(kind.member for kind in KINDS)


def _kind_of(name: str) -> Kind | None:
    return BY_MEMBER.get(name.rsplit("/", 1)[-1])


@dataclass
class Member:
    name: str
    kind: Kind
    data: object


@dataclass
class Assistant:
    """A published-version ZIP as data: its skills, in archive order."""

    members: list


def _assemble_part(kind: Kind, part: dict, where: str):
    """Assemble one part; an error naming a file of the part names it from the tree's root."""
    try:
        return kind.format.assemble(part, where)
    except InputError as error:
        if isinstance(error.path, str) and error.path in part:
            raise error.moved(f"{kind.folder}/{error.path}") from None
        raise


class AssistantZipFormat(Format):
    """A tree of parts: each of actions/ and dialog/ is a complete skill tree (PartedFormat),
    validated and diffed as one; push writes the ZIP itself (ExportWriter) and wraps a
    single-skill tree pushed with --out X.zip (WrappingFormat)."""

    name = NAME
    root_file = ROOT_FILE
    description = "watsonx Assistant published-version ZIP (action-skill.json, dialog-skill.json)"
    parts: ClassVar[Mapping[str, Format]] = {kind.folder: kind.format for kind in KINDS}
    field_shapes: ClassVar[Mapping[str, Any]] = {"skill": {"format": TEXT, "members": ListOf(TEXT)}}
    # the parts run the skill rules; the tree's own root holds only the conversation tests (AG9xx)
    rules: ClassVar[tuple[str, ...]] = ("AG9",)

    def managed(self) -> list[Managed]:
        return [Managed(ROOT_FILE, is_folder=False), *(Managed(kind.folder) for kind in KINDS)]

    def detect(self, names: list[str], path: Path | str | None = None) -> bool:
        """A ZIP is ours when it holds a member named like a skill of the published version."""
        return any(_kind_of(name) for name in names)

    def load(self, archive, path) -> Assistant:
        """Check every member's name and declared size, then read and parse each skill."""
        if not archive.names:
            raise InputError(f"{path}: the ZIP holds no skill; expected {EXPECTED}")
        seen: dict = {}
        for name in archive.names:
            kind = _kind_of(name)
            if kind is None:
                raise InputError(f"{path}: member '{name}' is not a skill; a published-version ZIP holds {EXPECTED}")
            if kind.folder in seen:
                raise InputError(f"{path}: members '{seen[kind.folder]}' and '{name}' are both {kind.what}")
            seen[kind.folder] = name
            archive.check_size(name, MAX_UPLOAD_BYTES, "a skill")
        members = []
        for name in archive.names:
            kind = _kind_of(name)
            assert kind is not None  # every member was checked above
            where = f"{path}[{name}]"
            data = parse_json_bytes(archive.read(name, MAX_UPLOAD_BYTES, "a skill"), where)
            if not kind.format.detect(data):
                other = next((k for k in KINDS if k is not kind and k.format.detect(data)), None)
                seems = f" (it holds {other.what}, which belongs in {other.member})" if other else ""
                raise InputError(f"{where}: not {kind.what}{seems}")
            members.append(Member(name, kind, data))
        return Assistant(members)

    def explode(self, export: Assistant, where: str = "export") -> dict:
        root = {"format": NAME, "format_version": FORMAT_VERSION, "members": [m.name for m in export.members]}
        files: dict = {ROOT_FILE: root}
        for member in export.members:
            part = member.kind.format.explode(member.data, f"{where}[{member.name}]")
            files.update({f"{member.kind.folder}/{rel}": content for rel, content in part.items()})
        return files

    def assemble(self, files: dict, where: str = "tree") -> Assistant:
        root = files.get(ROOT_FILE)
        names = root.get("members") if isinstance(root, dict) else None
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise InputError(f"{where}/{ROOT_FILE}: 'members' must list the ZIP's member names ({EXPECTED})")
        members, used = [], set()
        for name in names:
            kind = _kind_of(name)
            if kind is None or kind.folder in used or unsafe_reason(name):
                raise InputError(
                    f"{where}/{ROOT_FILE}: member '{name}' is not expected here; list {EXPECTED}, each once"
                )
            used.add(kind.folder)
            prefix = kind.folder + "/"
            part = {rel[len(prefix) :]: content for rel, content in files.items() if rel.startswith(prefix)}
            settings = part.get(SETTINGS_FILE)
            if not isinstance(settings, dict):
                raise InputError(f"{where}/{kind.folder}/{SETTINGS_FILE}: missing, but {ROOT_FILE} lists '{name}'")
            if settings.get("format") != kind.format.name:
                raise InputError(
                    f"{where}/{kind.folder}/{SETTINGS_FILE}: format is '{settings.get('format')}'; "
                    f"the {kind.folder}/ part holds {kind.what} ({kind.format.name})"
                )
            members.append(Member(name, kind, _assemble_part(kind, part, f"{where}/{kind.folder}")))
        for kind in KINDS:
            if kind.folder not in used and any(rel.startswith(kind.folder + "/") for rel in files):
                raise InputError(
                    f"{where}/{kind.folder}: holds {kind.what} but {ROOT_FILE} does not list '{kind.member}'; "
                    "add it to 'members' or delete the folder"
                )
        return Assistant(members)

    def export_bytes(self, export: Assistant, out) -> bytes:
        """A .zip with every member, or a .json when the tree holds a single skill."""
        if str(out).lower().endswith(".zip"):
            from ..ziparchive import build_zip

            return build_zip([(m.name, upload_bytes(m.data, f"{out}: {m.name}")) for m in export.members])
        if len(export.members) == 1:
            return upload_bytes(export.members[0].data, f"{out}")
        parts = ", ".join(f"{m.kind.folder}/" for m in export.members)
        raise InputError(
            f"{out}: this tree holds {len(export.members)} skills ({parts}); write a .zip, "
            "or push one part with --dir <tree>/<part> --out <file>.json"
        )

    # Single-skill trees pushed with --out X.zip.
    def wraps(self, fmt: Format) -> bool:
        return fmt.name in BY_FORMAT

    def wrap(self, fmt: Format, export, out) -> bytes:
        kind = BY_FORMAT[fmt.name]
        return self.export_bytes(Assistant([Member(kind.member, kind, export)]), out)


FORMAT = AssistantZipFormat()
