"""canonical: what `dumps` writes is YAML that ruamel.yaml reads back to the same
data, `loads` reads it back exactly, and anything a person edits into another style is
still read correctly (through ruamel.yaml) and reported as not canonical."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from assistantgit import canonical
from assistantgit.canonical import dumps, is_canonical, loads, slow_loads
from assistantgit.errors import InputError
from testing.profile import examples

# Text a naive writer gets wrong, mixed into arbitrary text below.
AWKWARD = [
    "",
    " ",
    "null",
    "Null",
    "NULL",
    "~",
    "true",
    "True",
    "false",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "<<",
    "=",
    "1",
    "-1",
    "007",
    "1.5",
    "1e-05",
    ".5",
    "+1",
    "0x1F",
    "0o17",
    ".inf",
    "-.inf",
    ".nan",
    "2021-03-04",
    "2021-03-04T10:11:12Z",
    "12:30",
    "1_000",
    "#",
    "# not a comment",
    "a #b",
    "a#b",
    "a: b",
    "a:",
    "a:b",
    "- a",
    "-",
    "--- ",
    "...",
    "? a",
    "[a]",
    "{a: 1}",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "'",
    '"',
    "%YAML",
    "@at",
    "`tick",
    " leading",
    "trailing ",
    "tab\there",
    "\t",
    "line\nbreak",
    "ends\n",
    "ends\n\n",
    "\n",
    "\n\nx",
    "a\n\n\nb\n",
    "x \ny",
    "\u2028",
    "a\u2029b",
    "\x85",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "\x7f",
    "é",
    "日本語",
    "🙂 emoji",
    "👍🏽",
    "back\\slash",
    'say "hi"',
    "it's",
    "a  b",
    "a\r\nb",
    "\r",
]
text = st.one_of(
    st.text(), st.sampled_from(AWKWARD), st.text(alphabet=st.sampled_from(" \n\t:#-'\"|>ab1.é\u2028🙂"), max_size=10)
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False),
    st.sampled_from([1e-05, 1e16, -0.0, 0.1, 1e300, 5e-324]),
    text,
)
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(text, children, max_size=4)),
    max_leaves=30,
)
documents = st.one_of(st.dictionaries(text, json_like, max_size=6), st.lists(json_like, max_size=6))
SETTINGS = settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ruamel_load(yaml_text: str):
    return YAML(typ="safe", pure=False).load(yaml_text)


def same(a, b) -> bool:
    """Equality that also tells 1 from 1.0 and True from 1 (JSON does)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):  # key order is the writer's business
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@SETTINGS
@given(documents)
def test_ruamel_reads_what_dumps_writes(data):
    written = dumps(data)
    assert written.endswith("\n")
    assert same(ruamel_load(written), data)


@SETTINGS
@given(documents)
def test_loads_reads_back_exactly_and_dumps_is_canonical(data):
    written = dumps(data)
    assert same(loads(written), data)
    assert is_canonical(written)
    assert dumps(loads(written)) == written


@SETTINGS
@given(documents, st.data())
def test_edited_text_reads_the_same_as_ruamel(data, draw):
    """The fast path may decline a text, never misread it: after any small edit, loads
    agrees with ruamel.yaml (or both reject the text)."""
    written = dumps(data)
    position = draw.draw(st.integers(0, len(written)))
    removed = draw.draw(st.integers(0, 3))
    inserted = draw.draw(st.text(alphabet=st.sampled_from(" -:#'\"|\n{}[]a1"), max_size=3))
    edited = written[:position] + inserted + written[position + removed :]
    try:
        expected = slow_loads(edited)
    except InputError:
        with pytest.raises(InputError):
            loads(edited)
        return
    assert same(loads(edited), expected)
    if is_canonical(edited):
        assert dumps(expected) == edited


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_special_floats(value):
    written = dumps({"x": value})
    assert written == {float("inf"): "x: .inf\n", float("-inf"): "x: -.inf\n"}.get(value, "x: .nan\n")
    assert same(loads(written)["x"], value)
    assert same(ruamel_load(written)["x"], value)


