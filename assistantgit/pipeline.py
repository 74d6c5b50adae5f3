"""pull and push as library calls: export file <-> source tree.

The CLI and the remote commands call these; nothing here prints or exits.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from . import canonical
from .collector import without_gc
from .errors import InputError
from .exportjson import read_export_bytes, upload_bytes, within_upload_limit
from .formats import fields, registry
from .formats.base import ExportWriter, StreamingFormat
from .formats.registry import tree_format
from .tree import (
    WriteReport,
    display_path,
    owned_files,
    owned_paths,
    read_bytes,
    read_text,
    refuse_overwrite,
    settle,
    tree_lock,
    walk_managed,
    write_file_atomic,
    write_tree,
)

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
    return registry.format_for_export(_export_bytes(path), path)


def _export_bytes(path: Path) -> bytes:
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    if size > MAX_IN_MEMORY:
        raise InputError(
            f"{path}: {size / 1048576:,.0f} MB is too large for a Watson Assistant export; an Avaamo agent "
            "export is recognised by its name, <agent_name>_<agent_id>_<timestamp>.zip, or its members"
        )
    return read_export_bytes(path)


def render_files(files: dict) -> dict:
    """Source files as bytes: data as canonical YAML, bytes as they are."""
    return {
        rel: content if isinstance(content, bytes) else canonical.dumps(content).encode("utf-8")
        for rel, content in files.items()
    }


def _render(data) -> bytes:
    return canonical.dumps(data).encode("utf-8")


def export_to_tree(fmt, export, root: Path, where, progress=None) -> Pulled:
    with without_gc():
        return _export_to_tree(fmt, export, root, where, progress)


def _export_to_tree(fmt, export, root: Path, where, progress=None) -> Pulled:
    def explode() -> tuple[dict, dict]:
        exploded = fmt.explode(export, str(where))
        return render_files(exploded), exploded

    return _write_pulled(fmt, Path(root), explode, progress)


def _write_pulled(fmt, root: Path, explode, progress) -> Pulled:
    """Write the files `explode()` gives, (every file's bytes, the data of at least those
    that may hold a secret), into the tree, secrets taken out (issue 6)."""
    from .formats.collection import EXISTING_FILES
    from .secrets import extract_rendered  # credentials become ${ASSISTANTGIT_...} placeholders (issue 6)

    refuse_another_format(root, fmt.name)
    existing = frozenset(owned_files(root, fmt.managed())) if root.is_dir() else frozenset()
    token = EXISTING_FILES.set((root, existing))  # items keep their files (tree.assign_stems)
    values: dict = {}
    try:
        rendered, data = explode()
        files = extract_rendered(data, rendered, _render, values=values, keys=canonical.keys_written())
    finally:
        EXISTING_FILES.reset(token)
    kept = _keep_secrets(root, values)
    report = write_tree(root, files, fmt.managed(), progress=progress)
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
    with without_gc():
        raw = _export_bytes(export_path)
        streamed = _read_item_by_item(raw, export_path)
        if streamed is not None:  # a Watson JSON export, read item by item (issue 14: 100 MB skills)
            del raw
            return _write_pulled(streamed.format, Path(root), streamed.files, progress)
        fmt, export = registry.format_for_export(raw, export_path)
        del raw
        return export_to_tree(fmt, export, root, export_path, progress)


def _read_item_by_item(raw: bytes, where: Path):
    """The export read by the streaming reader, or None where it declines (then it is read
    whole: the same files, or the refusal with its line and column)."""
    from .formats.watson.stream import Declined, read_export

    if str(where).lower().endswith(".zip"):
        return None
    try:
        return read_export(raw, str(where))
    except Declined:
        return None


@contextmanager
def pull_guard(root: Path, force: bool = False):
    """Hold the tree's lock for a whole pull and check, before anything is fetched or
    written, that the pull may replace the tree's files (issue 10). Yields a note for
    the user when nothing could be checked (no git repository), else None."""
    root = Path(root)
    refuse_nested_tree(root)
    with tree_lock(root) if root.is_dir() else nullcontext():
        if root.is_dir():
            settle(root)
        yield None if force else refuse_uncommitted(root)


def refuse_nested_tree(root: Path) -> None:
    """A pull inside a tree's subfolder (`cd skill/intents && assistantgit pull X`) would
    make a second tree inside the first, which neither push nor validate would read right."""
    from .tree.source import find_root

    above = next((p for p in Path(root).resolve().parents if p.is_dir()), None)
    outer = find_root(above) if above is not None else None
    if outer is not None:
        raise InputError(
            f"{root}: is inside the source tree at {display_path(outer)}; pull into that tree's own folder "
            f"(--dir {display_path(outer)}) or into a folder outside it"
        )


MAX_NAMED = 10


def refuse_uncommitted(root: Path) -> str | None:
    """Refuse when files the pull would replace differ from git's HEAD; a note when no
    git repository holds the tree (nothing to compare with), else None."""
    if not root.is_dir() or next(root.iterdir(), None) is None:
        return None  # a new or empty folder: nothing to lose
    from .git.status import changes  # after that answer: a pull into a new folder starts no git

    fmt = _format_or_none(root)
    if fmt is not None:
        managed = fmt.managed()
    else:  # no tree yet, or one too broken to say: whatever any format would own
        managed = [spec for entry in registry.FORMATS for spec in registry.load(entry).managed()]
    found = changes(root) if root.is_dir() else []
    if found is None:
        if owned_files(root, managed):
            return (
                f"{display_path(root)} is not in a git repository, so the files replaced or deleted were not "
                "checked for uncommitted edits"
            )
        return None
    owned = set(owned_paths([c.path for c in found], managed))
    dirty = [c for c in found if c.path in owned]
    if not dirty:
        return None
    named = ", ".join(f"{display_path(root / c.path)} ({c.what})" for c in dirty[:MAX_NAMED])
    more = f" and {len(dirty) - MAX_NAMED} more" if len(dirty) > MAX_NAMED else ""
    count = f"{len(dirty)} file{'s' * (len(dirty) != 1)}"
    raise InputError(
        f"{display_path(root)}: {count} the pull would replace {'have' if len(dirty) != 1 else 'has'} "
        f"uncommitted changes: {named}{more}; commit or stash them first, or pull with --force to overwrite them"
    )


def _format_or_none(root: Path):
    try:
        return tree_format(root)
    except InputError:
        return None


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


def read_tree(root: Path, progress=None, fitted: dict | None = None, walked: list | None = None):
    """Read every file a tree's format owns: returns (format, {relative path: data or bytes}).

    `fitted`, when given, receives {relative path: the field shape its data was checked against};
    `walked`, the tree's listing as walk_managed gave it: (owned files, other files in its folders)."""
    root = Path(root)
    fmt = tree_format(root)
    with tree_lock(root):  # never a tree half-way through another command's pull (issue 10)
        return fmt, _read_files(root, fmt, progress, {} if fitted is None else fitted, walked)


