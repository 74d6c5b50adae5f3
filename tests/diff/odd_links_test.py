"""diff and show on skills whose link and name fields have a wrong type (a mapping, a list, a
number, null, a boolean where an id belongs): a source tree is untrusted input, so each either
shows what it sees or refuses the file in one line (exit 2), never crashes (exit 3)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from assistantgit.diff import compare, from_export_bytes
from assistantgit.diff.render import markdown, text_lines
from assistantgit.errors import InputError
from assistantgit.flow import diffpictures
from assistantgit.pipeline import pull_file
from testing.odd_links import odd_pairs
from testing.profile import examples

FORMATS = ("text", "json", "markdown")


def every_output(before: bytes, after: bytes) -> None:
    """The diff of two exports in text, JSON and Markdown with its pictures; InputError may escape."""
    left = from_export_bytes(before, "a.json")
    right = from_export_bytes(after, "b.json", like=left)
    result = compare(left, right)
    text_lines(result)
    json.dumps(result.to_json())
    markdown(result, diffpictures.sections(left, right, result))


@settings(max_examples=examples(250), suppress_health_check=[HealthCheck.too_slow])
@given(pair=odd_pairs())
def test_a_diff_of_exports_with_odd_links_shows_them_or_refuses_them(pair):
    before, after = (json.dumps(side).encode() for side in pair)
    for one, other in ((before, after), (after, before)):
        try:
            every_output(one, other)
        except InputError:
            pass


def assert_no_crash(result, what: str) -> None:
    assert result.exit_code != 3, f"{what} crashed:\n{result.stderr}"
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@settings(
    max_examples=examples(50),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(pair=odd_pairs())
def test_diff_and_show_of_exports_and_trees_with_odd_links_never_crash(pair, cli):
    """Through the command line, as a reviewer runs it: the exports, and the trees pulled from them."""
    with tempfile.TemporaryDirectory() as scratch:
        files = []
        for name, side in zip("ab", pair):
            files.append(Path(scratch, f"{name}.json"))
            files[-1].write_text(json.dumps(side), "utf-8")
        trees = []
        for export in files:
            try:
                pull_file(export, export.with_suffix(""))
                trees.append(export.with_suffix(""))
            except InputError:
                pass
        for first, second in [files, *([trees] if len(trees) == 2 else [])]:
            for fmt in FORMATS:
                assert_no_crash(cli("diff", first, second, "--format", fmt), f"diff --format {fmt}")
        for tree in trees:
            for fmt in ("text", "mermaid", "markdown"):
                assert_no_crash(cli("show", "--dir", tree, "--format", fmt), f"show --format {fmt}")
            for item in ("a", "x", "c", "z_r"):
                assert_no_crash(cli("show", item, "--dir", tree, "--format", "mermaid"), f"show {item}")


@pytest.mark.parametrize("odd", [{}, ["root"], 3, True], ids=["mapping", "list", "number", "boolean"])
@pytest.mark.parametrize("field", ["parent", "previous_sibling"])
def test_a_link_of_a_wrong_type_shows_as_a_changed_value_not_a_move(odd, field):
    def export(link) -> bytes:
        nodes = [
            {"dialog_node": "root", "title": "Root", "conditions": "#a"},
            {"dialog_node": "first", "parent": "root", "conditions": "#b"},
            {"dialog_node": "child", "parent": "root", "previous_sibling": "first", field: link},
        ]
        return json.dumps({"intents": [], "dialog_nodes": nodes}).encode()

    before, after = export("root" if field == "parent" else "first"), export(odd)
    for one, other in ((before, after), (after, before)):
        left = from_export_bytes(one, "a.json")
        right = from_export_bytes(other, "b.json", like=left)
        result = compare(left, right)
        ((change,),) = [[c for c in result.changes if c.id == "child"]]
        ((detail,),) = [change.details]
        assert (detail.field, detail.change) == (field, "changed")
        assert {json.dumps(detail.before), json.dumps(detail.after)} == {
            json.dumps("root" if field == "parent" else "first"),
            json.dumps(odd),
        }
        text = "\n".join(line for line, _ in text_lines(result))
        assert f"~ {field}: " in text and "moved" not in text and "reordered" not in text
        every_output(one, other)


@pytest.mark.parametrize("odd", ["action", "intent"])
def test_an_id_of_a_wrong_type_beside_an_owned_intent_is_refused_in_one_line(odd, cli, tmp_path):
    """An actions export inlines each intent that one action owns: an action or an intent
    whose id is a mapping was looked up in that table (TypeError, exit 3)."""
    workspace = {
        "actions": [
            {"action": "x", "condition": {"intent": "i_x"}, "steps": []},
            {"action": {"id": "y"} if odd == "action" else "y", "steps": []},
        ],
        "intents": [{"intent": "i_x", "examples": []}, {"intent": {"id": "i_y"} if odd == "intent" else "i_y"}],
    }
    export = tmp_path / "export.json"
    export.write_text(json.dumps(workspace), "utf-8")
    what = f"every item of '{odd}s' needs a text '{odd}'"
    for args in (["pull", export, "--dir", tmp_path / "tree"], ["diff", export, export]):
        result = cli(*args)
        assert (result.exit_code, len(result.stderr.strip().splitlines())) == (2, 1), result.stderr
        assert what in result.stderr
