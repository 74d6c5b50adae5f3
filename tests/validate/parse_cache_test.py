"""A whole-tree validate takes the data of files unchanged since an earlier run from the
parse cache, and AG701 the fact that they were canonical: the findings stay the same, and
an edit (even one keeping the size and the modification time) is always read again."""

from __future__ import annotations

import os
import shutil

from assistantgit.validate import validate
from testing.parsing import age_one_tick, count_parsed
from testing.paths import SAMPLE_REPO


def test_an_unchanged_tree_is_not_parsed_again_and_finds_the_same(tmp_path, monkeypatch):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    greeting = root / "intents" / "greeting.yaml"
    text = greeting.read_text(encoding="utf-8")
    greeting.write_text(text + "  - hello\n", encoding="utf-8")  # a finding (AG501, AG701) to keep
    age_one_tick()
    parsed = count_parsed(monkeypatch)
    first = validate([], root)
    assert parsed and {"AG501", "AG701"} <= {f.rule for f in first}
    parsed.clear()
    assert validate([], root) == first
    skill_files = {p.read_text(encoding="utf-8") for p in root.glob("*/*.yaml") if p.parent.name != "conversations"}
    assert parsed and not skill_files.intersection(parsed)  # only the conversation tests were parsed

    before = greeting.stat()
    restyled = text + "  - 'hel'\n"  # the same size: no longer a duplicate, no longer canonical
    assert len(restyled) == len(text + "  - hello\n")
    greeting.write_text(restyled, encoding="utf-8")
    os.utime(greeting, ns=(before.st_atime_ns, before.st_mtime_ns))  # only the change time moves
    parsed.clear()
    found = validate([], root)
    assert [t for t in parsed if t in skill_files or "'hel'" in t] == [restyled]
    assert [(f.path.endswith("greeting.yaml"), f.rule) for f in found if f.rule in ("AG501", "AG701")] == [
        (True, "AG701")
    ]


def test_named_files_never_load_the_parse_cache(tmp_path, monkeypatch):
    from assistantgit.validate import _tree

    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    validate([], root)
    opened = []
    monkeypatch.setattr(_tree.Tree, "preload_parsed", lambda self: opened.append(self))
    validate([root / "intents" / "greeting.yaml"], root)
    assert opened == []


def test_a_whole_tree_run_loads_only_the_small_facts_and_stats_each_file_once(tmp_path, monkeypatch):
    """A whole-tree run parses every file (or takes its data from the parse cache), so of the
    fact caches it needs only the JSON sizes and canonical marks: the cross-file facts that a
    run on named files keeps (5 MB for a 10 MB tree) are never loaded; and the caches of one
    run share each file's stamp: one stat a file, not one per cache."""
    from assistantgit.validate import _cache

    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    named = validate([root / "intents" / "greeting.yaml"], root)  # keeps the cross-file facts
    first = validate([], root)
    age_one_tick()
    loaded, stats = [], []
    real_load = _cache._load

    class StatsNoted:  # the os module as the caches see it, noting what they stat
        def __getattr__(self, name):
            return getattr(os, name)

        def stat(self, path, *args, **kwargs):
            stats.append(os.fspath(path))
            return os.stat(path, *args, **kwargs)

    monkeypatch.setattr(_cache, "_load", lambda path: loaded.append(os.path.basename(path)) or real_load(path))
    monkeypatch.setattr(_cache, "os", StatsNoted())
    assert validate([], root) == first
    assert len(loaded) == 2 and not [name for name in loaded if "-facts-" in name]  # the small facts and the data
    in_tree = [path for path in stats if path.startswith(str(root) + os.sep)]
    assert len(in_tree) > 30 and len(in_tree) == len(set(in_tree))
    loaded.clear()
    assert validate([root / "intents" / "greeting.yaml"], root) == named
    assert any("-facts-" in name for name in loaded)


def test_a_cache_file_is_written_and_read_without_copies_of_its_content(tmp_path):
    """A 100 MB tree's parse cache is ~85 MB: writing it joined the file's parts (one more
    copy), reading it sliced the payload twice (two more). Peak traced memory beyond what
    the entries themselves take stays under one and a half times the file."""
    import tracemalloc

    from assistantgit.validate._cache import FactCache

    cache = FactCache(str(tmp_path), "memory")
    cache.entries = {f"intents/i{n}.yaml": ((1, 1, n, n), {"data": (f"{n:04d}" * 500,)}) for n in range(2_000)}
    cache.dirty = True
    tracemalloc.start()
    try:
        cache.save(set(cache.entries))
        size = os.path.getsize(cache.path)
        _current, saving = tracemalloc.get_traced_memory()
        del cache
        tracemalloc.reset_peak()
        loaded = FactCache(str(tmp_path), "memory")
        held, reading = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(loaded.entries) == 2_000
    assert saving < 1.5 * size  # the payload once, not the payload and the whole file
    assert reading - held < 1.5 * size  # the file once while its entries are made, no slice of it