class _Place(NamedTuple):
    """A file as the parse cache (validate.FactCache) names it."""

    rel: str
    path: str


def _read_files(root: Path, fmt, progress, fitted: dict, walked: list | None = None) -> dict:
    """Every owned file's data (YAML) or bytes. The data of a file unchanged since a push or a
    whole-tree validate parsed its canonical text comes from their shared parse cache (in the
    user's cache folder, keyed as git's index keys files); the others are read and parsed,
    and what they held is kept for the next run.

    The first push of a tree folder on this machine (a CI job's fresh checkout, a tree pulled
    into a new folder) only leaves an empty cache file: keeping 10 MB of data costs about
    0.3 s, worth it only where the same folder is pushed again. That first read parses the
    canonical files in two processes where it helps (tree/fastread.py); every file, read
    there or here, is checked here in path order, so the first error is the same."""
    from .tree.fastread import read_canonical  # (push only: forked's imports cost a pull's start-up 1-2 ms)
    from .validate import ParseCache

    listing = walk_managed(root, fmt.managed())
    if walked is not None:
        walked.extend(listing)
    paths = sorted(listing[0])
    files = {}
    base = os.fspath(root)
    prefix = os.path.join(base, "")  # string paths: a Path object per file cost a 17k-file push 0.2 s
    cache = ParseCache(base)
    cached = cache if os.path.exists(cache.path) else None
    shape_for = fields.shape_finder(fmt)
    done = {} if cached is not None else read_canonical([prefix + rel for rel in paths if rel.endswith(".yaml")])
    for index, rel in enumerate(paths):
        if progress:
            progress(index + 1, len(paths))
        path = prefix + rel
        if rel.endswith(".yaml"):
            if cached is not None:
                data = _read_yaml(cached, _Place(rel, path))
            else:
                data = done.pop(path, _UNDONE)
                if data is _UNDONE:  # not canonical, or not read without a fault: read here, in order
                    data = _parsed(path)
            files[rel] = data
            shape = shape_for(rel)
            if shape is not None:  # a list where a text belongs: refused here
                if not fields.fits(shape, data):
                    fields.check_shape(shape, data, read_text(path), path)
                fitted[rel] = shape
        else:
            files[rel] = read_bytes(path)
    if cached is None:
        cache.dirty = True  # an empty cache file: the next push keeps what it parses
    cache.save(set(paths) if cached is not None else set())
    return files


