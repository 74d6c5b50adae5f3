"""The fast reader's canonical verdict, checked while parsing, against re-emitting with `dumps`.

fast_loads used to re-emit every file it read and compare; it now checks each line as it
reads it and re-emits only when a check is unsure. These tests hold the new verdict to
the old one on generated texts, on texts edited in the ways people and tools edit YAML,
and on every file of real trees (the samples and, when present, the shared corpus); and
whatever the fast reader takes, the general reader (ruamel.yaml) reads to the same data."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistantgit import pipeline
from assistantgit.canonical import canonical_json, dumps, fast_loads, is_canonical, slow_loads
from assistantgit.canonical.emit import RESERVED_PLAIN, block_lines, write_string
from assistantgit.canonical.read import NotCanonical, _FastReader
from assistantgit.canonical.written import NOT_PLAIN_START, all_plain, block_as_written, plain_but_first
from testing.canonical_texts import hand_edited, respelled, texts_and_values, tree_texts
from testing.paths import SAMPLE_REPO, corpus_files
from testing.profile import examples, sweep

# Values that sit on the edges of the plain and quoted styles, numbers and blocks.
EDGES = ["yes", "Null", "~", "-0", "01", "1.0", "1.5e+20", "1e5", "-.inf", ".nan", "0x1F", "- a", "a: b", "a:"]
EDGES += ["a #b", " x", "x ", "é", "\u2028", "\x85", "#", "[]", "{}", "|", "|-", "|+", "''", "1_000", "true", "null"]
TOKENS = EDGES + [json.dumps(edge, ensure_ascii=False) for edge in EDGES] + ['"\\u00e9"', '"a\\nb"', '"\\/"']

text, json_like = texts_and_values(EDGES, list_size=4, max_leaves=25)
documents = st.one_of(st.dictionaries(text, json_like, max_size=6), st.lists(json_like, max_size=6))
SETTINGS = settings(max_examples=examples(500), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reemitted_verdict(text: str) -> bool:
    """The verdict as fast_loads gave it before: parse, re-emit everything, compare."""
    try:
        data = _FastReader(text).document()
    except (NotCanonical, IndexError, RecursionError):
        return False
    return dumps(data) == text


def assert_same_verdict(text: str) -> None:
    """The new verdict is the old one, and whenever the reader is sure, it is right."""
    assert is_canonical(text) == reemitted_verdict(text), repr(text)
    try:
        reader = _FastReader(text)
        data = reader.document()
    except (NotCanonical, IndexError, RecursionError):
        return
    if not reader.unsure:
        assert dumps(data) == text, repr(text)
    try:
        taken = fast_loads(text)
    except NotCanonical:
        return
    assert canonical_json(taken) == canonical_json(slow_loads(text)), repr(text)


@SETTINGS
@given(documents)
def test_every_text_dumps_writes_is_proven_canonical_while_reading(data):
    """The fast path itself: no canonical text needs re-emitting to be recognised."""
    written = dumps(data)
    reader = _FastReader(written)
    reader.document()
    assert not reader.unsure, repr(written)
    assert is_canonical(written)


@SETTINGS
@given(documents, st.data())
def test_edited_texts_get_the_verdict_re_emitting_gives(data, draw):
    written = dumps(data)
    edited = written
    for _ in range(draw.draw(st.integers(1, 3))):
        edited = hand_edited(edited, draw.draw, TOKENS, ways=("chars", "value", "swap", "indent"))
    assert_same_verdict(edited)


def one_line_texts():
    """Non-empty texts without a line break, as the reader takes plain texts from one line."""
    return st.one_of(text, st.sampled_from(sorted(RESERVED_PLAIN)).map(str.upper)).filter(
        lambda value: value != "" and "\n" not in value
    )


@SETTINGS
@given(st.lists(one_line_texts(), min_size=1, max_size=6))
def test_plain_texts_are_checked_together_as_write_string_checks_each(texts):
    """all_plain is write_string's own test made on many texts at once: it never says yes
    where a text would be quoted (then the reader would take a quoted style for plain)."""
    each = all(write_string(value) == value for value in texts)
    assert all_plain(texts) == each, texts


@SETTINGS
@given(st.lists(one_line_texts().filter(lambda value: value[0] not in NOT_PLAIN_START), min_size=1, max_size=6))
@example(["a", "b: c"]).via("': ' inside")
@example(["a #b", "c"]).via("' #' inside")
@example(["a", "b:"]).via("':' last")
@example(["a ", "b"]).via("' ' last")
@example(["Yes"]).via("a word YAML reads as another type")
@example(["a\u2028b"]).via("a character not printable")
@example(["a:b", "c#d", "e"]).via("plain")
def test_plain_texts_whose_first_characters_the_reader_checked_are_checked_as_write_string_does(texts):
    """plain_but_first, what the reader asks at the end of a file, is all_plain for texts
    whose first characters the reader's loops have let through."""
    each = all(write_string(value) == value for value in texts)
    assert plain_but_first(texts) == each == all_plain(texts), texts


