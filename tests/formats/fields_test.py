"""`fields.fits`, the quick answer every read asks before `fields.problems`: it may only
say True when `problems` finds nothing, and it must say True for the files of real trees
(else every read pays for the generators it exists to spare)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistantgit import canonical
from assistantgit.formats import fields, registry
from assistantgit.formats.fields import ListOf
from testing.paths import SAMPLE_REPO
from testing.profile import examples

SHAPES = [
    shape for entry in registry.FORMATS for shape in registry.load(entry).field_shapes.values() if shape is not None
]
SETTINGS = settings(max_examples=examples(800), deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=3))
anything = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(max_size=3), children)),
    max_leaves=8,
)


def shaped(shape, draw, depth: int = 0):
    """Data that mostly fits `shape`, with a wrong value here and there."""
    if draw(st.integers(0, 9)) == 0 or depth > 6:
        return draw(anything)
    if isinstance(shape, dict):
        return {key: shaped(inner, draw, depth + 1) for key, inner in shape.items() if draw(st.booleans())}
    if isinstance(shape, ListOf):
        return [shaped(shape.item, draw, depth + 1) for _ in range(draw(st.integers(0, 3)))]
    kind = draw(st.sampled_from(shape))
    examples_of = {str: st.text(max_size=3), int: st.integers(), float: st.floats(), bool: st.booleans()}
    return draw(examples_of.get(kind, anything))


def test_every_format_declares_shapes():
    assert len(SHAPES) >= 5


@SETTINGS
@given(st.sampled_from(SHAPES), st.data())
def test_fits_says_true_only_where_problems_finds_nothing(shape, data):
    value = shaped(shape, data.draw)
    if fields.fits(shape, value):
        assert list(fields.problems(shape, value)) == []
    elif isinstance(shape, dict) and isinstance(value, dict) and not list(fields.problems(shape, value)):
        # where problems finds nothing in a mapping, fits says so too: no read takes the slow way for nothing
        assert fields.fits(shape, value)


@pytest.mark.parametrize("tree", ["dialog-skill", "actions-skill", "assistant-zip", "dialog-skill-fr"])
def test_every_file_of_a_sample_tree_fits_at_once(tree):
    root = SAMPLE_REPO / tree
    fmt = registry.tree_format(root)
    checked = 0
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        shape = fields.shape_for(fmt, rel)
        if shape is not None:
            assert fields.fits(shape, canonical.loads(path.read_text(encoding="utf-8"))), rel
            checked += 1
    assert checked > 3


@pytest.mark.parametrize(
    "shape, value, fits",
    [
        ({"a": (str, int)}, {"a": True}, False),  # true is an int to Python, not a number to JSON
        ({"a": (str, int)}, {"a": 3}, True),
        ({"a": (str,)}, {"a": None}, True),  # null is an absent field
        ({"a": ListOf((str,))}, {"a": ["x", None]}, False),
        ({"a": ListOf({"b": (bool,)})}, {"a": [{"b": 1}]}, False),
        ({"a": ListOf({"b": (bool,)})}, {"a": [{"b": False, "c": 1}]}, True),
        ({"a": {"b": (list,)}}, {"a": "text"}, False),
    ],
)
def test_fits_on_the_edges(shape, value, fits):
    assert fields.fits(shape, value) is fits
    assert (list(fields.problems(shape, value)) == []) is fits


def _names_a_tree_may_hold(fmt) -> list[str]:
    """Its root and list files, files in each collection folder (at any depth), and in others."""
    named = [fmt.root_file, *(list_file.file for list_file in fmt.list_files)]
    folders = [c.folder for c in fmt.collections] + ["other", "skill.yaml"]
    inside = [f"{folder}/{name}" for folder in folders for name in ("a.yaml", "b/c.yaml", "skill.yaml")]
    parts = [f"{part}/{rel}" for part in getattr(fmt, "parts", {}) for rel in _names_a_tree_may_hold(fmt.parts[part])]
    return named + inside + parts + ["a.yaml", "counterexamples.yaml", "webhooks.yaml"]


@pytest.mark.parametrize("entry", registry.FORMATS)
def test_the_shape_finder_of_a_tree_finds_what_shape_for_finds(entry):
    """push looks every file's shape up through shape_finder: it must agree with shape_for."""
    fmt = registry.load(entry)
    find = fields.shape_finder(fmt)
    for rel in _names_a_tree_may_hold(fmt):
        assert find(rel) is fields.shape_for(fmt, rel), rel