_UNDONE = object()  # a file read_canonical left to _parsed


def _parsed(path: str):
    """A YAML file's data: canonical text read fast, any other by ruamel.yaml."""
    text = read_text(path)
    try:
        return canonical.fast_loads(text)
    except (canonical.NotCanonical, TypeError):
        return canonical.slow_loads(text, path)


def _read_yaml(cache, place: _Place):
    """A YAML file's data: from the parse cache while the file is unchanged, else parsed
    (and kept in the cache)."""
    from .validate import keep_data, kept_data

    info = None
    try:
        info = os.lstat(place.path)
    except OSError:
        pass
    if info is None or not stat.S_ISREG(info.st_mode):  # read_text refuses it, with its reason
        return _parsed(place.path)
    cache.stamps[place.rel] = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
    kept = kept_data(cache, place)
    if kept is not None:
        return kept[0]
    text = read_text(place.path)  # the stamp was taken first: a change from now on shows in it
    try:
        data = canonical.fast_loads(text)
    except (canonical.NotCanonical, TypeError):
        return canonical.slow_loads(text, place.path)
    keep_data(cache, place, data)  # only data read from canonical text is kept
    return data  # (a change since the stamp shows in the next run's stamp)


def build_export(root: Path, progress=None, convert_when_written: bool = False):
    """Assemble the tree at `root` into export data: returns (format, export).

    A tree the service would refuse (validate's AG1xx-AG3xx rules) stops here, before any
    push writes or sends a byte. With `convert_when_written`, the export is for
    filled_upload only: items keep their source form until it writes them
    (formats.collection.CONVERT_WHEN_WRITTEN).
    """
    from .formats.collection import CONVERT_WHEN_WRITTEN

    token = CONVERT_WHEN_WRITTEN.set(convert_when_written)
    try:
        return _build_export(root, progress)
    finally:
        CONVERT_WHEN_WRITTEN.reset(token)


def _build_export(root: Path, progress=None):
    with without_gc():
        fitted: dict = {}
        walked: list = []
        fmt, files = read_tree(root, progress, fitted, walked)
        if isinstance(fmt, StreamingFormat):  # a tree the project file's `source:` names may be of any format
            raise InputError.at(root, f"a {fmt.name} tree is not assembled in memory; write its export with push --out")
        refuse_what_the_service_refuses(root, files, fitted, tuple(walked))
        return fmt, _assemble(fmt, files, root)


def _assemble(fmt, files: dict, root: Path):
    try:
        return fmt.assemble(files, str(root))
    except InputError as error:  # formats name a file from the tree's root: name it from here
        if isinstance(error.path, str) and error.path in files:
            key_path = error.key_path
            if key_path and error.line is None and error.path.endswith(".yaml"):  # the format said which key
                line, column = canonical.locate_roundtrip(read_text(Path(root) / error.path), tuple(key_path))
                raise type(error).at(Path(root) / error.path, error.problem, line, column) from None
            raise error.moved(Path(root) / error.path) from None
        raise


