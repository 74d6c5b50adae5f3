"""json_size counts a canonical text's compact JSON size without building the data: it must
give exactly what json.dumps gives for what `loads` reads, or None (then the caller parses).
Checked on generated texts, on texts edited the ways people edit YAML, on the sample trees
and on every file of the real trees of the shared corpus."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistantgit import pipeline
from assistantgit.canonical import dumps, fast_loads, is_canonical, json_size
from testing.canonical_texts import hand_edited, respelled, texts_and_values, tree_texts
from testing.paths import SAMPLE_REPO, corpus_files
from testing.profile import examples, sweep

EDGES = ["yes", "Null", "~", "-0", "01", "1.0", "1.5e+20", "-.inf", ".nan", "0x1F", "- a", "a: b", "a:", "a #b"]
EDGES += [" x", "x ", "é", "\u2028", "\x85", "\u00a0", "#", "[]", "{}", "|", "|-", '"', "\\", 'say "hi"', "\t"]
TOKENS = EDGES + [json.dumps(edge, ensure_ascii=False) for edge in EDGES] + ['"\\u00e9"', '"a\\nb"', "|", "- x"]

text, json_like = texts_and_values(EDGES, list_size=5, max_leaves=30)
# Documents shaped like items: a mapping with a list of texts (examples, synonyms) among its keys.
items = st.builds(
    lambda data, key, texts: {**data, key: texts},
    st.dictionaries(text, json_like, max_size=5),
    st.sampled_from(["examples", "values", "b"]),
    st.lists(st.one_of(text, json_like), max_size=8),
)
documents = st.one_of(items, st.dictionaries(text, json_like, max_size=6), st.lists(json_like, max_size=6))
SETTINGS = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def json_bytes(data) -> int:
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def texts_per_list(data) -> dict:
    """What json_size says of a top-level mapping: how many items of each of its lists are texts."""
    if not isinstance(data, dict):
        return {}
    counts = {key: sum(type(item) is str for item in value) for key, value in data.items() if isinstance(value, list)}
    return {key: count for key, count in counts.items() if count}


def assert_exact(written: str) -> bool:
    """json_size of the text is None, or the text is canonical and the count is json.dumps's.
    True when it counted."""
    counted = json_size(written)
    if counted is None:
        return False
    assert is_canonical(written), repr(written)
    data = fast_loads(written)
    assert counted.size == json_bytes(data), repr(written)
    assert counted.texts == texts_per_list(data), repr(written)
    return True


@SETTINGS
@given(documents)
def test_what_dumps_writes_is_counted_exactly(data):
    written = dumps(data)
    counted = assert_exact(written)
    # it declines only texts that hold a character that is not printable (kept as it is in quotes)
    assert counted or not written.replace("\n", "").isprintable(), repr(written)


@SETTINGS
@given(documents, st.data())
def test_edited_texts_are_counted_exactly_or_declined(data, draw):
    written = dumps(data)
    for _ in range(draw.draw(st.integers(1, 3))):
        written = hand_edited(written, draw.draw, TOKENS)
    assert_exact(written)


@pytest.mark.parametrize(
    "written",
    [
        "a: b\n",
        "b: 1\na: 2\n",  # not the canonical order
        "a: 1\na: 2\n",  # the same key twice: the slow reader refuses it
        "a: yes\n",
        'a: "yes"\n',
        'a: "b"\n',
        '"a": 1\n',
        '"1": x\n',
        "a: -0\n",
        "a: 1.0e+20\n",
        "a: .inf\n",
        "a: .nan\n",
        "a:\n  - x\n  -\n    - y\n",
        "a:\n  -\n    b: 1\n",
        "a:\n",
        "a:\nb: 1\n",
        "a:\n  - x\n    y\n",  # a plain text folded over two lines
        "a:\n  - x\n - y\n",
        "- a\n- b\n",
        "- a\n-  b\n",
        "- a\n- \n",
        '- a\n- null\n- Null\n- 5\n- say "hi" \\ there\n- a: b\n',
        "- |\n  a\n  b\n",
        "- |-\n  a\n",
        "- |+\n  a\n\n",
        "- |\n  a\n\n  b\n",
        "- |\n  a\n\n",
        "a: |-\n  x\n  y\nb: 1\n",
        'a: "\\u2028"\n',
        'a: "x \\ny"\n',
        "a: \u00e9\u00e8\n",
        "a: {}\nb: []\n",
        "{}\n",
        "[]\n",
        "",
        "\n",
        "a: b",
        "a: b\r\n",
        "a:\tb\n",
        "a: b # c\n",
        'examples:\n  - x\n  - text: y\n  - 1\n  - "2"\n  - |-\n    z\n    w\n',
    ],
)
def test_texts_on_the_edge_of_the_style(written):
    assert_exact(written)


def test_every_canonical_file_of_the_sample_trees_is_counted_exactly():
    texts = [text for tree in sorted(SAMPLE_REPO.iterdir()) if tree.is_dir() for text in tree_texts(tree)]
    assert len(texts) > 50
    assert sum(assert_exact(text) for text in texts) > 50


@pytest.mark.parametrize("export", sweep(corpus_files("dialog") + corpus_files("actions")) or [None])
def test_every_file_of_a_real_tree_is_counted_exactly(export, tmp_path):
    if export is None:
        pytest.skip("the shared corpus of real exports is not present (../shared/corpus)")
    pipeline.pull_file(export, tmp_path / "tree")
    for text in tree_texts(tmp_path / "tree"):
        assert_exact(text)
        for changed in respelled(text, lambda _line: ("yes", '"x"', "01", "a: b"), lines_tried=10):
            assert_exact(changed)