def test_the_canonical_style():
    data = {
        "zeta": 1,
        "name": "Greeting",
        "examples": ["hello", "hi there"],
        "values": [],
        "output": {"text": "Line one\nline two\n", "empty": {}},
        "description": None,
        "nested": [{"b": 1, "a": [1.5, True]}, [], "yes"],
    }
    assert dumps(data) == (
        "name: Greeting\n"
        "description: null\n"
        "examples:\n"
        "  - hello\n"
        "  - hi there\n"
        "values: []\n"
        "nested:\n"
        "  - a:\n"
        "      - 1.5\n"
        "      - true\n"
        "    b: 1\n"
        "  - []\n"
        '  - "yes"\n'
        "output:\n"
        "  text: |\n"
        "    Line one\n"
        "    line two\n"
        "  empty: {}\n"
        "zeta: 1\n"
    )


@pytest.mark.parametrize(
    "value, written",
    [
        ("one\ntwo", "t: |-\n  one\n  two\n"),
        ("one\ntwo\n", "t: |\n  one\n  two\n"),
        ("one\ntwo\n\n", "t: |+\n  one\n  two\n\n"),
        ("one\n\ntwo", "t: |-\n  one\n\n  two\n"),
        (" indented\nfirst", 't: " indented\\nfirst"\n'),  # a block cannot start with a space
        ("trailing \nspace", 't: "trailing \\nspace"\n'),  # nor keep a line's trailing space
        ("tab\there\nx", 't: "tab\\there\\nx"\n'),
    ],
)
def test_multi_line_text_styles(value, written):
    assert dumps({"t": value}) == written
    assert loads(written) == {"t": value}


def test_plain_scalar_rule_matches_its_regular_expression():
    """_string's fast test is the documented _NEEDS_QUOTES rule, written without regex."""

    @settings(max_examples=examples(3000), deadline=None)
    @given(st.one_of(text, st.text(alphabet=st.sampled_from(" :#-?,[]{}&*!|>'\"%@`0123456789+.\tab\u00a0"))))
    def check(value):
        plain = (
            bool(value)
            and value.isprintable()
            and value.lower() not in canonical.emit.RESERVED_PLAIN
            and not canonical.emit.NEEDS_QUOTES.search(value)
        )
        assert (canonical.write_string(value) == value) == plain

    check()


# Lists of texts as pulls write them by the thousand (examples, synonyms): mostly plain words,
# with the texts write_string must quote mixed in, and now and then an example with mentions.
words = st.text(alphabet=st.sampled_from("ab yz"), max_size=8)
text_lists = st.lists(
    st.one_of(words, words, text, st.sampled_from(AWKWARD), st.dictionaries(words, text, max_size=2), st.integers()),
    max_size=8,
)


# Texts that read plain but for their ends or for being a reserved word, alone and beside a mapping.
PLAIN_BUT_FOR = ["ab ", "ab:", "-ab", "#ab", "1ab", "yes", "No", "", "abc def", "null"]


@SETTINGS
@given(st.one_of(text_lists, st.dictionaries(text, text_lists, max_size=3), st.lists(text_lists, max_size=3)))
@example(PLAIN_BUT_FOR)
@example([*PLAIN_BUT_FOR, {"text": "a", "mentions": []}])
@example([*PLAIN_BUT_FOR, 1])
@example(["a", "b: c", {"a": 1}])
@example(["a", "b\tc", {"a": 1}])
def test_lists_of_texts_are_written_as_one_text_at_a_time(data):
    """emit tests the texts of a list in one go (issue 14); the per-item way is the reference."""
    reference = _per_item(data)
    assert dumps(data) == reference


def _per_item(data) -> str:
    emit = canonical.emit
    inner_plain = emit._inner_plain
    emit._inner_plain = lambda texts: False
    try:
        return dumps(data)
    finally:
        emit._inner_plain = inner_plain