def refuse_what_the_service_refuses(
    root: Path, files: dict | None = None, fitted: dict | None = None, listing: tuple | None = None
) -> None:
    """Stop at the first place (path:line:col) where the tree breaks a rule that mirrors a
    refusal of the service: wrong types, dangling links, unknown languages, limits (issue 10).
    One line, as every input error; validate lists the others. Advice (AG4xx references,
    AG5xx training data) never stops a push. `listing`: the tree's files as push found them,
    (owned, others), so the rules judge what push read without walking the tree again."""
    from .validate import refusals

    found = refusals(Path(root), files, fitted, listing)
    if not found:
        return
    more = len(found) - 1
    others = (
        f" and {more} more error{'s' * (more != 1)} the service would refuse (assistantgit validate lists them)"
        if more
        else ""
    )
    raise InputError(f"{found[0].text(severity=False)}; push stopped{others}: nothing was written or sent")


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


def push_file(root: Path, out: Path, progress=None, platform_version: str | None = None, force: bool = False) -> Pushed:
    """Assemble the tree and write the upload file atomically.

    An existing output file is replaced only with `force` (it may be the original download).
    The file gets the user's usual permissions (the umask's), unless secrets were filled
    into it: then it is readable by its owner only, like the backups."""
    fmt = tree_format(root)
    _refuse_output_inside_tree(Path(root), Path(out), fmt)
    if isinstance(fmt, StreamingFormat):  # writes its archive itself, member by member (Avaamo)
        filled: list = []
        with tree_lock(root):
            target, size = fmt.push_tree(
                Path(root), Path(out), progress, platform_version=platform_version, filled_secrets=filled, force=force
            )
        return Pushed(fmt.name if target == Path(out) else f"{fmt.name}, as {target.name}", size, len(set(filled)))
    if platform_version is not None:
        raise InputError("--platform-version applies to Avaamo agent trees only")
    refuse_overwrite(Path(out), force)
    fmt, export = build_export(root, progress, convert_when_written=_upload_in_pieces(fmt, out))
    content, secrets = filled_export_bytes(fmt, export, root, out)
    write_file_atomic(Path(out), content, private=secrets > 0, named_by_user=True)
    return Pushed(fmt.name, len(content), secrets)


def filled_export_bytes(fmt, export, root: Path, out: Path) -> tuple[bytes, int]:
    """export_bytes with the secret placeholders filled (the environment, then the tree's
    local store): returns (the bytes, how many distinct placeholders were filled).

    A JSON upload is written piece by piece, emptying `export` as it goes (filled_upload)."""
    if not _upload_in_pieces(fmt, out):
        return _filled_bytes(fmt, export, root, out)
    content, secrets = filled_upload(export, root, f"{out}")
    return within_upload_limit(content, f"{out}"), secrets


def _upload_in_pieces(fmt, out: Path) -> bool:
    """Whether the upload file is JSON that filled_upload writes (not a ZIP, not a format's own)."""
    return not isinstance(fmt, ExportWriter) and not str(out).lower().endswith(".zip")


def filled_upload(export, root: Path, what: str) -> tuple[bytes, int]:
    """The JSON upload of `export` with its placeholders filled, as upload_bytes would write
    the filled export (without the upload page's size limit): returns (the bytes, how many
    distinct placeholders were filled). `export` is emptied as the upload is written, so
    a push holds the data or its upload, not both (build_export's `convert_when_written`
    makes an export for it whose items are converted as they are written): only the pieces that may hold a
    placeholder (secrets.may_hold_placeholders: most trees have none) stay, to be filled
    and written again once every placeholder is known to be set."""
    from .secrets import fill, may_hold_placeholders, placeholders
    from .uploadstream import streamed_upload

    streamed = streamed_upload(export, what, may_hold_placeholders)
    if not streamed.kept:
        return streamed.final(), 0
    from .local_secrets import values_for

    held = [value for _start, _end, value in streamed.kept]
    filled = fill(held, root, values_for(root))  # as fill(export): the pieces in the export's order
    return streamed.final(filled), len(placeholders(held))


def _filled_bytes(fmt, export, root: Path, out: Path) -> tuple[bytes, int]:
    filled, secrets = _filled(export, root)
    return export_bytes(fmt, filled, out), secrets


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
