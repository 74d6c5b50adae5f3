"""The translation record: `translation.yaml` beside a target language's tree files.

It remembers, for each key, the source text a translation was made from and the text
the last import wrote, and each item's structure at that import. With it, an import
can take a partial file (`export --since`) and keep earlier translations; keep what a
reviewer changed directly in the target tree (a fixed response, an example added in the
target language) instead of overwriting it; and tell a source change that the target
must follow from a change made in the target. `translate status` reads it to tell a
missing translation from an outdated one. The tree's format does not own the file, so
pull, push, diff and validate never see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import canonical
from ..errors import InputError
from ..tree import read_text, write_file_atomic
from .units import CONCAT, EXAMPLE, MEMBER, TEXT, Location

RECORD_FILE = "translation.yaml"
FORMAT = "assistantgit-translation"
VERSION = 1


@dataclass
class Record:
    language: str = ""
    source_language: str = ""
    source: str = ""  # the source tree, relative to the target tree
    strings: dict = field(default_factory=dict)  # key -> {"source": text, "target": text (when translated)}
    sets: dict = field(default_factory=dict)  # group -> the members the last import wrote
    items: dict = field(default_factory=dict)  # item -> its structure's hash at the last import

    def translation(self, location: Location) -> str | None:
        """The recorded translation of the location's current text, or None."""
        entry = self.strings.get(location.key)
        if entry and entry.get("source") == location.text and "target" in entry:
            return entry["target"]
        return None

    def by_text(self) -> dict:
        """source text -> a recorded translation of it (a string used in several places)."""
        found: dict = {}
        for key in sorted(self.strings):
            entry = self.strings[key]
            if "target" in entry:
                found.setdefault(entry["source"], entry["target"])
        return found

    def written(self, key: str) -> str | None:
        entry = self.strings.get(key)
        if not entry:
            return None
        return entry.get("target", entry.get("source"))


def record_path(root: Path) -> Path:
    path = Path(root) / RECORD_FILE
    if path.is_symlink():  # a tree from a pull request may link it anywhere
        raise InputError(f"{path}: is a symbolic link; the translation record must be a plain file")
    return path


def load(root: Path) -> Record | None:
    """The record of the target tree at `root`, or None when it has none yet."""
    path = record_path(root)
    if not path.is_file():
        return None
    doc = canonical.loads(read_text(path), str(path))
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f"{path}: not an assistantgit translation record (no 'format: {FORMAT}')")
    if not isinstance(doc.get("version"), int) or doc["version"] > VERSION:
        raise InputError(
            f"{path}: record version {doc.get('version')!r} is newer than this assistantgit reads ({VERSION})"
        )
    parts = {}
    for name, kind in (("strings", dict), ("sets", dict), ("items", dict)):
        value = doc.get(name) or kind()
        if not isinstance(value, kind):
            raise InputError(f"{path}: '{name}' must be a mapping")
        parts[name] = value
    for key, entry in parts["strings"].items():
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("source"), str)
            or not isinstance(entry.get("target", ""), str)
        ):
            raise InputError(f"{path}: strings['{key}'] needs a text 'source' (and a text 'target' when translated)")

    def text(name: str) -> str:
        return str(doc[name]) if doc.get(name) is not None else ""

    sets = {str(g): [str(t) for t in ts] for g, ts in parts["sets"].items() if isinstance(ts, list)}
    return Record(
        text("language"),
        text("source_language"),
        text("source"),
        parts["strings"],
        sets,
        {str(k): str(v) for k, v in parts["items"].items()},
    )


def save(root: Path, record: Record) -> None:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "language": record.language,
        "source_language": record.source_language,
        "source": record.source,
        "items": {k: record.items[k] for k in sorted(record.items)},
        "sets": {g: sorted(record.sets[g]) for g in sorted(record.sets) if record.sets[g]},
        "strings": {k: record.strings[k] for k in sorted(record.strings)},
    }
    write_file_atomic(record_path(root), canonical.dumps(doc).encode("utf-8"), private=False)


def harvest(record: Record, source: list[Location], target: list[Location]) -> tuple[dict, int]:
    """Take what was changed directly in the target tree into the record.

    A text at the same key that differs from what the last import wrote is a reviewer's
    fix (or, with no record yet, the translation an existing tree already has): it
    becomes the translation. Members a set has in the target only are returned as extras
    (group -> texts), to be kept. Returns (extras, how many fixes were taken).
    """
    here = {loc.key: loc for loc in target if loc.how in (TEXT, CONCAT)}
    taken = 0
    for location in source:
        if location.how not in (TEXT, CONCAT) or location.key not in here:
            continue
        now = here[location.key].text
        entry = record.strings.get(location.key)
        if entry is None:
            if now != location.text:
                record.strings[location.key] = {"source": location.text, "target": now}
                taken += 1
        elif now != record.written(location.key):
            record.strings[location.key] = {"source": entry["source"], "target": now}
            taken += 1
    members: dict = {}
    for location in target:
        if location.how in (MEMBER, EXAMPLE):
            members.setdefault(location.group, []).append(location.text)
    known: dict = {}
    for location in source:
        if location.group:
            known.setdefault(location.group, set()).add(location.text)
    extras = {}
    for group, texts in members.items():
        written = set(record.sets.get(group, ())) | known.get(group, set())
        kept = [text for text in texts if text not in written]
        if kept:
            extras[group] = kept
    return extras, taken
