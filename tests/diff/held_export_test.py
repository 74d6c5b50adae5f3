"""diff's item-by-item read of two Watson JSON exports (diff/sources.py, issue 14) against the
whole read.

Read item by item, an export's files are made only when the diff asks for them, and an item
whose JSON text is the same on both sides is the same without being made. That read may only
decline: on every pair here, both ways must give the same diff in text, Markdown (with its
pictures) and JSON, the same data in every file of both sides, or the same refusal.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings

from assistantgit.diff import compare, from_export_bytes
from assistantgit.diff.render import markdown, text_lines
from assistantgit.errors import InputError
from assistantgit.flow import diffpictures
from assistantgit.formats import registry
from assistantgit.formats.watson import stream
from testing.export_strategies import export_pairs
from testing.paths import SAMPLE_REPO, corpus_files
from testing.profile import examples

EXPORTS = sorted((SAMPLE_REPO / "exports").glob("*.json")) + corpus_files("dialog") + corpus_files("actions")


@contextmanager
def whole_read():
    """The diff as it was before the item-by-item read: every export parsed and exploded whole."""

    def declined(*_args, **_kwargs):
        raise stream.Declined

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "read_export", declined)
        yield


def diffed(before: bytes, after: bytes):
    """Everything a diff of the two exports shows, and every file of both sides; or the refusal."""
    try:
        left = from_export_bytes(before, "a.json")
        right = from_export_bytes(after, "b.json", like=left)
        result = compare(left, right)
        text = "\n".join(line for line, _ in text_lines(result))
        data = json.dumps(result.to_json(), indent=2, ensure_ascii=False)
        shown = (text, data, markdown(result, diffpictures.sections(left, right, result)))
        return shown, [{path: left.data(path) for path in left.entries}, {p: right.data(p) for p in right.entries}]
    except InputError as error:
        return type(error).__name__, str(error)


def both_ways(before: bytes, after: bytes):
    held = diffed(before, after)
    with whole_read():
        whole = diffed(before, after)
    return held, whole


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pair=export_pairs())
def test_a_generated_pair_diffs_as_the_whole_read_diffs_it(pair):
    held, whole = both_ways(*pair)
    assert held == whole


def edited_copies(raw: bytes) -> tuple[bytes, bytes]:
    """The export laid out as json.dumps lays it out, and a copy with a few items changed,
    one dropped and one renamed, laid out alike: the other items are the same byte for byte."""
    data = json.loads(raw.decode("utf-8-sig"))
    after = json.loads(json.dumps(data))
    workspace = after["workspace"] if isinstance(after.get("workspace"), dict) else after
    for key, field in (("intents", "intent"), ("dialog_nodes", "dialog_node"), ("actions", "action")):
        items = workspace.get(key)
        if not isinstance(items, list) or len(items) < 4:
            continue
        items[0]["description"] = "changed"
        items[1][field] += "_renamed"
        del items[2]
        items[-1]["title"] = "Moved"
        items[-1]["previous_sibling"] = None
    return json.dumps(data, indent=2).encode(), json.dumps(after, indent=2).encode()


@pytest.mark.parametrize("export", EXPORTS, ids=lambda path: path.name)
def test_a_genuine_export_and_its_edited_copy_diff_as_the_whole_read_diffs_them(export, monkeypatch):
    raw = export.read_bytes()
    with monkeypatch.context() as patch:  # a genuine export is read item by item
        patch.setattr(registry, "format_for_export", lambda raw, where: pytest.fail("read whole"))
        from_export_bytes(raw, "a.json")
    before, after = edited_copies(raw)
    for pair in ((raw, raw), (before, after), (after, raw)):
        held, whole = both_ways(*pair)
        assert held == whole and isinstance(held[0], tuple)
    left = from_export_bytes(before, "a.json")
    right = from_export_bytes(after, "b.json", like=left)
    items = [item for items in right.held.order.values() for item in items]
    parsed = [item for item in items if item.data is not None]
    assert len(parsed) <= 8 or len(parsed) < len(items) / 5, "the items both exports share are parsed again"


@pytest.mark.parametrize("index", range(len(EXPORTS)), ids=lambda i: EXPORTS[i].name)
def test_two_genuine_exports_diff_as_the_whole_read_diffs_them(index):
    """Each export against the next one (of another skill, now and then of another format)."""
    before, after = EXPORTS[index].read_bytes(), EXPORTS[(index + 1) % len(EXPORTS)].read_bytes()
    held, whole = both_ways(before, after)
    assert held == whole and isinstance(held[0], tuple)
