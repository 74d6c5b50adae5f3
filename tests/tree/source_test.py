"""tree.source: the kind of each file of an opened tree."""

from __future__ import annotations

import pytest

from assistantgit.formats import registry
from assistantgit.tree.source import kind_finder, kind_of


def names_a_tree_may_hold(fmt) -> list[str]:
    """Its root and list files, files in each collection folder (at any depth) and in others,
    YAML or not."""
    named = [fmt.root_file, *(list_file.file for list_file in fmt.list_files)]
    folders = [c.folder for c in fmt.collections] + ["other", "skill.yaml"]
    inside = [f"{folder}/{name}" for folder in folders for name in ("a.yaml", "b/c.yaml", "skill.yaml", "a.json")]
    return named + inside + ["a.yaml", "a.txt", "counterexamples.yaml", "webhooks.yaml", "intents.yaml"]


@pytest.mark.parametrize("entry", registry.FORMATS)
def test_the_kind_finder_of_a_tree_finds_what_kind_of_finds(entry):
    """open_tree names every file's kind through kind_finder: it must agree with kind_of."""
    fmt = registry.load(entry)
    kind = kind_finder(fmt)
    for rel in names_a_tree_may_hold(fmt):
        assert kind(rel) == kind_of(rel, fmt), rel
