"""pull and push as library calls: export file <-> source tree.

The CLI and the remote commands call these; nothing here prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import canonical
from .errors import InputError
from .exportjson import read_export_bytes, upload_bytes
from .formats import registry
from .formats.base import ExportWriter, StreamingFormat
from .formats.registry import tree_format
from .tree import WriteReport, owned_files, read_text, write_file_atomic, write_tree

# Exports read whole into memory (Watson JSON and published ZIPs) are far below this.
MAX_IN_MEMORY = 256 * 1024 * 1024


@dataclass
class Pulled:
    format_name: str
    report: WriteReport
    files: int
    secrets_kept: Path | None = None  # the local store that now holds the values pull took out


@dataclass
class Pushed:
    format_name: str
    size: int
    secrets: int = 0  # placeholders filled: the file holds credentials, so it is the user's only


def load_export(path: Path):
    """Read an export file and find its format: returns (format, export data).

    Formats that stream (Avaamo) never come here; what does is read whole, so an
    oversized file is refused before it is read rather than exhausting memory.
    """
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    if size > MAX_IN_MEMORY:
        raise InputError(
            f"{path}: {size / 1048576:,.0f} MB is too large for a Watson Assistant export; an Avaamo agent "
            "export is recognised by its name, <agent_name>_<agent_id>_<timestamp>.zip, or its members"
        )
    return registry.format_for_export(read_export_bytes(path), path)


def render_files(files: dict) -> dict:
    """Source files as bytes: data as canonical YAML, bytes as they are."""
    return {
        rel: content if isinstance(content, bytes) else canonical.dumps(content).encode("utf-8")
        for rel, content in files.items()
    }


def export_to_tree(fmt, export, root: Path, where, progress=None) -> Pulled:
    from .formats.collection import EXISTING_FILES
    from .secrets import extract_rendered  # credentials become ${ASSISTANTGIT_...} placeholders (issue 6)

    refuse_another_format(Path(root), fmt.name)
    existing = frozenset(owned_files(Path(root), fmt.managed())) if Path(root).is_dir() else frozenset()
    token = EXISTING_FILES.set((Path(root), existing))  # items keep their files (tree.assign_stems)
    values: dict = {}
    try:
        exploded = fmt.explode(export, str(where))
        files = extract_rendered(
            exploded, render_files(exploded), lambda d: canonical.dumps(d).encode("utf-8"), values=values
        )
    finally:
        EXISTING_FILES.reset(token)
    kept = _keep_secrets(Path(root), values)
    report = write_tree(Path(root), files, fmt.managed(), progress=progress)
    return Pulled(fmt.name, report, len(files), kept)


def _keep_secrets(root: Path, values: dict) -> Path | None:
    """Keep what pull took out in the tree's local store, before the tree holds the placeholders."""
    if not values:
        return None
    from .local_secrets import remember

    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # write_tree says why the tree cannot be written
    return remember(root, values)


def pull_file(export_path: Path, root: Path, progress=None, platform_version: str | None = None) -> Pulled:
    """Explode an export file into the source tree at `root`."""
    streaming = registry.streaming_format(Path(export_path))
    if streaming is not None:  # reads the archive itself, member by member (Avaamo: up to 4 GB)
        refuse_another_format(Path(root), streaming.name)
        values: dict = {}
        count, report = streaming.pull_file(
            Path(export_path), Path(root), progress, platform_version=platform_version, secret_values=values
        )
        return Pulled(streaming.name, report, count, _keep_secrets(Path(root), values))
    if platform_version is not None:
        raise InputError("--platform-version applies to Avaamo agent exports only")
    fmt, export = load_export(export_path)
    return export_to_tree(fmt, export, root, export_path, progress)


def refuse_another_format(root: Path, name: str) -> None:
    """A pull replaces the files its own format manages; into a tree of another format it
    would leave the old format's files beside the new ones, a tree that pushes neither."""
    if not root.is_dir():
        return
    try:
        existing = tree_format(root).name
    except InputError:  # no tree yet, or a root file too broken to say: the pull repairs it
        return
    if existing != name:
        raise InputError(
            f"{root}: holds a {existing} tree, and this export is {name}; pulling it there would mix the two: "
            "pull into another folder, or delete the old tree's files first"
        )


