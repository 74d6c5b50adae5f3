"""The fact cache: per-file facts of earlier runs, kept while a file is unchanged."""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from typing import Any

# Bump when a scanner or what a fact holds changes: older caches are then ignored.
# 3: the stamp holds the inode; fmt keeps which files are canonical; 4: examples as keys;
# 5: the cross-file facts (names, example keys, links) in a file of their own ("facts")
CACHE_VERSION = 5
_MAGIC = b"assistantgit-validate-cache\n"
# A file changed within one timestamp tick of the cache's writing may have changed again
# after it was read, keeping its stamp (git's "racy" files): its facts are not trusted.
_FINE_TICK_NS = 10_000_000  # the kernel's coarse clock ticks at least every 10 ms
_COARSE_TICK_NS = 2_000_000_000  # whole-second stamps: FAT keeps 2 s, HFS+ and ext3 1 s


def canonical_key(format_name: str) -> str:
    """The fact that a file is in canonical form (fmt --check, AG701 agree on it): another
    version may write another form, another format normalizes otherwise."""
    from .. import __version__

    return f"canonical {__version__} {format_name}"


def cache_folder() -> str:
    """Where the caches live: the user's cache folder, never the tree (see FactCache)."""
    base = (
        os.environ.get("XDG_CACHE_HOME")
        or (os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else None)
        or os.path.join(os.path.expanduser("~"), ".cache")
    )
    return os.path.join(base, "assistantgit", "validate")


class FactCache:
    """Per-file facts of earlier runs, reused while a file's size and times are unchanged.

    A commit names a few files; the facts of the thousands of others (names, examples,
    links, JSON size) come from here, refreshed only for files that changed.

    It lives in the user's cache folder, one file per tree (named by a hash of the tree's
    real path), not in the tree: a file in the tree could be committed, and a crafted cache
    would then feed findings to every run (issue 11). The file starts with a checksum of
    its content; a damaged or foreign file, or an entry of the wrong shape, is ignored and
    rebuilt, never trusted. marshal is fast to read; its format is per Python version,
    hence the name.
    """

    def __init__(self, root: str, purpose: str = "", stamps: dict | None = None):
        tree = hashlib.sha256(os.path.realpath(root).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        if purpose:  # another file for another use (the parsed files): each run loads only what it needs
            tree += "-" + purpose
        name = "%s-v%d-py%d%d.marshal" % (tree, CACHE_VERSION, *sys.version_info[:2])
        self.path = os.path.join(cache_folder(), name)
        self.entries: dict[str, Any] = _load(self.path)
        self.dirty = False
        # rel -> its stamp, taken once per run; the caches of one run share it (one stat a file)
        self.stamps: dict[str, tuple] = {} if stamps is None else stamps

    def _facts(self, source) -> dict | None:
        """The facts kept for the file as it is now (a new empty set when it changed), or None
        when it cannot be stat'ed. The stamp is git's index's: size, times and inode (a
        caller may put it in `stamps` first)."""
        stamp = self.stamps.get(source.rel)
        if stamp is None:
            try:
                stat = os.stat(source.path)
            except OSError:
                return None
            stamp = self.stamps[source.rel] = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
        entry = self.entries.get(source.rel)
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], dict)) or entry[0] != stamp:
            entry = (stamp, {})
            self.entries[source.rel] = entry
        return entry[1]

    def get(self, source, key: str, compute):
        facts: dict[str, Any] | None = self._facts(source)
        if facts is None:
            return compute()
        if key not in facts:
            facts[key] = compute()
            self.dirty = True
        return facts[key]

    def held(self, source, key: str) -> tuple | None:
        """(the fact kept for the file as it is now,), or None when none is kept (a kept
        fact may itself be None)."""
        facts = self._facts(source)
        return None if facts is None or key not in facts else (facts[key],)

    def known(self, source, key: str):
        """The fact kept for the file as it is now, or None."""
        facts = self._facts(source)
        return None if facts is None else facts.get(key)

    def put(self, source, key: str, value) -> None:
        """Keep a fact learnt about the file as `known` saw it (its stamp was taken then)."""
        facts = self._facts(source)
        if facts is not None:
            facts[key] = value
            self.dirty = True

    def forget(self, source, key: str) -> None:
        """Drop a fact found to be of the wrong shape; it is computed again."""
        entry = self.entries.get(source.rel)
        if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], dict):
            entry[1].pop(key, None)

    def save(self, keep: set) -> None:
        for rel in set(self.entries) - keep:
            del self.entries[rel]
            self.dirty = True
        if not self.dirty:
            return
        try:
            payload = marshal.dumps(self.entries)
            os.makedirs(os.path.dirname(self.path), mode=0o700, exist_ok=True)
            temp = self.path + ".%d.tmp" % os.getpid()
            handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(handle, "wb") as out:  # in parts: joined, a 100 MB tree's data cost 85 MB more
                out.writelines((_MAGIC, hashlib.sha256(payload).digest(), payload))
            os.replace(temp, self.path)
        except (OSError, ValueError):
            pass  # a read-only home or an unmarshallable value: no cache, same results


