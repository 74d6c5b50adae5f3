"""exportjson: the checks an untrusted export goes through, against their definitions."""

from __future__ import annotations

import codecs
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit.exportjson import (
    _deep_place,
    _escapes_replaced,
    _escapes_split,
    _without_escapes,
    nesting_beyond,
)
from testing.paths import corpus_cases
from testing.profile import examples

# Texts full of what the nesting check cuts out or must not be fooled by.
tricky = st.text(alphabet=st.sampled_from('[]{}"\\ab:,'), max_size=6)
values = st.recursive(
    st.one_of(tricky, st.integers(), st.none()),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(tricky, children, max_size=3)),
    max_leaves=40,
)


def depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@settings(max_examples=examples(600), deadline=None)
@given(values, st.integers(1, 8), st.booleans())
def test_nesting_beyond_is_the_depth_of_the_data(value, limit, spaced):
    text = json.dumps(value, indent=1 if spaced else None, ensure_ascii=False)
    found = nesting_beyond(text, limit)
    if depth(value) > limit:
        assert found == _deep_place(text, limit)
    else:
        assert found is None


# Bytes that are mostly what escapes are made of: runs of backslashes before quotes, brackets
# and letters, in any order (valid JSON or not: the nesting check runs before the parse).
escape_soup = st.binary(max_size=40).map(lambda raw: bytes(b'\\\\"[a{'[byte % 5] for byte in raw))


@settings(max_examples=examples(3000), deadline=None)
@given(escape_soup | st.binary(max_size=40))
def test_the_split_walk_drops_the_escapes_the_replacements_drop(data):
    assert _escapes_split(data) == _escapes_replaced(data)
    assert _without_escapes(data) == _escapes_replaced(data)


@pytest.mark.parametrize("path", corpus_cases("dialog") + corpus_cases("actions") + corpus_cases("bad"))
def test_real_exports_get_the_same_nesting_verdict_either_way(path):
    raw = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    assert _escapes_split(raw) == _escapes_replaced(raw)
    text = raw.decode("utf-8", "replace")  # bad/ holds a file that is not UTF-8 and one that is not JSON
    encoded = text.encode("utf-8")
    try:
        deepest = depth(json.loads(text))
    except ValueError:
        deepest = None
    for limit in (3, 8, 100):  # at 3 most exports are too deep: the place must be the same
        assert nesting_beyond(text, limit, encoded) == nesting_beyond(text, limit)
        if deepest is not None:
            assert nesting_beyond(text, limit) == (_deep_place(text, limit) if deepest > limit else None)
