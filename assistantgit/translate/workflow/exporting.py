"""`translate export`: the units a translator gets, from a source tree (or what changed in it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import formats
from ..placeholders import placeholders, pseudo
from ..units import locations, unit_id
from . import trees

KEEP_NOTE = "Keep {} unchanged (filled in when the assistant answers)."


@dataclass
class Exported:
    content: bytes
    units: int
    strings: int  # places the units are used
    format: str


def units_of(found) -> list[formats.Unit]:
    """One unit per distinct text, in the order the texts first occur; every place it is used
    listed by key, its notes and files without repeats."""
    units: dict = {}
    for location in found:
        entry: tuple | None = units.get(location.text)
        if entry is None:
            entry = units[location.text] = (formats.Unit(unit_id(location.text), location.text), {}, {})
        entry[0].keys.append(location.key)
        entry[1][location.note] = None
        entry[2][location.rel] = None
    result = []
    for unit, notes, files in units.values():
        unit.notes, unit.files = list(notes), list(files)
        kept = sorted(placeholders(unit.source))
        if kept:
            unit.notes.append(KEEP_NOTE.format(", ".join(kept)))
        result.append(unit)
    return result


def changed_since(root: Path, fmt, files: dict, found: list, revision: str) -> list:
    """The locations whose key is new since `revision`, or whose text changed."""
    before = {(location.key, location.text) for location in locations(trees.at_revision(root, revision, fmt))}
    return [location for location in found if (location.key, location.text) not in before]


def export(
    root: Path, file_format: str, since: str | None = None, target_language: str = "", fill_pseudo: bool = False
) -> Exported:
    """The translation file's bytes for the tree at `root`."""
    fmt, files = trees.read(root)
    found = locations(files)
    if since:
        found = changed_since(Path(root), fmt, files, found, since)
    units = units_of(found)
    if fill_pseudo:
        for unit in units:
            unit.target = pseudo(unit.source)
    header = formats.Header(
        trees.skill_name(files),
        fmt.name,
        trees.language(files),
        target_language,
        trees.head_revision(root),
        since or "",
    )
    return Exported(formats.write(units, header, file_format), len(units), len(found), file_format)