@SETTINGS
@given(
    st.sampled_from(["|", "|-", "|+"]),
    st.lists(st.text(st.sampled_from([" ", "a", "b", "#", ":", "\t", "\x85", "é", "\u2028"]), max_size=3), max_size=4),
)
@example("|-", ["a", "a "]).via("a last line ending in a space")
@example("|", ["a", "a "]).via("a line ending in a space")
@example("|", ["a\t"]).via("a character not printable")
@example("|", [" a"]).via("a first line indented more")
@example("|+", ["", "a"]).via("an empty first line")
@example("|-", ["a"]).via("one line: no line break to write as a block")
@example("|+", ["a"]).via("no empty line to keep")
@example("|+", ["a", ""]).via("a block as written")
def test_a_block_read_is_checked_as_block_lines_would_write_it(indicator, lines):
    """block_as_written gives block_lines' verdict on the lines of a block, as the reader
    collects them (trailing empty lines dropped unless `|+`)."""
    while indicator != "|+" and lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return
    text = "\n".join(lines) + ("" if indicator == "|-" else "\n")
    assert block_as_written(indicator, lines, text) == (block_lines(text) == (indicator, lines)), (indicator, lines)


def test_only_ascii_letters_fold_to_the_letters_of_words_yaml_reserves():
    """all_plain spells the reserved words in every mix of ASCII case; no other character
    lowers to one of their letters (the Kelvin sign lowers to 'k', which none holds)."""
    letters = set("".join(RESERVED_PLAIN))
    folding = [chr(code) for code in range(0x110000) if chr(code).lower() in letters]
    assert all(char.isascii() for char in folding), [char for char in folding if not char.isascii()]
    assert not all_plain(["x", "NuLl"]) and not all_plain(["Yes"]) and all_plain(["yess", "nulls"])


@pytest.mark.parametrize(
    "written",
    [
        "a: -0\n",
        "a: 01\n",
        "a: 1e5\n",
        "a: 1.0e+5\n",
        "a: 1.50\n",
        'a: "yes"\n',
        "a: yes\n",
        'a: "b"\n',
        '"a": 1\n',
        "b: 1\na: 2\n",
        "a:\n  - x\n  -\n    b: 1\n",
        "- |\n  a\n  b\n",
        "- |-\n  a\n",
        "- |+\n  a\n",
        "- |\n  a\n    \n  b\n",
        "- |\n  a\n  \n  b\n",
        "- |\n   a\n  b\n",
        'a: "x\\ny"\n',
        'a: "x \\ny"\n',
        'a: "\\u00e9"\n',
        "a: \u00e9\n",
        "- a\n-\n  - b\n",
        "-\n  b: 1\n",
        "a:\n  {}\n",
        "a: b: c\n",
        "a: b #c\n",
        "- yes: a\n",
        "- a: yes\n",
        "- a: Yes\n",
        "- a #: b\n",
        "- a: b #\n",
        "- a:: b\n",
        "- !a: b\n",
        "- a: !b\n",
        "- a: b\n  c: d\n",
        "- c: d\n  a: b\n",
        "- a: b\n    c: d\n",
        "- a: b\n-\n  c: d\n",
        "- a\n-\n  - b\n  -\n    - c\n",
        "-\n  -\n",
        "a:\n  yes: b\n",
        "a:\n  b: c\n",
        "a:\n  -b: c\n",
        "a:\n  - b\n  - !c\n  - -d\n  - 1a\n",
        "- a\n- b:\n- c\n",
        "a: |\n  x \n",
        "a: |\n  x\n  \n  y\n",
        "a: |-\n  x\n",
        "a: |-\n  x\n  y\n",
        "a: |+\n  x\n",
        "a: |+\n  x\n\n",
        "a: |\n\n  x\n",
        "a: |\n   x\n",
        "a: |+\n",
        "a: b\n\nc: d\n",
        "a:\n  b: c\n  \n",
        "a:\n  \n  b: c\n",
        "a: \n",
        "- \n",
        "-\n",
        "\x00a: b\n",
        "a: b\n\x00\n",
        "a:\n  - b\n\n",
        "a: |-\n  x\n\nb: c\n",
        "a:\n",
        "\n",
    ],
)
def test_texts_on_the_edge_of_the_style(written):
    assert_same_verdict(written)


def test_every_sample_tree_file_is_proven_canonical_while_reading():
    texts = [text for tree in sorted(SAMPLE_REPO.iterdir()) if tree.is_dir() for text in tree_texts(tree)]
    assert len(texts) > 50
    for text in texts:
        assert_same_verdict(text)
        if is_canonical(text):
            reader = _FastReader(text)
            reader.document()
            assert not reader.unsure


@pytest.mark.parametrize("export", sweep(corpus_files("dialog") + corpus_files("actions")) or [None])
def test_real_trees_get_the_verdict_re_emitting_gives(export, tmp_path):
    if export is None:
        pytest.skip("the shared corpus of real exports is not present (../shared/corpus)")
    pipeline.pull_file(export, tmp_path / "tree")
    for text in tree_texts(tmp_path / "tree"):
        assert is_canonical(text)
        reader = _FastReader(text)
        reader.document()
        assert not reader.unsure
        for edited in respelled(text, lambda line: ("yes", '"x"', "01", "  " + line.lstrip(" ")), lines_tried=20):
            assert_same_verdict(edited)
