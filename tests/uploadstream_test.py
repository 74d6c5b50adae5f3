"""uploadstream: the upload written piece by piece, in runs, against exportjson.upload_bytes
(and upload_bytes against its definition, json.dumps)."""

from __future__ import annotations

import copy
import json
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit import uploadstream
from assistantgit.exportjson import upload_bytes
from assistantgit.uploadstream import Unconverted, streamed_upload
from testing.profile import examples

# -- the upload written piece by piece against upload_bytes -------------------------------------------

# Texts with what the two ways of writing could treat apart: non-ASCII, DEL, a character past
# U+FFFF, a lone surrogate, control characters, quotes, and placeholders.
upload_texts = st.one_of(
    st.text(alphabet=st.sampled_from('aé\x7f😀\ud800\n\t"\\${}'), max_size=5),
    st.sampled_from(["${ASSISTANTGIT_A}", "${ASSISTANTGIT_B:number}", "${ASSISTANTGIT_lower}"]),
)
upload_keys = st.one_of(upload_texts, st.integers(-3, 3), st.booleans(), st.none())
upload_values = st.recursive(
    st.one_of(upload_texts, st.integers(), st.floats(), st.booleans(), st.none()),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(upload_keys, children, max_size=4)),
    max_leaves=60,
)


def whole_upload(data) -> bytes | str:
    """upload_bytes, or its refusal."""
    from assistantgit.errors import InputError

    try:
        return upload_bytes(data, "out.json")
    except InputError as error:
        return str(error)


def streamed(data, keep) -> tuple[bytes | str, list]:
    """streamed_upload's bytes and kept pieces, or its refusal."""
    from assistantgit.errors import InputError

    try:
        result = streamed_upload(data, "out.json", keep)
    except InputError as error:
        return str(error), []
    return result.final(), result.kept


@settings(max_examples=examples(500), deadline=None)
@given(upload_values, st.booleans())
def test_the_upload_written_piece_by_piece_is_upload_bytes(data, keep_all):
    """The same bytes (or the same refusal) as upload_bytes, whatever is kept; what is not
    kept is dropped from the data, what is kept stays, in the upload's order."""
    original = copy.deepcopy(data)
    expected = whole_upload(original)
    got, kept = streamed(data, lambda piece: keep_all)
    assert got == expected
    if isinstance(got, bytes):  # (a refusal leaves the data half-written: push stops there)
        if keep_all:
            assert data == original and [start for start, _end, _value in kept] == sorted(s for s, _e, _v in kept)
        elif walked(data):
            assert not kept and all(leaf is None for leaf in leaves(data))  # emptied: containers and None


@settings(max_examples=examples(500), deadline=None)
@given(upload_values)
def test_upload_bytes_is_its_definition(data):
    """json.dumps without ASCII escapes, as UTF-8; with a lone surrogate (UTF-8 cannot carry
    it), json.dumps with every character past '~' escaped; .nan and .inf refused."""
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        assert isinstance(whole_upload(data), str)
        return
    try:
        expected = text.encode("utf-8")
    except UnicodeEncodeError:
        expected = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    assert whole_upload(data) == expected


def walked(data) -> bool:
    """Whether streamed_upload walks `data` (rather than writing it as one piece it cannot drop)."""
    return type(data) is list or (type(data) is dict and all(type(key) is str for key in data))


def leaves(value):
    if isinstance(value, list):
        for item in value:
            yield from leaves(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    else:
        yield value


# -- runs: the items of a walked array encoded several at a time --------------------------------------

# Exports' shape: an envelope, a workspace, arrays of many items (some in source form), other values.
run_items = st.one_of(
    upload_values,
    st.builds(lambda value: Unconverted({"source": value}, lambda item: {"converted": item["source"]}), upload_values),
)
run_arrays = st.lists(run_items, max_size=40)
run_exports = st.one_of(
    st.dictionaries(upload_texts, st.one_of(run_arrays, upload_values), max_size=4),
    st.dictionaries(upload_texts, st.dictionaries(upload_texts, run_arrays, max_size=3), max_size=2),
    run_arrays,
)


def written_whole(value, depth: int = 0):
    """The values streamed_upload writes whole, in order (its definition: objects walked to
    depth 1, arrays to depth 2), items in source form converted."""
    if type(value) is Unconverted:
        value = value.converted()
    if type(value) is dict and depth <= 1 and all(type(key) is str for key in value):
        for item in value.values():
            yield from written_whole(item, depth + 1)
    elif type(value) is list and depth <= 2:
        for item in value:
            yield from written_whole(item, depth + 1)
    else:
        yield value


def converted(value):
    if type(value) is Unconverted:
        return converted(value.converted())
    if isinstance(value, dict):
        return {key: converted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [converted(item) for item in value]
    return value


@settings(max_examples=examples(600), deadline=None)
@given(run_exports, st.sampled_from([1, 40, 300, 16 * 1024]))
def test_runs_write_the_bytes_and_keep_the_pieces_of_one_item_at_a_time(data, run_bytes):
    """Whatever the runs' length: upload_bytes' bytes (or its refusal), the data emptied but
    for the values a placeholder may be in, and kept exactly those, each at its place."""
    from assistantgit.secrets import may_hold_placeholders

    original = converted(copy.deepcopy(data))
    expected = whole_upload(original)
    with mock.patch.object(uploadstream, "_RUN_BYTES", run_bytes):
        got, kept = streamed(data, may_hold_placeholders)
    assert got == expected
    if isinstance(got, str):
        return
    wanted = [value for value in written_whole(original) if may_hold_placeholders(upload_bytes(value))]
    assert [value for _start, _end, value in kept] == wanted
    if walked(data):  # (an item in source form that converts to a walked container stays: exports have none)
        assert sum(leaf is not None for leaf in plain_leaves(data)) <= sum(1 for _ in leaves(wanted))


def plain_leaves(value):
    """The leaves of `value` outside its items in source form."""
    if type(value) is Unconverted:
        return
    if isinstance(value, list | dict):
        for item in value.values() if isinstance(value, dict) else value:
            yield from plain_leaves(item)
    else:
        yield value


def test_a_run_keeps_only_its_items_that_hold_a_placeholder():
    nodes = [{"dialog_node": f"node_{n}", "output": {"text": "é😀"}} for n in range(50)]
    nodes[17]["output"]["text"] = "${ASSISTANTGIT_TOKEN}"
    nodes[40] = Unconverted({"dialog_node": "node_40"}, lambda item: dict(item, output="${ASSISTANTGIT_URL}"))
    data = {"workspace": {"dialog_nodes": nodes, "name": "a\ud800 b"}}
    expected = whole_upload(converted(copy.deepcopy(data)))
    result = streamed_upload(data, "out.json", lambda piece: b"${ASSISTANTGIT_" in piece)
    raw = result.out.getvalue()
    assert [value["dialog_node"] for _start, _end, value in result.kept] == ["node_17", "node_40"]
    assert all(raw[start:end] == upload_bytes(value) for start, end, value in result.kept)
    assert result.final() == expected
    assert [n for n, node in enumerate(nodes) if node is not None] == [17, 40]
