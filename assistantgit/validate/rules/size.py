"""AG6xx: the assembled export fits the vendor's upload limit.

The JSON size of every item is added up, kept per file in the tree's fact cache (see
_cache.FactCache) and refreshed for files that changed; only a sum near the limit is
confirmed by a real assembly, as push makes it. A whole-tree run used to assemble every
time: 0.9 s of a 10 MB tree's validate, for a sum that is within a few hundred bytes.
A run on named files (a commit hook) counts the size of every other file on its canonical
text (canonical.json_size) instead of parsing it; a file it cannot count is parsed. Without
those sizes in the cache (a first run) it counts them in a forked child while the other
rules scan names and examples (count_ahead, assistantgit/forked.py), taking over from the last
file back when AG601's turn comes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from ... import canonical, forked
from ...errors import InputError
from ...formats.collection import identity
from ...tree import read_bytes
from .._core import WARNING, rule
from .._scan import well_formed

MARGIN = 0.95  # below this share of the limit the estimate decides alone


def _json_size(data) -> int:
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def exact_size(tree) -> int | None:
    files = {}
    for rel, source in tree.files.items():
        if source.kind == "bytes":
            files[rel] = read_bytes(source.path)
            continue
        data = source.load()
        if source.error:
            return None
        files[rel] = data
    try:
        return _json_size(tree.fmt.assemble(files, str(tree.root)))
    except (InputError, AttributeError, TypeError, KeyError, ValueError):
        return None  # a tree push refuses: other rules say why


def estimated_size(tree) -> int:
    """The export's size as the sum of its items' JSON sizes, each cached per file."""
    taken = _taken(tree)
    total = 0
    for source in tree.files.values():

        def measure(source=source):
            size = taken.get(source.rel)
            return measured(tree, source) if size is None else size

        if tree.cache is None:
            total += measure()
            continue
        size = tree.cache.get(source, "json_size", measure)
        if not well_formed("json_size", size):  # a damaged cache entry: measured again, never trusted
            tree.cache.forget(source, "json_size")
            size = measure()
        total += size
    return total


def measured(tree, source) -> int:
    """One item's JSON size, as the assembled export holds it, plus one (its comma)."""
    if source.kind == "bytes":
        return os.path.getsize(source.path)
    if not source.parsed:  # a run on named files: counted on the text, not parsed
        counted = counted_size(source, tree.folders.get(source.kind))
        if counted is not None:
            return counted
    data = source.load()
    if source.error:
        return len(source.text or "")
    collection = tree.folders.get(source.kind)
    if collection is not None and isinstance(data, dict):
        data = collection.from_source(data)
    return _json_size(data) + 1


# A run on named files with fewer files to measure than this measures them itself: forking
# costs a few milliseconds, a file about 60 microseconds.
AHEAD_FILES = 500
_AHEAD_BATCH = 64  # files the child measures between two answers


@dataclass
class _Counting:
    """The files a child measures from the first on (count_ahead), while the rules run."""

    todo: list
    ahead: forked.Ahead

    def close(self) -> None:
        self.ahead.close()


def count_ahead(tree) -> _Counting | None:
    """AG601's prepare: on a run on named files, the files whose size the cache does not hold
    (all, on a first run) are measured in a child while the other rules run (assistantgit/forked.py)."""
    if tree.whole or tree.cache is None or tree.fmt.upload_limit is None or not forked.usable():
        return None
    cache, named = tree.cache, set(tree.selected)
    todo = [source for source in tree.files.values() if source.kind != "bytes" and source.rel not in named]
    if cache.entries:  # an earlier run's cache: the files whose size it holds are not measured (a stat each)
        todo = [source for source in todo if cache.held(source, "json_size") is None]
    if len(todo) < AHEAD_FILES:
        return None

    def produce():
        for first in range(0, len(todo), _AHEAD_BATCH):
            yield first, [measured(tree, source) for source in todo[first : first + _AHEAD_BATCH]]

    try:
        return _Counting(todo, forked.Ahead(produce))
    except OSError:  # no process or pipe to spare (EAGAIN, EMFILE): measured here, as before
        return None


def _taken(tree) -> dict:
    """{rel: size} of the files count_ahead gave its child, or {}: the child's answers from the
    first file on, the parent's own from the last back (forked.meet)."""
    counting = tree.prepared.get("AG601")
    if counting is None:
        return {}
    todo, taken = counting.todo, {}

    def own(index: int) -> None:
        taken[todo[index].rel] = measured(tree, todo[index])

    def take(index: int, size) -> bool:
        if not well_formed("json_size", size):
            return False
        taken[todo[index].rel] = size
        return True

    forked.meet(counting.ahead, len(todo), _AHEAD_BATCH, own, take)
    counting.close()
    return taken


def counted_size(source, collection) -> int | None:
    """An item's JSON size (as `estimated_size` measures it) counted on its canonical text, or
    None when the text is not canonical or the collection cannot tell what from_source adds."""
    text = source.text
    counted = canonical.json_size(text) if text is not None else None
    if counted is None:
        return None
    growth: int | None = 0
    if collection is not None and collection.from_source is not identity:
        growth = collection.json_growth(text, counted.texts) if collection.json_growth is not None else None
    return None if growth is None else counted.size + growth + 1


@rule("AG601", WARNING, "the assembled export is larger than the upload page's 10 MB", prepare=count_ahead)
def export_size(tree):
    limit = tree.fmt.upload_limit  # Watson Assistant's upload page: 10 MB per skill
    if limit is None:
        return
    if estimated_size(tree) < limit * MARGIN:
        return
    size = exact_size(tree)
    if size is not None and size > limit:
        yield (
            tree.fmt.root_file,
            (),
            (
                f"the assembled export would be {size / 1048576:.1f} MB; "
                f"the upload page accepts at most {limit / 1048576:.0f} MB per skill (push --out refuses it); "
                "the REST API takes larger skills: push with --env"
            ),
            (1, 1),
        )
