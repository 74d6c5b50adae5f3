"""`translate status`: how far a target language's tree is behind its source.

Per kind of string: how many have a translation of their current text, how many none,
and how many a translation made for an earlier text (the source changed since: the
record keeps the text each translation was made from). A target tree without a record
(translated before assistantgit) is read by git history instead: a text at the same key
that differs from the source's is a translation, outdated when git says the source file
changed after the target file; examples and synonyms, which cannot be paired, by count. Also the items present in one
tree and not the other, the items whose structure differs (run `translate import` to
bring the target in step), and translations whose placeholders differ from the source's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import record as records
from ..check import key_path, locate, problems
from ..units import CONCAT, EXAMPLE, MEMBER, TEXT, VALUE, items, locations, skeleton_hashes
from . import trees


@dataclass
class Status:
    source: Path
    target: Path
    counts: dict = field(default_factory=dict)  # kind -> {"strings", "translated", "missing", "outdated"}
    missing: list = field(default_factory=list)  # locations
    outdated: list = field(default_factory=list)
    only_source: list = field(default_factory=list)  # items
    only_target: list = field(default_factory=list)
    differs: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (file as shown, line, column, rule, message)

    @property
    def in_step(self) -> bool:
        return not (
            self.missing or self.outdated or self.only_source or self.only_target or self.differs or self.problems
        )


def kind_of(location) -> str:
    return location.item.rpartition("/")[2].partition(":")[0]


def status(source_dir: Path, target_dir: Path) -> Status:
    _, files = trees.read(source_dir)
    _, target_files = trees.read(target_dir)
    record = records.load(target_dir) or records.Record()
    found, target_found = locations(files), locations(target_files)
    report = Status(Path(source_dir), Path(target_dir))
    _count(report, found, target_found, record)
    source_items, target_items = items(files), items(target_files)
    report.only_source = sorted(set(source_items) - set(target_items))
    report.only_target = sorted(set(target_items) - set(source_items))
    source_hashes, target_hashes = skeleton_hashes(files, found), skeleton_hashes(target_files, target_found)
    report.differs = sorted(i for i in set(source_hashes) & set(target_hashes) if source_hashes[i] != target_hashes[i])
    report.problems = _problems(Path(target_dir), found, target_found, record)
    return report


def _count(report: Status, found: list, target_found: list, record) -> None:
    """Sort every source string into translated, missing or outdated."""
    remembered = record.by_text()
    at_key = {loc.key: loc for loc in target_found if loc.how in (TEXT, CONCAT)}
    older = _older_by_git(report.source, report.target, found, at_key, record)
    budget: dict = {}  # without a record, set members cannot be paired: count them
    if not record.strings:
        for loc in target_found:
            if loc.how in (MEMBER, EXAMPLE):
                budget[loc.group] = budget.get(loc.group, 0) + 1
    for location in found:
        row = report.counts.setdefault(kind_of(location), {"strings": 0, "translated": 0, "missing": 0, "outdated": 0})
        row["strings"] += 1
        entry = record.strings.get(location.key, {})
        translation = record.translation(location)
        if translation is None and not entry and location.key in at_key and at_key[location.key].text != location.text:
            translation = at_key[location.key].text  # a tree translated before it had a record
        if translation is None:
            translation = remembered.get(location.text)
        if translation is None and not record.strings and _counted(location, budget):
            translation = location.text
        if translation is not None and location.key not in older:
            row["translated"] += 1
        elif location.key in older or "previous_target" in entry or _was_translated(entry, location):
            row["outdated"] += 1
            report.outdated.append(location)
        else:
            row["missing"] += 1
            report.missing.append(location)


def _was_translated(entry: dict, location) -> bool:
    """The record has a translation of another text at this key: the source changed since."""
    return "target" in entry and entry["source"] != location.text


def _counted(location, budget: dict) -> bool:
    """Without a record: a set member counts as translated while the target's set has members
    left to pair it with; a value's translation (a synonym) is optional."""
    if location.how == VALUE:
        return True
    if location.how in (MEMBER, EXAMPLE) and budget.get(location.group, 0) > 0:
        budget[location.group] -= 1
        return True
    return False


def _older_by_git(source: Path, target: Path, found, at_key: dict, record) -> set:
    """Keys of strings translated before the target tree had a record, whose source file git says
    changed after the target file did: the translation is older than the source change."""
    candidates = [
        loc for loc in found if loc.key in at_key and loc.key not in record.strings and at_key[loc.key].text != loc.text
    ]
    if not candidates:
        return set()
    times = trees.last_changed([source, target])
    older = set()
    for location in candidates:
        changed = times.get((source / location.rel).resolve())
        translated = times.get((target / at_key[location.key].rel).resolve())
        if changed is not None and translated is not None and changed > translated:
            older.add(location.key)
    return older


def _problems(root: Path, found, target_found, record) -> list[tuple]:
    """Placeholder findings on the target tree's texts (AG901, AG902), with file:line."""
    from ...tree import display_path, read_text

    texts: dict = {}
    result = []
    for there, rule, message in problems(found, target_found, record):
        if there.rel not in texts:
            texts[there.rel] = read_text(root / there.rel)
        line, column = locate(texts[there.rel], key_path(there))
        result.append((display_path(root / there.rel), line, column, rule, message))
    return sorted(result)
