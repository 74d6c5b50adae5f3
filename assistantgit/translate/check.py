"""Placeholder checks of a translated tree against its source (rules AG901, AG902).

`translate status` runs them on whole trees; `validate` runs them on the files it is given
when the tree beside them has a translation record (record.py), which names the source
tree: so the pre-commit hook catches a reviewer's `$nom` for `$name` at commit time.
"""

from __future__ import annotations

from pathlib import Path

from .apply import placeholder_problems
from .location import CONCAT, EXAMPLE, MEMBER, TEXT, VALUE


def problems(found: list, target_found: list, record) -> list[tuple]:
    """(target location, rule, message) for each translation whose placeholders differ from its source's.

    Texts are paired by key; an example or synonym by the record's translation of it.
    """
    by_key = {loc.key: loc for loc in target_found if loc.how in (TEXT, CONCAT)}
    by_member = {(loc.group, loc.text): loc for loc in target_found if loc.how in (MEMBER, EXAMPLE)}
    result: list = []
    for location in found:
        if location.how in (TEXT, CONCAT):
            there = by_key.get(location.key)
        elif location.how == VALUE:
            continue  # a value's translation is a synonym: checked as a member
        else:
            translation = record.translation(location)
            there = by_member.get((location.group, translation)) if translation is not None else None
        if there is None or there.text == location.text:
            continue
        result.extend((there, rule, message) for rule, message in placeholder_problems(location, there.text))
    return result


def key_path(location) -> tuple:
    """Where a finding points in the target file: the text itself (an annotated example's `text`)."""
    return tuple(location.path) + (("text",) if location.how == EXAMPLE else ())


def record_of(root: Path):
    """(record, its folder, the part of a published-version ZIP tree or "") for the tree at `root`."""
    from . import record as records

    root = Path(root)
    found = records.load(root) if (root / records.RECORD_FILE).exists() else None
    if found is not None:
        return found, root, ""
    if (root.parent / "assistant.yaml").is_file() and (root.parent / records.RECORD_FILE).exists():
        found = records.load(root.parent)
        if found is not None:
            return found, root.parent, f"{root.name}/"
    return None, root, ""


def tree_problems(root: Path, rels: list[str], load) -> list[tuple]:
    """(rel, key path, rule, message) for the named files of a target tree; `load(rel)` gives a
    file's data. Nothing when the tree has no record, or its source tree is not there."""
    from .. import canonical
    from ..errors import InputError
    from ..tree import read_text
    from .units import locations

    record, home, part = record_of(root)
    if record is None or not record.source:
        return []
    source_root = home / record.source / part.rstrip("/") if part else home / record.source
    source_files, target_files = {}, {}
    for rel in rels:
        path = source_root / rel
        if not path.is_file() or path.is_symlink():
            continue
        try:
            source_files[rel] = canonical.loads(read_text(path), str(path))
        except InputError:
            continue
        target_files[rel] = load(rel)
    found = problems(locations(source_files, part), locations(target_files, part), record)
    return [(there.rel, key_path(there), rule, message) for there, rule, message in found]


def locate(text: str, path: tuple) -> tuple[int, int]:
    """Line and column of a key path in a target file's text (any YAML, canonical or not)."""
    from .. import canonical

    if not text:
        return (1, 1)
    return (
        canonical.locate_canonical(text, path)
        if canonical.is_canonical(text)
        else canonical.locate_roundtrip(text, path)
    )