def read_tree(root: Path, progress=None):
    """Read every file a tree's format owns: returns (format, {relative path: data or bytes})."""
    root = Path(root)
    fmt = tree_format(root)
    paths = sorted(owned_files(root, fmt.managed()))
    files = {}
    for index, rel in enumerate(paths):
        if progress:
            progress(index + 1, len(paths))
        path = root / rel
        if rel.endswith(".yaml"):
            files[rel] = canonical.loads(read_text(path), str(path))
        else:
            files[rel] = path.read_bytes()
    return fmt, files


def build_export(root: Path, progress=None):
    """Assemble the tree at `root` into export data: returns (format, export)."""
    fmt, files = read_tree(root, progress)
    try:
        return fmt, fmt.assemble(files, str(root))
    except InputError as error:  # formats name a file from the tree's root: name it from here
        if isinstance(error.path, str) and error.path in files:
            key_path = error.key_path
            if key_path and error.line is None and error.path.endswith(".yaml"):  # the format said which key
                line, column = canonical.locate_roundtrip(read_text(Path(root) / error.path), tuple(key_path))
                raise type(error).at(Path(root) / error.path, error.problem, line, column) from None
            raise error.moved(Path(root) / error.path) from None
        raise


def export_bytes(fmt, export, out: Path) -> bytes:
    """The upload file's bytes for `out` (its suffix picks JSON or ZIP where a format offers both)."""
    if isinstance(fmt, ExportWriter):
        return fmt.export_bytes(export, Path(out))
    if str(out).lower().endswith(".zip"):
        return registry.wrap_in_zip(fmt, export, Path(out))
    return upload_bytes(export, f"{out}")


def _refuse_output_inside_tree(root: Path, out: Path, fmt) -> None:
    """`--out skill.yaml` (a slip for --dir) would overwrite the tree with its own upload."""
    try:
        rel = out.resolve().relative_to(root.resolve())
    except ValueError:
        return
    if rel.parts and any(rel.parts[0] == Path(spec.path).parts[0] for spec in fmt.managed()):
        raise InputError(
            f"{out}: is inside the source tree's own files ({root}/{rel.parts[0]}); write the upload file elsewhere"
        )


def push_file(root: Path, out: Path, progress=None, platform_version: str | None = None) -> Pushed:
    """Assemble the tree and write the upload file atomically.

    The file gets the user's usual permissions (the umask's), unless secrets were filled
    into it: then it is readable by its owner only, like the backups."""
    fmt = tree_format(root)
    _refuse_output_inside_tree(Path(root), Path(out), fmt)
    if isinstance(fmt, StreamingFormat):  # writes its archive itself, member by member (Avaamo)
        filled: list = []
        target, size = fmt.push_tree(
            Path(root), Path(out), progress, platform_version=platform_version, filled_secrets=filled
        )
        return Pushed(fmt.name if target == Path(out) else f"{fmt.name}, as {target.name}", size, len(set(filled)))
    if platform_version is not None:
        raise InputError("--platform-version applies to Avaamo agent trees only")
    fmt, export = build_export(root, progress)
    export, secrets = _filled(export, root)
    content = export_bytes(fmt, export, out)
    write_file_atomic(Path(out), content, private=secrets > 0)
    return Pushed(fmt.name, len(content), secrets)


def _filled(export, root: Path):
    """(the export with its placeholders filled, how many distinct ones there were); a ZIP
    tree's export is filled skill by skill."""
    import copy

    from .local_secrets import values_for
    from .secrets import fill, placeholders

    values = values_for(root)
    if not isinstance(getattr(export, "members", None), list):
        return fill(export, root, values), len(placeholders(export))
    names = {name for member in export.members for name in placeholders(member.data)}
    filled = copy.copy(export)
    filled.members = []
    for member in export.members:
        part = copy.copy(member)
        part.data = fill(member.data, root, values)
        filled.members.append(part)
    return filled, len(names)
