"""AG209 checks a whole tree's node ids in one match: its verdict is NODE_ID's on each id."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assistantgit.validate.rules.names import NODE_ID, node_ids_allowed

# ids near the edge of NODE_ID's characters: letters of any script, '_', ' ', '-', '.', and
# the ones it refuses (line breaks, tabs, '/', '#', '$', an empty id)
ids = st.lists(st.one_of(st.text(max_size=6), st.text(alphabet="a9_ .-\n\t\r/#é字", max_size=4)), max_size=8)


@given(ids)
def test_one_match_over_all_ids_says_what_each_match_says(texts):
    assert node_ids_allowed(texts) == all(NODE_ID.fullmatch(text) for text in texts)


def test_examples():
    assert node_ids_allowed(["node_1", "Welcome node.", "ノード-2"])
    assert not node_ids_allowed(["node_1", "a\nb"])  # within an id, a line break is refused
    assert not node_ids_allowed(["node_1", "a\tb"])
    assert not node_ids_allowed(["node_1\n", "b"])
    assert not node_ids_allowed(["node_1", ""])
    assert not node_ids_allowed(["node_1", "a/b"])