def _settled(stamp: tuple, written_ns: int) -> bool:
    """git's rule for its index: an entry is trusted only when its file last changed at
    least one timestamp tick before the cache file was written. A file changed within that
    tick may have changed again after it was read, in the same tick, keeping its stamp."""
    changed = max(stamp[0], stamp[1])
    tick = _COARSE_TICK_NS if changed % 1_000_000_000 == 0 else _FINE_TICK_NS
    return changed + tick <= written_ns


def _load(path: str) -> dict:
    """The entries of a cache file, or {} when it is missing, damaged or not ours. An entry
    whose file changed within a tick of the cache file's writing is left out (_settled)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
            written_ns = os.fstat(handle.fileno()).st_mtime_ns
    except OSError:
        return {}
    head = len(_MAGIC) + 32
    payload = memoryview(raw)[head:]  # not a copy: each was 85 MB on a 100 MB tree's data
    if not raw.startswith(_MAGIC) or hashlib.sha256(payload).digest() != raw[len(_MAGIC) : head]:
        return {}
    try:
        entries = marshal.loads(payload)
    except Exception:
        return {}
    finally:
        payload.release()
    del raw
    if not isinstance(entries, dict):
        return {}
    return {rel: entry for rel, entry in entries.items() if isinstance(rel, str) and _kept(entry, written_ns)}


def _kept(entry, written_ns: int) -> bool:
    """False for an entry of another shape (rebuilt) or of a file changed as the cache was written."""
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], tuple) and len(entry[0]) == 4):
        return False
    if not all(type(value) is int for value in entry[0]):
        return False
    return _settled(entry[0], written_ns)


class ParseCache(FactCache):
    """The data of files parsed from canonical text (validate's whole-tree runs and push share
    it), one file per state of the tree's folder (its device, inode and modification time):
    a folder made again (a fresh checkout, a pull into a removed folder, even on a reused
    inode) holds only new files, so its first run does not load the previous folder's 10 MB
    for nothing; the previous file is removed when this one is written. A file created,
    renamed or removed in the root folder itself (skill.yaml saved by renaming) starts a
    new cache too: a cost, never a stale answer."""

    def __init__(self, root: str, stamps: dict | None = None):
        try:
            info = os.stat(root)
            folder = "%x-%x-%x" % (info.st_dev, info.st_ino, info.st_mtime_ns)
        except OSError:
            folder = "none"
        super().__init__(root, "parsed-" + folder, stamps)

    def save(self, keep: set) -> None:
        super().save(keep)
        folder, name = os.path.split(self.path)
        tree = name.split("-parsed-", 1)[0] + "-parsed-"
        try:
            others = [other for other in os.listdir(folder) if other.startswith(tree) and other != name]
            for other in others:
                os.remove(os.path.join(folder, other))
        except OSError:
            pass  # another run removed it, or no cache folder: nothing to tidy


def kept_data(cache: FactCache, source):
    """(data,) a previous run parsed from the file's canonical text as it is now, or None.
    The parse cache (FactCache(root, "parsed")) is shared by validate and push."""
    kept = cache.known(source, "data")
    # a file holds YAML's types only; anything else is a damaged entry: parsed again
    if type(kept) is tuple and len(kept) == 1 and (kept[0] is None or type(kept[0]) in (dict, list, str)):
        return kept
    return None


def keep_data(cache: FactCache, source, data) -> None:
    """Keep the data parsed from the file's canonical text (only canonical: AG701 trusts it)."""
    cache.put(source, "data", (data,))
