"""The streaming pull (formats/watson/stream.py, issue 14) against the whole read.

A Watson JSON export is read item by item so that a 100 MB skill pulls in a few times
its size; the reader may only decline. Each export here is pulled both ways, into a
fresh folder or over an earlier pull: the streamed pull must write the same files byte
for byte, or refuse with the same message (line and column) and write nothing, as the
whole read does. Genuine exports must stream (the test would pass by declining them all).
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistantgit import pipeline
from assistantgit.errors import InputError
from assistantgit.formats import registry
from assistantgit.formats.watson import jsontext, stream
from testing.export_strategies import actions_skills, export_bytes, exports
from testing.paths import SAMPLE_REPO, corpus_cases, corpus_files
from testing.profile import examples, sweep

EXPORTS = sorted((SAMPLE_REPO / "exports").glob("*.json"))
GENUINE = [pytest.param(path, id=path.name) for path in EXPORTS] + sweep(
    corpus_files("dialog") + corpus_files("actions")
)


def snapshot(root: Path) -> dict:
    found = {}
    for folder, _names, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = handle.read()
    return found


def whole_pull(export: Path, root: Path) -> None:
    """The pull as it was before the streaming reader: the export parsed whole."""
    fmt, data = pipeline.load_export(export)
    pipeline.export_to_tree(fmt, data, root, export)


def outcome(pull, export: Path, root: Path):
    """(the refusal or None, every file of the folder afterwards); the message names the
    folder of the export as TMP, so that two pulls in two folders compare."""
    try:
        pull(export, root)
        refusal = None
    except InputError as error:
        refusal = (type(error).__name__, str(error).replace(str(export.parent), "TMP"))
    return refusal, snapshot(root) if root.exists() else None


def both_ways(raw: bytes, before: bytes | None = None, chunk: int | None = None):
    """The outcomes of the streamed and the whole pull of an export's bytes, each into a
    folder of its own (holding the pull of `before` first, when given)."""
    results = []
    for pull in (pipeline.pull_file, whole_pull):
        with tempfile.TemporaryDirectory() as temp:
            export, root = Path(temp) / "skill.json", Path(temp) / "tree"
            export.write_bytes(raw)
            if before is not None:
                first = Path(temp) / "before.json"
                first.write_bytes(before)
                try:
                    whole_pull(first, root)
                except InputError:
                    pass
            saved = jsontext._CHUNK
            if chunk is not None:
                jsontext._CHUNK = chunk
            try:
                results.append(outcome(pull, export, root))
            finally:
                jsontext._CHUNK = saved
    return results


def streams(raw: bytes) -> bool:
    try:
        stream.read_export(raw, "skill.json")
    except stream.Declined:
        return False
    return True


@pytest.mark.parametrize("export", GENUINE)
def test_a_genuine_export_streams_to_the_same_tree(export):
    raw = export.read_bytes()
    assert streams(raw)
    streamed, whole = both_ways(raw)
    assert streamed == whole and streamed[0] is None


@pytest.mark.parametrize("export", corpus_cases("bad"))
def test_a_refused_genuine_export_is_refused_alike(export):
    streamed, whole = both_ways(export.read_bytes())
    assert streamed == whole and streamed[0] is not None and not streamed[1]


@pytest.mark.parametrize("export", EXPORTS, ids=lambda path: path.name)
@pytest.mark.parametrize("chunk", [1, 3, 64])
def test_chunks_cut_anywhere_give_the_same_tree(export, chunk):
    """Values, keys and characters of several bytes cut at every place by the decoding."""
    raw = export.read_bytes()
    bom = codecs.BOM_UTF8 + json.dumps(json.loads(raw), ensure_ascii=False, indent="\t").encode()
    for text in (raw, bom):
        streamed, whole = both_ways(text, chunk=chunk)
        assert streamed == whole and streamed[0] is None


def test_a_json_pull_never_parses_the_export_whole(tmp_path, monkeypatch):
    def whole_read(raw, where):
        raise AssertionError("the export was parsed whole")

    monkeypatch.setattr(registry, "format_for_export", whole_read)
    for export in EXPORTS:
        pulled = pipeline.pull_file(export, tmp_path / export.stem)
        assert pulled.files > 10


def synthetic_skill(intents: int) -> bytes:
    """A dialog skill with non-ASCII texts (a character of four bytes makes Python's decoded
    text four times the UTF-8): its intents, entities and nodes as a genuine export has them."""
    skill = {
        "name": "Memory ✓ 🎉",
        "language": "en",
        "intents": [
            {
                "intent": f"intent_{i}",
                "examples": [{"text": f"how do I change order {i}-{j} ñ 🎉"} for j in range(20)],
                "created": "2024-01-01T00:00:00.000Z",
            }
            for i in range(intents)
        ],
        "entities": [{"entity": f"e{i}", "values": [{"value": f"v{i}", "synonyms": ["a", "b"]}]} for i in range(50)],
        "dialog_nodes": [
            {
                "dialog_node": f"node_{i}",
                "title": f"Node {i}",
                "conditions": f"#intent_{i}",
                "output": {"generic": [{"response_type": "text", "values": [{"text": f"Answer {i} ✓"}]}]},
            }
            for i in range(intents)
        ],
    }
    return json.dumps(skill, ensure_ascii=False).encode("utf-8")


def test_a_pull_holds_a_few_times_the_export_not_its_parsed_data(tmp_path, monkeypatch):
    """Parsed whole, this export takes over 10 times its size; streamed, what is allocated
    at any one time stays within 3.5 times (its bytes, the rendered files, a few facts per item).
    Counted from the end of the file's read: that asks the system for MAX_EXPORT_BYTES and
    gives back what the file did not fill, which never became memory the process holds. The
    text is decoded 16 KB at a time, as small beside this 2 MB export as the real chunk is
    beside a 100 MB one."""
    raw = synthetic_skill(1500)
    export = tmp_path / "skill.json"
    export.write_bytes(raw)
    read = pipeline.read_export_bytes

    def read_then_count(path):
        content = read(path)
        tracemalloc.reset_peak()
        return content

    monkeypatch.setattr(pipeline, "read_export_bytes", read_then_count)
    monkeypatch.setattr(jsontext, "_CHUNK", 1 << 14)
    tracemalloc.start()
    try:
        pipeline.pull_file(export, tmp_path / "tree")
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3.5 * len(raw), f"{peak / len(raw):.1f} times the export"


# -- generated exports: every shape the reader must read as the whole read does, or decline ------------


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(export_bytes(), st.none() | export_bytes(), st.sampled_from([1, 2, 5, 64, 1 << 20]))
def test_a_generated_export_pulls_as_the_whole_read_pulls_it(raw, before, chunk):
    streamed, whole = both_ways(raw, before, chunk)
    assert streamed == whole


@settings(max_examples=examples(200), suppress_health_check=[HealthCheck.too_slow])
@given(exports())
def test_a_well_formed_export_streams(data):
    """The reader declines only what it cannot be sure of: an export the whole read takes,
    of unique ids, without arrays beside its workspace or intents before the actions that
    own them, always streams."""
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    try:
        fmt, _ = registry.format_for_export(raw, "skill.json")
        fmt.explode(json.loads(raw), "skill.json")
    except InputError:
        return
    enveloped = isinstance(data.get("workspace"), dict)
    workspace = data["workspace"] if enveloped else data
    if enveloped and any(isinstance(data.get(key), list) and data[key] for key in stream.STREAMED):
        return  # arrays beside the workspace: settings of the envelope
    collections = {c.array: c for c in fmt.collections}
    for key in stream.STREAMED:
        items = workspace.get(key)
        if not isinstance(items, list) or not items:
            continue
        if key not in collections:
            return  # a dialog skill's `actions`...: a setting there
        ids = [item[collections[key].id_field] for item in items]
        if len(set(ids)) != len(ids):
            return
    keys = [key for key in workspace if key in ("intents", "actions") and workspace[key]]
    if keys == ["intents", "actions"] and fmt.name == "watson-actions":
        return  # an action may own an intent read before it
    assert streams(raw)


@settings(max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
@given(actions_skills(), st.sampled_from([1, 7, 1 << 20]))
def test_an_action_takes_in_its_intent_as_the_whole_read_does(data, chunk):
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    streamed, whole = both_ways(raw, chunk=chunk)
    assert streamed == whole and streamed[0] is None
    workspace = data.get("workspace", data)
    if list(workspace).index("actions") < list(workspace).index("intents"):
        assert streams(raw)