def test_keys_written_holds_every_key_dumps_wrote():
    dumps({"api_key": "x", "nested": [{"Authorization": 1, "text": "a", "a: b": 2}]})
    written = canonical.keys_written()
    assert written is not None
    for key in ("api_key", "nested", "Authorization", "text", "a: b"):
        assert written[key] == canonical.write_string(key) + ":"


HAND_EDITED = [
    # (what a person wrote, what it means)
    ("# a comment\nname: Greeting  # trailing comment\n", {"name": "Greeting"}),
    ("name: 'Greeting'\n", {"name": "Greeting"}),
    ("examples: [hello, 'hi there']\nname: x\n", {"examples": ["hello", "hi there"], "name": "x"}),
    ("name: x\r\nexamples:\r\n  - hello\r\n", {"name": "x", "examples": ["hello"]}),
    ("name: x\nexamples:\n- hello\n- hi\n", {"name": "x", "examples": ["hello", "hi"]}),
    ("name: x\nexamples:\n    -   hello\n", {"name": "x", "examples": ["hello"]}),
    ("output:\n    text: hi\n", {"output": {"text": "hi"}}),
    ("b: 1\na: 2\n", {"b": 1, "a": 2}),
    ("name: x", {"name": "x"}),
    ("name: x\n\n\n", {"name": "x"}),
    ("---\nname: x\n...\n", {"name": "x"}),
    ("text: >\n  folded\n  line\n", {"text": "folded line\n"}),
    ('text: "needlessly quoted"\n', {"text": "needlessly quoted"}),
    ("flag: yes\n", {"flag": "yes"}),
    ("when: 2021-03-04\n", {"when": "2021-03-04"}),
    ("1: one\n", {"1": "one"}),
    ("\ufeffname: x\n", {"name": "x"}),
]


@pytest.mark.parametrize("edited, meaning", HAND_EDITED)
def test_hand_edited_files_are_read_and_reported_non_canonical(edited, meaning):
    assert not is_canonical(edited)
    assert same(loads(edited, "intents/x.yaml"), meaning)


@pytest.mark.parametrize(
    "broken, line, column",
    [
        ("name: x\n  bad: indent\n", 2, 6),
        ("examples:\n  - [unclosed\n", 2, 5),  # where the list opens, not where the file ends
        ('name: "unterminated\n', 1, 7),  # the opening quote
        ("a: 1\na: 2\n", 2, 1),
        ("- a\nb: c\n", 2, 1),
        ("name: x\n\tbad: tab\n", 2, 1),
    ],
)
def test_yaml_errors_name_path_line_and_column(broken, line, column):
    with pytest.raises(InputError) as raised:
        loads(broken, "intents/Greeting.yaml")
    message = raised.value.message
    assert message.startswith(f"intents/Greeting.yaml:{line}:{column}: YAML error: "), message
    assert "\n" not in message


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join(['*' + prev] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi")
)
DEEP_BLOCK = "".join("  " * level + "k:\n" for level in range(10_000)) + "  " * 10_000 + "k: 1\n"


@pytest.mark.parametrize(
    "hostile, line, column, problem",
    [
        (BILLION_LAUGHS, 2, 8, "a YAML alias (*a)"),  # 397 bytes that expand to gigabytes
        ("a: &x 1\nb: *x\n", 2, 4, "a YAML alias (*x)"),
        ("base: &b {k: 1}\nnode:\n  <<: *b\n", 3, 7, "a YAML alias (*b)"),
        ("x: " + "[" * 10_000 + "]" * 10_000 + "\n", 1, 103, "nested more than 100 levels deep"),
        # 40,000 levels crashed the process (SIGSEGV) in ruamel.yaml's C composer: bounded before it
        ("x: " + "[" * 50_000 + "]" * 50_000 + "\n", 1, 103, "nested more than 100 levels deep"),
        ("- " * 50_000 + "x\n", 1, 201, "nested more than 100 levels deep"),
        ("x: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n", 1, 400, "nested more than 100 levels deep"),
        pytest.param(DEEP_BLOCK, 101, 201, "nested more than 100 levels deep", marks=pytest.mark.slow),  # 100 MB
        ("a: 1\nb: " + "9" * 5000 + "\n", 2, 4, "an integer of 5,000 digits; at most 1,000"),
        ("a: 1\nb: -" + "9" * 5000 + "\n", 2, 4, "an integer of 5,000 digits"),
        ("a:\n  - 1e400\n", 2, 5, "the number 1e400 is too large"),
    ],
)
def test_hostile_yaml_is_refused_with_its_place(hostile, line, column, problem):
    """Issue 11: aliases (billion laughs), deep nesting, huge integers and overflowing floats
    used gigabytes, crashed (exit 3) or became .inf; each is one line naming the place."""
    with pytest.raises(InputError) as raised:
        loads(hostile, "intents/x.yaml")
    message = raised.value.message
    assert message.startswith(f"intents/x.yaml:{line}:{column}: {problem}"), message
    assert "\n" not in message


