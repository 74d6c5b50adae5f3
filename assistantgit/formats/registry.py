"""The formats assistantgit knows, and how an export or a tree finds its format.

One line per format in FORMATS: the name and root file a tree of it has (known
without importing the format, so finding a tree costs nothing), which exports it is
asked about, and the module that holds it as `FORMAT`, imported the first time the
format is needed: a JSON pull never imports the ZIP or Avaamo code.

Detection lives in each format (`detect`); this module only asks them in order.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from .. import canonical
from ..errors import InputError
from ..tree import read_text, settle
from .base import FORMAT_VERSION, Format, JsonFormat, StreamingFormat, WrappingFormat, ZipFormat
from .ziparchive import ZIP_MAGIC


@dataclass(frozen=True)
class Registered:
    name: str  # the format's name, as its trees' root file says it
    root_file: str  # the file that marks its trees
    export: Literal["json", "zip"]  # the exports it is asked about, in FORMATS order
    module: str  # the module whose FORMAT it is


FORMATS: list[Registered] = [
    Registered("watson-dialog", "skill.yaml", "json", "assistantgit.formats.watson.dialog"),
    Registered("watson-actions", "skill.yaml", "json", "assistantgit.formats.watson.actions"),
    Registered("watson-assistant-zip", "assistant.yaml", "zip", "assistantgit.formats.watson.zip"),
    Registered("avaamo-agent", "agent.yaml", "zip", "assistantgit.formats.avaamo.format"),
]


def register(entry: Registered) -> None:
    """Add a format after the built-in ones (a plug-in, or a test's toy format)."""
    if any(known.name == entry.name for known in FORMATS):
        raise ValueError(f"format {entry.name} is registered twice")
    FORMATS.append(entry)


def unregister(name: str) -> None:
    FORMATS[:] = [entry for entry in FORMATS if entry.name != name]


def load(entry: Registered) -> Format:
    """The format of a registry line (its module is imported once, by Python's import cache)."""
    fmt = cast(Format, importlib.import_module(entry.module).FORMAT)
    if fmt.name != entry.name or fmt.root_file != entry.root_file:
        raise ValueError(f"{entry.module}: FORMAT is {fmt.name} ({fmt.root_file}); the registry says {entry}")
    return fmt


def json_formats() -> list[JsonFormat]:
    return [cast(JsonFormat, load(entry)) for entry in FORMATS if entry.export == "json"]


def zip_formats() -> list[ZipFormat]:
    return [cast(ZipFormat, load(entry)) for entry in FORMATS if entry.export == "zip"]


def root_files() -> list[str]:
    """The names of the files that mark a tree, sorted."""
    return sorted({entry.root_file for entry in FORMATS})


def find(name: object) -> Format | None:
    """The format of that name, or None."""
    entry = next((entry for entry in FORMATS if entry.name == name), None)
    return load(entry) if entry is not None else None


def format_of(doc: dict[str, Any], text: str, where: str) -> Format:
    """The format a root file names in `format:`; anything but a text there (a list, a
    mapping: the file comes from a pull request) is refused at its line and column."""
    name = doc["format"]
    if not isinstance(name, str):
        from .fields import located

        known = ", ".join(sorted(entry.name for entry in FORMATS))
        raise located(where, text, ("format",), f"'format' must be the name of a format ({known}), not {name!r:.60}")
    return root_format(doc, where)


def format_by_name(name: object, where: str) -> Format:
    fmt = find(name)
    if fmt is None:
        known = ", ".join(sorted(entry.name for entry in FORMATS))
        raise InputError(f"{where}: unknown format '{name}' (known: {known})")
    return fmt


def format_for_json(data: Any, where: Path | str) -> JsonFormat:
    for fmt in json_formats():
        if fmt.detect(data):
            return fmt
    if not isinstance(data, dict):
        raise InputError(f"{where}: not a skill export (the JSON is a {type(data).__name__}, not an object)")
    raise InputError(
        f"{where}: not a Watson Assistant skill export (no intents, entities, dialog_nodes or actions found)"
    )


def format_for_zip(path: Path | str, raw: bytes) -> tuple[ZipFormat, Any]:
    """Find the format of a ZIP export from its member names: returns (format, export).

    The archive is checked for unsafe members before any format sees it.
    """
    from .ziparchive import SafeZip

    archive = SafeZip.open(raw, path)
    formats = zip_formats()
    for fmt in formats:
        if fmt.detect(archive.names):
            return fmt, fmt.load(archive, path)
    held = ", ".join(archive.names[:5]) + (", ..." if len(archive.names) > 5 else "") or "no files"
    expected = "; ".join(fmt.description for fmt in formats)
    raise InputError(f"{path}: not a known ZIP export (it holds {held}); expected one of: {expected}")


def format_for_export(raw: bytes, where: Path | str) -> tuple[Format, Any]:
    """The format and data of an export held in memory: a ZIP (by its first bytes or its
    name) or a JSON document."""
    from ..exportjson import parse_json_bytes

    if raw.startswith(ZIP_MAGIC) or str(where).lower().endswith(".zip"):
        return format_for_zip(where, raw)
    data = parse_json_bytes(raw, where)
    return format_for_json(data, where), data


def streaming_format(path: Path) -> StreamingFormat | None:
    """The ZIP format that reads this archive itself, member by member, or None.

    Only the central directory is read here; the formats are asked in the registry's order.
    """
    try:
        with open(path, "rb") as handle:
            if handle.read(4) != ZIP_MAGIC:
                return None
    except OSError:
        return None  # the ordinary path reports it
    import zipfile  # only for an archive: a JSON pull never imports it

    try:
        with zipfile.ZipFile(path) as archive:
            names: list[str] | None = archive.namelist()
    except (OSError, zipfile.BadZipFile, EOFError, ValueError):
        names = None  # damaged: a streaming format that knows the file name reports it without reading it all
    formats = zip_formats()
    if names is None:
        return next((f for f in formats if isinstance(f, StreamingFormat) and f.detect([], path)), None)
    for fmt in formats:
        streams = isinstance(fmt, StreamingFormat)
        if fmt.detect(names, path) if streams else fmt.detect(names):
            return fmt if isinstance(fmt, StreamingFormat) else None
    return None


def wrap_in_zip(fmt: Format, export: Any, out: Path) -> bytes:
    """The ZIP for a single-skill tree pushed with --out X.zip (the ZIP format that takes it writes it)."""
    for zip_format in zip_formats():
        if isinstance(zip_format, WrappingFormat) and zip_format.wraps(fmt):
            return zip_format.wrap(fmt, export, out)
    raise InputError(f"{out}: a {fmt.name} tree cannot be written as a ZIP; use a .json output")


def root_format(doc: dict[str, Any], where: str) -> Format:
    """The format a tree's root file names, once its layout version is one this version reads."""
    migrate(doc, where)
    return format_by_name(doc["format"], where)


def migrate(doc: dict[str, Any], where: str) -> int:
    """The layout version of a tree's root file, refused when it is newer than this
    assistantgit's. Absent means 1. Older layouts are read as they are: there are none yet;
    when FORMAT_VERSION rises, the conversion of an older tree's files goes here."""
    version = doc.get("format_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError.at(where, f"format_version must be a whole number from 1, not {version!r}")
    if version > FORMAT_VERSION:
        raise InputError.at(
            where,
            f"written by a newer assistantgit (format_version {version}; this one reads up to "
            f"{FORMAT_VERSION}); upgrade assistantgit",
        )
    return version


def tree_format(root: Path) -> Format:
    """The format of the tree at `root`, from its root file's `format:`."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder")
    settle(root)  # every command opens its tree here: a pull that was killed is finished first (issue 10)
    names = root_files()
    for name in names:
        marker = root / name
        if os.path.lexists(marker) and not marker.is_dir():  # a link or a FIFO: read_text refuses it
            text = read_text(marker)
            doc = canonical.loads(text, str(marker))
            if isinstance(doc, dict) and "format" in doc:
                return format_of(doc, text, str(marker))
    raise InputError(
        f"{root}: not an assistantgit source tree (no {' or '.join(names)} with a format:); "
        "run 'assistantgit pull EXPORT' first"
    )
