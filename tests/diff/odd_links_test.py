"""diff and show on skills whose link and name fields have a wrong type (a mapping, a list, a
number, null, a boolean where an id belongs): a source tree is untrusted input, so each either
shows what it sees or refuses the file in one line (exit 2), never crashes (exit 3)."""

from __future__ import annotations

import json

import pytest

from assistantgit.diff import compare, from_export_bytes
from assistantgit.diff.render import markdown, text_lines
from assistantgit.flow import diffpictures


def every_output(before: bytes, after: bytes) -> None:
    """The diff of two exports in text, JSON and Markdown with its pictures; InputError may escape."""
    left = from_export_bytes(before, "a.json")
    right = from_export_bytes(after, "b.json", like=left)
    result = compare(left, right)
    text_lines(result)
    json.dumps(result.to_json())
    markdown(result, diffpictures.sections(left, right, result))


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
