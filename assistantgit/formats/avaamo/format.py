"""Avaamo agent exports: `<agent_name>_<agent_id>_<timestamp>.zip` from "Backup & Export".

The layout inside the ZIP is not publicly documented, so this format is lossless for
whatever the archive holds and more readable where it recognises structure (issue 7):

    agent.yaml          format, agent name/id/export time (from the file name), platform
                        version, and every member in archive order: its name, kind
                        (json, binary, folder), compression, and the tree file holding it
    files/...           one entry per member, at the member's own path: JSON members as
                        canonical YAML (`x.json` -> `x.yaml`), split where an array of
                        objects has unique ids (see tree.py); other members byte for byte

Exports reach 4 GB, so this format reads and writes the archive itself, streaming
every binary member (`pull_file`, `push_tree`), instead of going through the
in-memory export of the JSON formats. See docs/avaamo.md.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, ClassVar

from ... import canonical
from ...errors import InputError, LimitError
from ...exportjson import loads_checked
from ...tree import MAX_SOURCE_BYTES, Managed, atomic_output, owned_files, read_text, refuse_overwrite, write_tree
from ..base import FORMAT_VERSION, Format, Progress
from . import tree as avaamo_tree
from . import zip as avaamo_zip
from .meta import (
    FILES,
    NAME,
    ROOT_FILE,
    ROOT_SHAPE,
    checked_members,
    date_time,
    load_manifest,
    output_path,
    parse_file_name,
)

_HINT = re.compile(r"avaamo|(^|/)agent[^/]*\.json$", re.IGNORECASE)
_VERSION_KEYS = {"platformversion", "avaamoplatformversion"}


def _strict_json(raw: bytes):
    """The member's data, or None when it is not plain JSON we can hold losslessly (a
    duplicate key, NaN, a nesting or a number beyond limits.py: see exportjson)."""
    try:
        data = loads_checked(raw.decode("utf-8-sig"), "member")
    except (ValueError, InputError):
        return None
    return data if isinstance(data, (dict, list)) else None


def _json_text(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=True)


def _explode_checked(data, file_path: str, paths) -> dict | None:
    """{tree path: data} for a JSON member, checked to read back from YAML to the same data."""
    try:
        parts = avaamo_tree.explode(data, file_path, paths)
        texts = {rel: canonical.dumps(value) for rel, value in parts.items()}
        if any(len(text) > MAX_SOURCE_BYTES // 2 for text in texts.values()):
            return None  # a file the tree's reader would refuse (tree/files.py): kept as the member's bytes
        loaded = {rel: canonical.loads(text, rel) for rel, text in texts.items()}
        joiner = avaamo_tree.Joiner(loaded.__getitem__, lambda folder: [])
        if _json_text(joiner.join(file_path)) != _json_text(data):
            return None
    except (RecursionError, TypeError, InputError):
        return None
    return parts


def _refuse_clear_secrets(archive, info) -> None:
    """A JSON member kept byte for byte (it does not parse as plain JSON: a duplicate key, NaN,
    or it is too large to rewrite) would carry its credentials into the tree in clear text;
    when it may hold one, pull stops and names it (issue 11)."""
    from ...secrets import credential_pair

    key = avaamo_zip.scan_member(archive, info, credential_pair)
    if key is not None:
        raise InputError(
            f"{archive.path}: member '{info.filename}' holds a credential ('{key}') and cannot be rewritten with "
            "a ${ASSISTANTGIT_...} placeholder (it is not plain JSON: a duplicate key, NaN, or over "
            f"{avaamo_zip.JSON_LIMIT // 1048576} MB); pull writes no secret in clear text: fix the member in "
            "Avaamo (or remove the credential) and export again"
        )


def platform_version_of(data) -> str | None:
    if isinstance(data, dict):
        for key, value in data.items():
            if re.sub(r"[^a-z]", "", str(key).lower()) in _VERSION_KEYS and isinstance(value, (str, int, float)):
                return str(value)
    return None


class AvaamoFormat(Format):
    """Streams its archive itself (StreamingFormat) and checks its own tree's structure
    (CheckedFormat): validate runs no other rule, as Avaamo's own JSON is undocumented."""

    name = NAME
    root_file = ROOT_FILE
    description = "Avaamo agent export (<agent_name>_<agent_id>_<timestamp>.zip)"
    rules: ClassVar[tuple[str, ...]] = ("AG801",)
    field_shapes: ClassVar[dict[str, Any]] = {"skill": ROOT_SHAPE}
    unchecked = (
        "Avaamo tree: checked that every file parses and that push can rebuild the ZIP (AG801); "
        "names, training data and references inside Avaamo's JSON are not checked (its layout is undocumented)"
    )

    def managed(self) -> list[Managed]:
        return [Managed(ROOT_FILE, is_folder=False), Managed(FILES, suffix=None)]

    def detect(self, names: list[str], path: Path | str | None = None) -> bool:
        """Avaamo's file name pattern, or a JSON member that names the agent or Avaamo."""
        if path is not None and parse_file_name(Path(path).name):
            return True
        return any(_HINT.search(name) for name in names if name.lower().endswith(".json"))

    def check_tree(self, root: Path) -> list[InputError]:
        """What keeps the tree at `root` from becoming an export: [] when push would work.

        Checks the structure this tool knows (agent.yaml, files, references); the meaning of
        Avaamo's own JSON is undocumented and not checked.
        """
        try:
            root = Path(root)
            self.collect(root, load_manifest(root), fill_secrets=False)
        except InputError as error:
            return [error]
        return []

    def assemble(self, files: dict[str, Any], where: str = "tree") -> Any:
        """Not in memory: push rebuilds the archive from the tree's files, streaming (push_tree)."""
        raise InputError(f"{where}: an Avaamo agent is rebuilt from its files by push, member by member")

    def load(self, archive, path):
        """The export for an in-memory explode (semantic diff): opened again from its file."""
        if not Path(str(path)).is_file():
            raise InputError(f"{path}: an Avaamo export is read from its file; save it and give its path")
        return avaamo_zip.open_archive(Path(str(path)))

    def explode(self, export, where: str = "export") -> dict:
        """The tree's files in memory ({path: data or bytes}), as pull would write them before secrets."""
        try:
            files, _meta = self._tree_files(export, None, None, stream=False)
        finally:
            export.close()
        return files

    # -- pull -----------------------------------------------------------------------------
    def pull_file(
        self,
        path: Path,
        root: Path,
        progress=None,
        platform_version: str | None = None,
        secret_values: dict | None = None,
    ):
        """Check the archive, then write the tree (binary members streamed): returns (files, report).
        `secret_values` receives what each placeholder stands for (pull keeps them locally)."""
        path, root = Path(path), Path(root)
        from ...secrets import extract  # credentials become ${ASSISTANTGIT_...} placeholders (issue 6)

        archive = avaamo_zip.open_archive(path)
        try:
            files, _meta = self._tree_files(archive, root, platform_version)
            data = extract(
                {rel: value for rel, value in files.items() if isinstance(value, (dict, list))}, secret_values
            )
            files.update((rel, canonical.dumps(value).encode("utf-8")) for rel, value in data.items())
            existed = root.exists()
            try:
                report = write_tree(root, files, self.managed(), progress=progress)
            except BaseException:
                if not existed and root.is_dir() and not any(root.iterdir()):
                    root.rmdir()
                raise
        finally:
            archive.close()
        return len(files), report

    def _tree_files(self, archive, root: Path | None, platform_version: str | None, stream: bool = True):
        """{tree path: data, bytes or a streamed member}, and agent.yaml's data."""
        paths = avaamo_tree.TreePaths()
        parsed, found_version, version_from = {}, None, None
        for info in archive.members:
            if info.is_dir() or not info.filename.lower().endswith(".json") or info.file_size > avaamo_zip.JSON_LIMIT:
                continue
            data = _strict_json(avaamo_zip.read_member(archive, info))
            if data is not None:
                parsed[info.filename] = data
                if found_version is None and (found_version := platform_version_of(data)) is not None:
                    version_from = info.filename
        # Binary members first, so they keep their own paths whatever JSON sits next to them.
        where = {}
        for info in sorted(archive.members, key=lambda i: i.filename):
            if not info.is_dir() and info.filename not in parsed:
                where[info.filename] = avaamo_tree.member_path(paths, FILES, info.filename)
        json_paths = {name: avaamo_tree.member_path(paths, FILES, name, ".yaml") for name in sorted(parsed)}
        files: dict = {}
        for name in sorted(parsed):
            parts = _explode_checked(parsed[name], json_paths[name], paths)
            if parts is None:  # kept byte for byte rather than risk a lossy round trip
                where[name] = avaamo_tree.member_path(paths, FILES, name)
                del parsed[name]
                continue
            files.update(parts)
            where[name] = json_paths[name]
        for info in archive.members:  # JSON kept byte for byte cannot get placeholders: it must hold no secret
            if not info.is_dir() and info.filename.lower().endswith(".json") and info.filename not in parsed:
                _refuse_clear_secrets(archive, info)
        members = []
        for info in archive.members:
            name = info.filename
            entry = {"name": name, "kind": "folder" if info.is_dir() else "json" if name in parsed else "binary"}
            if not info.is_dir():
                entry["file"] = where[name]
                if name not in parsed:
                    files[where[name]] = (
                        avaamo_zip.MemberSource(archive, info) if stream else avaamo_zip.read_member(archive, info)
                    )
            entry["compression"] = avaamo_zip.COMPRESSION_NAMES[info.compress_type]
            members.append(entry)
        version, version_from = self._version(archive.path, root, found_version, version_from, platform_version)
        meta = {
            "format": NAME,
            "format_version": FORMAT_VERSION,
            **(
                parse_file_name(archive.path.name)
                or {"name": None, "agent_id": None, "timestamp": None, "exported_at": None}
            ),
        }
        meta.update(platform_version=version, platform_version_from=version_from, members=members)
        comment = archive.zip.comment
        if comment:
            meta["archive_comment"] = comment.decode("utf-8", "replace")
        files[ROOT_FILE] = meta
        return files, meta

    @staticmethod
    def _version(path, root, found, found_in, given):
        if found is not None:
            if given is not None and given != found:
                raise InputError(
                    f"{path}: the export says platform version {found} (in {found_in}), not {given}; "
                    "drop --platform-version or check the export"
                )
            return found, found_in
        if given is not None:
            return given, "--platform-version"
        previous = _previous_manifest(root) if root is not None else None
        if previous and previous.get("platform_version_from") == "--platform-version":
            return previous.get("platform_version"), "--platform-version"
        return None, None

    # -- push -----------------------------------------------------------------------------
    def push_tree(
        self,
        root: Path,
        out: Path,
        progress: Progress = None,
        platform_version: str | None = None,
        filled_secrets: list | None = None,
        force: bool = False,
    ) -> tuple[Path, int]:
        """Rebuild the ZIP from the tree, streaming binary members: returns (output path, bytes).

        A file already at the output path (often the original download) is replaced only with `force`.
        The ZIP gets the user's usual permissions, or is the user's only when secrets were
        filled into it (their names are added to `filled_secrets`).
        """
        import zipfile

        root = Path(root)
        meta = load_manifest(root)
        recorded = meta.get("platform_version")
        if platform_version is not None and recorded is not None and str(recorded) != platform_version:
            raise InputError(
                f"{root / ROOT_FILE}: this agent was exported from platform version {recorded}, not "
                f"{platform_version}; Avaamo only imports an export into an agent on the same platform version"
            )
        target = output_path(meta, Path(out), root)
        refuse_overwrite(target, force)
        filled = [] if filled_secrets is None else filled_secrets
        members, contents, total = self.collect(root, meta, filled=filled)
        if total > avaamo_zip.MAX_TOTAL:
            raise LimitError(f"{target}: the agent would be {total / 1024**3:.1f} GB; Avaamo imports at most 4 GB")
        stamp = date_time(meta.get("exported_at"))
        # --out is the user's (a link there is followed); the file name from agent.yaml was checked
        # to be a plain name inside it (meta.output_path)
        with (
            atomic_output(target, private=bool(filled), named_by_user=True) as handle,
            zipfile.ZipFile(handle, "w", allowZip64=True) as archive,
        ):
            if meta.get("archive_comment"):
                archive.comment = str(meta["archive_comment"]).encode("utf-8")
            for index, (entry, content) in enumerate(zip(members, contents)):
                if progress:
                    progress(index + 1, len(members))
                size = os.lstat(content).st_size if isinstance(content, Path) else len(content or b"")
                info = avaamo_zip.zip_info(entry["name"], entry.get("compression", "deflated"), stamp, size)
                if isinstance(content, Path):
                    avaamo_zip.write_member(archive, info, source_path=content)
                else:
                    avaamo_zip.write_member(archive, info, data=content or b"")
        return target, target.stat().st_size

    def collect(self, root: Path, meta: dict, fill_secrets: bool = True, filled: list | None = None):
        """Every member's content, checked: (members, [JSON bytes | file Path | None], total bytes).

        Raises InputError for a missing, stray or doubly used file and a broken reference.
        """
        from ...local_secrets import values_for
        from ...secrets import fill, placeholders

        values = values_for(root) if fill_secrets else None

        members = checked_members(meta, root)
        owned = owned_files(root, self.managed()) - {ROOT_FILE}  # a link or a FIFO in files/ stops here
        listing: dict[str, list[str]] = {}
        for rel in owned:
            folder, _, name = rel.rpartition("/")
            if name.endswith(".yaml"):
                listing.setdefault(folder, []).append(name)

        def load(rel: str):
            if rel not in owned:  # only files the walk saw: never one behind a link or in a hidden folder
                raise InputError.at(root / rel, f"missing (a reference or {ROOT_FILE} names it)")
            return canonical.loads(read_text(root / rel), str(root / rel))

        joiner = avaamo_tree.Joiner(load, lambda folder: sorted(listing.get(folder, [])))
        contents: list[bytes | Path | None] = []
        total = 0
        for entry in members:
            if entry["kind"] == "folder":
                contents.append(None)
                continue
            rel = entry["file"]
            if entry["kind"] == "json":
                data = joiner.join(rel)
                if fill_secrets:
                    if filled is not None:
                        filled.extend(placeholders(data))
                    data = fill(data, root / rel, values)
                text = json.dumps(data, ensure_ascii=False)
                try:
                    blob = text.encode("utf-8")
                except UnicodeEncodeError:  # a lone surrogate: only \u escapes carry it
                    blob = json.dumps(data).encode("ascii")
                contents.append(blob)
                total += len(blob)
                continue
            if rel not in owned:
                raise InputError.at(root / rel, f"missing, but {ROOT_FILE} lists member '{entry['name']}' there")
            if rel in joiner.used:
                raise InputError.at(root / ROOT_FILE, f"member '{entry['name']}' shares its file {rel} with another")
            joiner.used[rel] = ROOT_FILE
            contents.append(root / rel)
            total += os.lstat(root / rel).st_size
        stray = sorted(owned - joiner.used.keys())
        if stray:
            raise InputError.at(
                root / stray[0],
                f"not part of the agent ({ROOT_FILE} lists no member there and no file refers to it)"
                + (f", {len(stray) - 1} more such files" if len(stray) > 1 else "")
                + "; delete it or list it as a member",
            )
        return members, contents, total


def _previous_manifest(root: Path) -> dict | None:
    try:
        return load_manifest(root)
    except InputError:
        return None


FORMAT = AvaamoFormat()
