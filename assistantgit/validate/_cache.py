"""The fact cache: per-file facts of earlier runs, kept while a file is unchanged."""

from __future__ import annotations

import marshal
import os
import sys

# Bump when a scanner or what a fact holds changes: older caches are then ignored.
CACHE_VERSION = 2


class FactCache:
    """Per-file facts of earlier runs, reused while a file's size and times are unchanged.

    A commit names a few files; the facts of the thousands of others (names, examples,
    links, JSON size) come from here, refreshed only for files that changed. Lives in
    `.assistantgit/cache/` under the tree, which holds a `.gitignore` of `*` so git never
    sees it. marshal is fast to read; its format is per Python version, hence the name.
    """

    def __init__(self, root: str):
        self.folder = os.path.join(root, ".assistantgit")
        name = "validate-v%d-py%d%d.marshal" % (CACHE_VERSION, *sys.version_info[:2])
        self.path = os.path.join(self.folder, "cache", name)
        try:
            with open(self.path, "rb") as handle:
                entries = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            entries = {}
        self.entries = entries if isinstance(entries, dict) else {}
        self.dirty = False

    def get(self, source, key: str, compute):
        try:
            stat = os.stat(source.path)
        except OSError:
            return compute()
        stamp = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
        entry = self.entries.get(source.rel)
        if not isinstance(entry, tuple) or entry[0] != stamp:
            entry = (stamp, {})
            self.entries[source.rel] = entry
        if key not in entry[1]:
            entry[1][key] = compute()
            self.dirty = True
        return entry[1][key]

    def save(self, keep: set) -> None:
        for rel in set(self.entries) - keep:
            del self.entries[rel]
            self.dirty = True
        if not self.dirty:
            return
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            ignore = os.path.join(self.folder, ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as handle:
                    handle.write("# assistantgit validate's cache: never committed\n*\n")
            temp = self.path + ".%d.tmp" % os.getpid()
            with open(temp, "wb") as handle:
                marshal.dump(self.entries, handle)
            os.replace(temp, self.path)
        except (OSError, ValueError):
            pass  # a read-only tree or an unmarshallable value: no cache, same results
