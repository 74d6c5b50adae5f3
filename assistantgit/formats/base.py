"""What an export format is: the Protocols every format implements.

A format turns an export into source files (`explode`) and source files back into an
export (`assemble`). Source files are a dict of relative path -> data (a YAML-able
mapping or list) or bytes (a member stored byte for byte).

`Format` is all that pull, push, validate, fmt and diff need. A JSON export's format
is also a `JsonFormat`, a ZIP export's a `ZipFormat`: formats/registry.py asks them in
order which one an export is. Optional abilities are protocols of their own, which
callers test with isinstance:

    StreamingFormat   reads and writes its archive itself, member by member (Avaamo: 4 GB)
    ExportWriter      writes its upload file itself (the published-version ZIP)
    WrappingFormat    a ZIP format that can hold a single-skill tree of another format
    PartedFormat      a tree of trees: validate and diff take each part as a tree of its own
    CheckedFormat     checks its own tree's structure (validate reports it as AG801)

A format class subclasses `Format` to borrow the defaults of the declarations it does
not need. docs/ARCHITECTURE.md walks through adding a format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..errors import InputError
    from ..tree import Managed, WriteReport
    from .collection import Collection, ListFile
    from .ziparchive import SafeZip

# The layout version of the trees this assistantgit writes, in each root file as
# `format_version:`. A tree without it is version 1. Raise it when an older assistantgit
# would misread a tree written by this one, and teach registry.migrate to read the older
# layouts; a tree of a newer version is refused (docs/source-format.md).
FORMAT_VERSION = 1

# progress(done, total), called as files are read or written; None when nobody watches.
Progress = Callable[[int, int], None] | None


class Format(Protocol):
    """A kind of export, and the source tree it becomes."""

    name: str  # written as `format:` in the tree's root file
    root_file: str  # the file that marks a tree of this format
    description: str  # one line, for messages that list the formats
    # Folders of one file per item, in the order diff shows them.
    collections: ClassVar[tuple[Collection, ...]] = ()
    # Files beside the root file that hold a list of items (counterexamples.yaml...).
    list_files: ClassVar[tuple[ListFile, ...]] = ()
    # The validate rules that apply, by id prefix: ("AG",) is every rule of docs/rules.md.
    rules: ClassVar[tuple[str, ...]] = ()
    # The largest upload file the vendor accepts (validate's AG601); None: not checked.
    upload_limit: ClassVar[int | None] = None
    # How diff names the changes of the root file.
    settings_label: ClassVar[str] = "skill settings"
    # The types of the fields the code reads, per file kind ("skill" for the root file, a
    # collection's folder, a list file's kind): checked before use (formats/fields.py).
    field_shapes: ClassVar[Mapping[str, Any]] = {}

    def managed(self) -> list[Managed]:
        """The paths of a tree this format owns: pull replaces exactly these."""
        ...

    def explode(self, export: Any, where: str = "export") -> dict[str, Any]:
        """The tree's files for an export: {relative path: data, or bytes kept as they are}."""
        ...

    def assemble(self, files: dict[str, Any], where: str = "tree") -> Any:
        """The export for a tree's files; an InputError names the file at fault."""
        ...


class JsonFormat(Format, Protocol):
    """A format whose export is one JSON document."""

    def detect(self, data: Any) -> bool:
        """True when the parsed JSON is an export of this format."""
        ...


class ZipFormat(Format, Protocol):
    """A format whose export is a ZIP archive."""

    def detect(self, names: list[str], path: Path | str | None = None) -> bool:
        """True when an archive with these member names (and, when given, this file name) is ours."""
        ...

    def load(self, archive: SafeZip, path: Path | str) -> Any:
        """The export held by a checked archive, for `explode`."""
        ...


@runtime_checkable
class StreamingFormat(Format, Protocol):
    """Reads and writes its archive itself, member by member, for exports too large for memory."""

    def pull_file(
        self,
        path: Path,
        root: Path,
        progress: Progress = None,
        platform_version: str | None = None,
        secret_values: dict[str, str] | None = None,
    ) -> tuple[int, WriteReport]:
        """Write the tree at `root` from the export file: (files written, what changed).
        `secret_values` receives the value behind each placeholder (pull keeps them locally)."""
        ...

    def push_tree(
        self,
        root: Path,
        out: Path,
        progress: Progress = None,
        platform_version: str | None = None,
        filled_secrets: list[str] | None = None,
        force: bool = False,
    ) -> tuple[Path, int]:
        """Write the export file from the tree: (the file written, its size in bytes).
        `filled_secrets` receives the names of the placeholders filled into it. A file
        already there is replaced only with `force` (tree.refuse_overwrite)."""
        ...


@runtime_checkable
class ExportWriter(Format, Protocol):
    """Writes its upload file itself (not one JSON document): the suffix of `out` may choose."""

    def export_bytes(self, export: Any, out: Path) -> bytes: ...


@runtime_checkable
class WrappingFormat(Format, Protocol):
    """A ZIP format that holds single-skill trees of other formats (push --out X.zip)."""

    def wraps(self, fmt: Format) -> bool: ...

    def wrap(self, fmt: Format, export: Any, out: Path) -> bytes: ...


@runtime_checkable
class PartedFormat(Format, Protocol):
    """A tree of trees: each of these folders holds a complete tree of the given format."""

    parts: Mapping[str, Format]


@runtime_checkable
class CheckedFormat(Format, Protocol):
    """Checks the structure of its trees itself; validate reports each problem as AG801."""

    # What validate cannot check in such a tree, said once per run.
    unchecked: str

    def check_tree(self, root: Path) -> list[InputError]:
        """What keeps the tree at `root` from becoming an export: [] when push would work."""
        ...
