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