def test_nesting_up_to_the_limit_is_read_by_both_readers():
    from assistantgit.limits import MAX_DEPTH

    data: object = {"leaf": 1}
    for level in range(MAX_DEPTH - 1):
        data = {"k": data} if level % 2 else [data]
    text = dumps(data)
    assert canonical.fast_loads(text) == data
    assert loads(text.replace("\n", "  # a comment\n", 1)) == data  # the slow reader
    with pytest.raises(InputError, match="nested more than 100 levels deep"):
        loads(dumps({"k": data}))  # canonical text one level deeper: the fast reader declines it


def test_values_a_skill_cannot_hold_are_input_errors():
    with pytest.raises(InputError, match=r"x\.yaml: a mapping key must be text"):
        loads("[1, 2]: x\n", "x.yaml")
    with pytest.raises(InputError, match=r"x\.yaml: a .* value cannot be part of a skill export"):
        loads("a: !!binary aGk=\n", "x.yaml")


def test_dumps_refuses_what_is_not_json_like():
    with pytest.raises(TypeError):
        dumps("just text")
    with pytest.raises(TypeError):
        dumps({"when": object()})


def test_the_fast_path_takes_canonical_text():
    """No silent fallback to the slow reader for what dumps writes (it would cost seconds)."""
    data = {"name": "big", "items": [{"text": f"example {i}", "n": i, "tags": ["a", "b: c"]} for i in range(2000)]}
    written = dumps(data)
    assert canonical.fast_loads(written) == data
    assert re.search(
        r'^  - text: example 0\n    "n": 0$', written, re.MULTILINE
    )  # 'n' alone reads as false in YAML 1.1


@SETTINGS
@given(documents, documents)
def test_format_text_skips_writing_only_when_normalizing_changes_nothing(data, normalized):
    """format_text returns a canonical text unchanged without writing it again when the
    normalized data is the same; its answer is always `dumps` of the normalized data."""
    text = dumps(data)
    assert canonical.format_text(text, lambda _: normalized) == dumps(normalized)
    assert canonical.format_text(text, lambda parsed: parsed) == text


def test_format_text_tells_values_apart_that_compare_equal():
    """1, 1.0 and True are equal in Python but written differently: a normalizer that puts
    one where the other was changes the text."""
    text = dumps({"values": [True, 1, 1.0, 0.0]})
    swapped = {"values": [1, True, 1.0, -0.0]}
    assert canonical.format_text(text, lambda _: swapped) == dumps(swapped) != text
    assert canonical.format_text(text, lambda _: {"values": [1.0, 1, True, 0.0]}) != text


@SETTINGS
@given(documents, st.data())
def test_locating_many_paths_in_one_text_is_locating_each_afresh(data, draw):
    """Lines remembers where sequences and values end for the next look-up: the answers
    are the same as a fresh look-up's, in any order."""
    text = dumps(data)
    paths = []

    def walk(node, path):
        paths.append(path)
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))
        paths.append((*path, "missing"))

    walk(data, ())
    order = draw.draw(st.permutations(paths))
    lines = canonical.Lines(text)
    assert [canonical.locate_canonical(lines, p) for p in order] == [canonical.locate_canonical(text, p) for p in order]
