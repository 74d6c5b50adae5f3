"""`translate import`: a translated file into the target language's tree.

The target tree is rebuilt from the source tree on every import (so new intents, moved
nodes and changed conditions reach it), with each string's translation taken from, in
this order: the file, the record of earlier imports (record.py), or nothing (the source
text stays and is listed). What a reviewer changed directly in the target tree's texts
is taken into the record first, so it is never overwritten; a change to anything else in
the target tree is refused without --force, since the import would undo it.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import FindingsError, InputError
from ...tree import tree_lock
from .. import formats
from .. import record as records
from ..apply import apply
from ..units import EXAMPLE, MEMBER, VALUE, items, locations, skeleton_hashes
from . import trees

SHOWN = 10  # how many keys a message lists before "and N more"
MIN_KNOWN = 0.5  # a file whose keys name fewer of the skill's items than this is another skill's


@dataclass
class Imported:
    target: Path
    language: str
    written: int = 0  # files created, changed or deleted
    translated: int = 0
    untranslated: list = field(default_factory=list)  # locations kept in the source language
    unmatched: list = field(default_factory=list)  # units of the file whose text the source no longer has
    fixes: int = 0  # texts changed directly in the target tree, kept
    extras: int = 0  # set members only the target has, kept
    merged: int = 0
    dropped_mentions: int = 0
    problems: list = field(default_factory=list)  # (file, line, column, rule, message)


def item_of_key(key: str) -> str:
    """`intent:greeting` of `intent:greeting:examples{hi}` (item ids never hold ':')."""
    head, _, rest = key.partition(":")
    return f"{head}:{rest.split(':', 1)[0]}"


def _listed(names: list) -> str:
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return ", ".join(names[:SHOWN]) + more


def _check_skill(path: Path, header, units, fmt, files) -> None:
    if header.format and header.format != fmt.name:
        raise InputError(f"{path}: was exported from a {header.format} tree; the source tree is {fmt.name}")
    known = set(items(files))
    keyed = [unit for unit in units if unit.keys]
    strangers = [unit for unit in keyed if not any(item_of_key(key) in known for key in unit.keys)]
    if keyed and len(strangers) > (1 - MIN_KNOWN) * len(keyed):
        came = f" ('{header.skill}')" if header.skill else ""
        raise InputError(
            f"{path}: {len(strangers)} of {len(keyed)} units name items this skill does not have "
            f"(e.g. {item_of_key(strangers[0].keys[0])}): the file comes from another skill{came}; "
            "give --from the tree it was exported from"
        )


def _drift(record, source_hashes: dict, target_hashes: dict, have_record: bool) -> list[str]:
    """Items whose structure was changed in the target tree (an import would undo the change)."""
    changed = []
    for item, digest in sorted(target_hashes.items()):
        if digest == source_hashes.get(item):
            continue
        if item in record.items:
            if digest != record.items[item]:
                changed.append(item)
        elif item not in source_hashes or not have_record:
            changed.append(item)
    return changed


def import_file(
    path: Path,
    into: Path,
    source_dir: Path | None = None,
    language: str | None = None,
    strict: bool = False,
    force: bool = False,
    file_format: str | None = None,
) -> Imported:
    """Import the translation file at `path` into the tree at `into`."""
    from ...tree import read_bytes

    path, into = Path(path), Path(into)
    raw = read_bytes(path)  # it may come from a pull request: a regular file (no link, no FIFO), size-capped
    header, units = formats.read(raw, str(path), formats.format_of(path.name, file_format))
    # one writer at a time from reading the target to saving its record: a pull or fmt in
    # between would be overwritten by texts read before it (issue 10)
    with tree_lock(into) if into.is_dir() else nullcontext():
        return _import(path, into, header, units, source_dir, language, strict, force)


def _import(path: Path, into: Path, header, units, source_dir, language, strict: bool, force: bool) -> Imported:
    record = records.load(into) if into.is_dir() else None
    have_record = record is not None
    if source_dir is None:
        if not (record and record.source):
            raise InputError(f"{into}: no translation record names its source tree yet; give --from SOURCE_TREE")
        source_dir = into / record.source
    record = record or records.Record()
    if into.resolve() == Path(source_dir).resolve():
        raise InputError(f"{into}: is the source tree itself; import into the target language's own folder")
    fmt, files = trees.read(source_dir)
    _check_skill(path, header, units, fmt, files)
    found = locations(files)
    target_files, target_found = {}, []
    if trees.is_tree(into):
        target_fmt, target_files = trees.read(into)
        if target_fmt.name != fmt.name:
            raise InputError(f"{into}: holds a {target_fmt.name} tree; the source tree {source_dir} is {fmt.name}")
        target_found = locations(target_files)
    language = language or header.target_language or record.language or trees.language(target_files)
    if not language:
        raise InputError(f"{path}: says no target language; give --language (e.g. --language fr)")
    if record.language and language != record.language and not force:
        raise InputError(
            f"{into}: is the '{record.language}' tree and {path} is '{language}'; "
            "import it into that language's own folder (or give --force to change its language)"
        )
    extras, fixes = records.harvest(record, found, target_found) if target_files else ({}, 0)
    source_hashes = skeleton_hashes(files, found)
    if target_files and not force:
        drift = _drift(record, source_hashes, skeleton_hashes(target_files, target_found), have_record)
        if drift:
            raise InputError(
                f"{into}: {len(drift)} item(s) differ from the source tree in more than their texts ({_listed(drift)}); "
                "the import would replace them with the source's: make the change in the source tree, "
                "or give --force to let the source win"
            )
    translate = _lookup(units, record)
    result = apply(files, found, translate, language, items(target_files) if target_files else None, extras)
    report = Imported(
        into,
        language,
        translated=len(result.translated),
        untranslated=result.untranslated,
        fixes=fixes,
        extras=sum(len(t) for t in extras.values()),
        merged=result.merged,
        dropped_mentions=result.dropped_mentions,
    )
    texts = {location.text for location in found}
    report.unmatched = [unit for unit in units if unit.target and unit.source not in texts]
    if strict and result.untranslated:
        keys = [location.key for location in result.untranslated]
        raise FindingsError(
            f"{path}: {len(keys)} string(s) have no translation ({_listed(keys)}); nothing was written (--strict)"
        )
    written, texts_written = trees.write(into, fmt, result.files)
    report.written = written
    report.problems = _locate(into, result.problems, texts_written)
    _update(record, found, translate, language, trees.language(files), trees.relative(source_dir, into), source_hashes)
    records.save(into, record)
    return report


def _lookup(units, record):
    """location -> its translation: the file's for this key, the record's for this key, the
    file's for the same text used elsewhere, the record's for the same text; else None."""
    by_key: dict = {}
    by_text: dict = {}
    for unit in units:
        if not unit.target:
            continue
        by_text.setdefault(unit.source, unit.target)
        for key in unit.keys:
            by_key[key] = (unit.source, unit.target)
    remembered = record.by_text()

    def translate(location):
        hit = by_key.get(location.key)
        if hit and hit[0] == location.text:
            return hit[1]
        own = record.translation(location)  # this place's translation, a reviewer's fix included
        if own is not None:
            return own
        if location.text in by_text:
            return by_text[location.text]
        return remembered.get(location.text)

    return translate


def _update(record, found, translate, language: str, source_language: str, source: str, hashes: dict) -> None:
    """The record after an import: what each key's text and translation are now."""
    strings: dict = {}
    sets: dict = {}
    for location in found:
        translation = translate(location)
        old = record.strings.get(location.key) or {}
        if translation is not None:
            strings[location.key] = {"source": location.text, "target": translation}
        elif "target" in old and old["source"] != location.text:  # outdated: kept to say so, not written
            strings[location.key] = {
                "source": location.text,
                "previous_source": old["source"],
                "previous_target": old["target"],
            }
        else:
            strings[location.key] = {k: v for k, v in old.items() if k.startswith("previous_")} | {
                "source": location.text
            }
        if location.how in (MEMBER, EXAMPLE):
            sets.setdefault(location.group, []).append(translation if translation is not None else location.text)
        elif location.how == VALUE and translation not in (None, location.text):
            sets.setdefault(location.group, []).append(translation)
    record.strings, record.sets, record.items = strings, sets, dict(hashes)
    record.language, record.source_language, record.source = language, source_language, source


def _locate(root: Path, problems, texts: dict) -> list[tuple]:
    """Each problem as (file as shown, line, column, rule, message), lines found in the written text."""
    from ...tree import display_path
    from ..check import locate

    found = []
    for problem in problems:
        line, column = locate(texts.get(problem.rel, ""), problem.path)
        found.append((display_path(root / problem.rel), line, column, problem.rule, problem.message))
    return sorted(found)
