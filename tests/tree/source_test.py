"""open_tree names each file's kind once per folder and builds its path by concatenation:
both must give exactly what kind_of and os.path.join give, for every format."""

from __future__ import annotations

import os

import pytest

from assistantgit.formats import registry
from assistantgit.tree.source import _kinds_of, kind_of, open_tree
from testing.paths import SAMPLE_REPO

FORMATS = [registry.load(entry) for entry in registry.FORMATS]


def _names(fmt) -> list[str]:
    """Every shape of name a tree of this format may hold: its root and list files, each
    collection's files (nested too), other YAML, other files, at the top and in folders."""
    folders = [c.folder for c in fmt.collections] + ["other", "nested/deeper"]
    names = [fmt.root_file, "x.yaml", "x.json", "README.md", ".hidden.yaml"]
    names += [list_file.file for list_file in fmt.list_files]
    for folder in folders:
        names += [f"{folder}/a.yaml", f"{folder}/b.yaml", f"{folder}/c.json", f"{folder}/sub/d.yaml", f"{folder}/e"]
    names += [f"{list_file.file}/inside.yaml" for list_file in fmt.list_files]
    return names


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda fmt: fmt.name)
def test_the_kinds_made_once_per_folder_are_kind_of(fmt):
    names = _names(fmt)
    for order in (names, list(reversed(names))):  # whichever file of a folder comes first
        kinds = _kinds_of(fmt)
        assert [kinds(rel) for rel in order] == [kind_of(rel, fmt) for rel in order]


@pytest.mark.parametrize("name", ["dialog-skill", "actions-skill", "assistant-zip", "avaamo-agent"])
def test_every_file_of_a_sample_tree_has_its_kind_and_path(name):
    opened = open_tree([], SAMPLE_REPO / name)
    assert opened.files
    for rel, source in opened.files.items():
        assert source.kind == kind_of(rel, opened.fmt)
        assert source.path == os.path.join(str(SAMPLE_REPO / name), rel)


def test_a_root_or_list_file_inside_a_collection_folder_keeps_its_own_kind():
    """No format has one today; a format that did must not see it take its folder's kind."""
    from types import SimpleNamespace

    fmt = SimpleNamespace(
        root_file="items/root.yaml",
        list_files=(SimpleNamespace(file="items/list.yaml", kind="listed"),),
        collections=(SimpleNamespace(folder="items"),),
    )
    names = ["items/a.yaml", "items/root.yaml", "items/list.yaml", "items/b.yaml"]
    kinds = _kinds_of(fmt)  # type: ignore[arg-type]
    assert [kinds(rel) for rel in names] == ["items", "skill", "listed", "items"]
    assert [kind_of(rel, fmt) for rel in names] == ["items", "skill", "listed", "items"]  # type: ignore[arg-type]
