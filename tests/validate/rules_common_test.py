"""The training rules' batched normalization and the dialog rules' restraint on a commit
of non-node files: both are speed-ups that must not change a finding."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit.validate import validate
from assistantgit.validate.rules._common import normalized, normalized_all
from testing.paths import SAMPLE_REPO
from testing.profile import examples

# Texts with what normalization cares about: case (final sigma, ß, dotted I), runs and ends
# of spaces, line breaks, tabs and other white space that is not a plain space.
spaces = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u2028", "\u3000", "\r"])
letters = st.sampled_from(["a", "Σ", "ς", "ß", "İ", "ﬁ", "K", "é", "🙏", "\u0301"])
texts = st.lists(st.one_of(letters, spaces, st.text(max_size=3)), max_size=8).map("".join)


@settings(max_examples=examples(600), deadline=None)
@given(st.lists(texts, max_size=12))
def test_normalized_all_is_normalized_of_each(batch):
    assert normalized_all(batch) == [normalized(text) for text in batch]


def test_normalized_all_of_usual_texts_takes_the_batch_path():
    batch = ["Hello There", "ΣΟΦΙΑ", "Straße"]
    assert normalized_all(batch) == ["hello there", "σοφια", "strasse"]
    assert normalized_all([]) == []


@pytest.mark.parametrize(
    ("batch", "expected"),
    [
        (["Two  Spaces", "b"], ["two spaces", "b"]),
        (["Trailing ", "b"], ["trailing", "b"]),
        (["a", " Leading"], ["a", "leading"]),
        ([" Alone"], ["alone"]),
        (["alone "], ["alone"]),
        (["a", "", "b"], ["a", "", "b"]),
        (["Tab\tHere", "b"], ["tab here", "b"]),
        (["a b", "c d"], ["a b", "c d"]),
    ],
)
def test_normalized_all_finds_spaces_at_any_place_of_any_text(batch, expected):
    assert normalized_all(batch) == expected == [normalized(text) for text in batch]


def test_a_commit_of_an_intent_file_does_not_read_the_nodes(tmp_path, monkeypatch, private_cache):
    """The dialog rules (AG301-AG307) report on named node files only: with none named they
    must not gather the links of every node of the tree (3,000 files in a large skill)."""
    from assistantgit.validate import _tree

    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    intent = sorted((root / "intents").iterdir())[0]
    read = []
    original = _tree.Tree.nodes.func

    def nodes(self):
        read.append(True)
        return original(self)

    monkeypatch.setattr(_tree.Tree, "nodes", _tree.cached_property(nodes), raising=True)
    _tree.Tree.nodes.__set_name__(_tree.Tree, "nodes")
    assert [f.rule for f in validate([intent], root) if f.rule.startswith("AG3")] == []
    assert read == []
    node = sorted((root / "dialog_nodes").iterdir())[0]
    validate([node], root)
    assert read == [True]
