"""exportjson: the checks an untrusted export goes through, against their definitions."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit.exportjson import _deep_place, nesting_beyond
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
