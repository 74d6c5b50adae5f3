"""`assistantgit show`: the outline of the dialog tree and the actions, one item's
neighbourhood, and what it does with broken or hostile trees."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from assistantgit.pipeline import pull_file
from testing.flows import dialog_tree, node
from testing.paths import SAMPLE_REPO
from testing.terminal import run_on_a_terminal


def plain(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return result.stdout.rstrip("\n").split("\n")


def test_outline_of_the_sample_dialog(cli, copy_sample):
    lines = plain(cli("show", "--dir", copy_sample("dialog-skill")))
    assert lines[0] == "Dialog: 28 nodes, 12 at the root"
    assert lines[1] == "├─ Welcome  if welcome"
    assert "├─ [folder] Orders" in lines
    assert "│  ├─ [slots] Order status  if #order_status" in lines
    assert "│  │  ├─ [slot $order_number] slot_order_number" in lines
    assert "│  │  │  └─ [handler nomatch] handler_order_number_nomatch" in lines
    assert "│  │  └─ [handler generic, skip all slots] handler_order_status_cancel  if #cancel_order" in lines
    assert "│  ├─ [response] response_shipping_express  if @shipping_method:express" in lines
    assert "├─ Complaint  if #complaint  → jump to, respond: 'Talk to agent' (node_talk_to_agent)" in lines
    assert lines[-1] == "└─ Anything else  if anything_else"
    assert len(lines) == 29  # every node, once


def test_outline_of_the_sample_actions(cli, copy_sample):
    lines = plain(cli("show", "--dir", copy_sample("actions-skill")))
    assert lines[0] == "Actions: 7 actions, 15 steps"
    assert '├─ Cancel an order  (action_21002)  when says "Cancel an order" (+4 more)' in lines
    assert '│  ├─ 3. Done: your order is cancelled and the refund will reach you w  if step 2 = "yes"  → end' in lines
    assert "│  └─ 1. I'll connect you with a colleague who can help.  → agent transfer" in lines
    assert "   ├─ 2. sets last_order_number" in lines
    assert any('if (step 1 = "Downtown" or preferred_store = "Downtown")  → end' in line for line in lines)


def test_depth_bounds_the_outline_and_counts_the_rest(cli, copy_sample):
    lines = plain(cli("show", "--dir", copy_sample("dialog-skill"), "--depth", "0"))
    assert len(lines) == 13
    assert "├─ [folder] Orders  (+13 below)" in lines
    assert "├─ Shipping costs  if #shipping_costs  (+3 below)" in lines


@pytest.mark.parametrize(
    "item", ["Order status", "order STATUS", "node_order_status", "dialog_nodes/Order_status.yaml"]
)
def test_an_item_by_title_id_or_file(cli, copy_sample, item, monkeypatch):
    tree = copy_sample("dialog-skill")
    monkeypatch.chdir(tree)
    lines = plain(cli("show", item))
    assert lines[:5] == [
        "'Order status' (node_order_status)  dialog_nodes/Order_status.yaml",
        "└─ [folder] Orders",
        "   ├─ ▶ [slots] Order status  if #order_status",
        "   │  ├─ [slot $order_number] slot_order_number  (+3 below)",
        "   │  ├─ [slot $expected_date] slot_delivery_date  (+2 below)",
    ]
    assert "   ├─ Cancel order  if #cancel_order  (+2 below)" in lines


def test_an_item_shows_the_jumps_that_reach_it_and_leave_it(cli, copy_sample):
    tree = copy_sample("dialog-skill")
    target = plain(cli("show", "--dir", tree, "Talk to agent"))
    assert target[-2:] == ["Jumps here:", "  ← 'Complaint' (node_complaint)  jump to, respond"]
    source = plain(cli("show", "--dir", tree, "node_complaint"))
    assert source[-2:] == ["Jumps from here:", "  → jump to, respond: 'Talk to agent' (node_talk_to_agent)"]


def test_an_action_with_its_steps_and_callers(cli, tmp_path):
    export = json.loads((SAMPLE_REPO / "exports" / "customer-care-actions.json").read_text("utf-8"))
    actions = export["workspace"]["actions"]
    caller = next(a for a in actions if a["action"] == "action_21002")
    caller["steps"][-1]["resolver"] = {
        "type": "invoke_another_action_and_end",
        "invoke_action": {"action": "action_21004", "result_variable": "x"},
    }
    (tmp_path / "a.json").write_text(json.dumps(export), "utf-8")
    pull_file(tmp_path / "a.json", tmp_path / "tree")
    lines = plain(cli("show", "--dir", tmp_path / "tree", "Talk to an agent"))
    assert lines[:3] == [
        "'Talk to an agent' (action_21004)  actions/Talk_to_an_agent.yaml",
        '└─ ▶ Talk to an agent  (action_21004)  when says "I need to talk to a human" (+3 more)',
        "   └─ 1. No response  → agent transfer",
    ]
    assert lines[-2:] == ["Jumps here:", "  ← 4. No problem, I've left the order as it is.  go to, then end"]
    caller_lines = plain(cli("show", "--dir", tmp_path / "tree", "action_21002"))
    assert caller_lines[-1] == "  → go to, then end: 'Talk to an agent' (action_21004)"


def test_an_assistant_zip_tree_shows_both_skills(cli, copy_sample):
    lines = plain(cli("show", "--dir", copy_sample("assistant-zip"), "--depth", "0"))
    assert lines[0] == "Actions (actions/): 7 actions, 15 steps"
    assert "Dialog (dialog/): 28 nodes, 12 at the root" in lines


def test_unknown_ambiguous_and_unsupported(cli, copy_sample, tmp_path):
    tree = copy_sample("dialog-skill")
    unknown = cli("show", "--dir", tree, "Order stat")
    assert unknown.exit_code == 2
    assert (
        "Order stat: no dialog node or action with this id, title or file; did you mean 'Order status'"
        in unknown.stderr
    )
    twice = dialog_tree(tmp_path / "twice", [node("a", "Help"), node("b", "Help", previous="a")])
    ambiguous = cli("show", "--dir", twice, "Help")
    assert ambiguous.exit_code == 2 and "Help: names 2 items: a (dialog_nodes/Help" in ambiguous.stderr
    avaamo = cli("show", "--dir", copy_sample("avaamo-agent"))
    assert avaamo.exit_code == 2 and "has no dialog nodes or actions to draw" in avaamo.stderr
    assert cli("show", "--dir", tmp_path / "nowhere").exit_code == 2
    assert cli("show", "--dir", tree, "--depth", "-1").exit_code == 2


def test_broken_links_are_shown_not_fatal(cli, tmp_path):
    tree = dialog_tree(
        tmp_path / "t",
        [
            node("a", "A"),
            node("b", "B", parent="c", previous="a"),
            node("c", "C", parent="b"),
            node("d", "D", parent="gone"),
            node(
                "e",
                "E",
                previous="a",
                condition="#odd",
                next_step={"behavior": "jump_to", "dialog_node": "nowhere"},
            ),
        ],
    )
    lines = plain(cli("show", "--dir", tree))
    assert lines[0] == "Dialog: 5 nodes, 4 at the root"
    assert "├─ B  ! in a cycle of parents" in lines
    assert "│  └─ C" in lines
    assert "├─ D  ! parent gone missing" in lines
    assert lines[-1] == "└─ E  if #odd  → jump to, check its condition: no node nowhere"


def test_a_field_of_the_wrong_type_is_refused_at_its_place_not_drawn(cli, tmp_path):
    """A title that is a list or conditions that are a mapping: the tree is refused at the field's
    line and column, as push, validate and diff refuse it (issue 11), not drawn as JSON."""
    tree = dialog_tree(tmp_path / "t", [node("a", "A"), node("e", ["not", "text"], previous="a")])
    result = cli("show", "--dir", tree)
    assert result.exit_code == 2, result.stdout
    (error,) = result.stderr.splitlines()
    assert "'title' must be text, not a list" in error and ".yaml:" in error


def test_skill_text_cannot_drive_the_terminal(cli, tmp_path):
    tree = dialog_tree(tmp_path / "t", [node("a", "\x1b[2J\x1b]0;owned\x07Title\u202e", condition="#x\r\nrm -rf")])
    lines = plain(cli("show", "--dir", tree))
    assert lines[1] == "└─ \\x1b[2J\\x1b]0;owned\\x07Title\\u202e  if #x rm -rf"
    assert "\x1b" not in "".join(lines)


def _on_a_terminal(args: list[str], env: dict) -> str:
    """What a person at a terminal sees (stderr, where a progress bar may draw, goes elsewhere);
    env's None removes a variable."""
    merged = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    return run_on_a_terminal(args, env=merged).out


def test_colour_only_on_a_terminal_and_never_with_no_color(copy_sample, cli):
    tree = str(copy_sample("dialog-skill"))
    coloured = _on_a_terminal(["show", "--dir", tree], {"NO_COLOR": None})
    assert "\x1b[1mWelcome\x1b[0m" in coloured and "\x1b[36m#order_status\x1b[0m" in coloured
    assert "\x1b[" not in _on_a_terminal(["show", "--dir", tree], {"NO_COLOR": "1"})
    assert "\x1b[" not in _on_a_terminal(["--no-color", "show", "--dir", tree], {"NO_COLOR": None})
    assert "\x1b[" not in cli("show", "--dir", tree).stdout  # a pipe


def test_help_has_an_example(cli):
    result = cli("show", "--help")
    assert result.exit_code == 0
    assert "Example: assistantgit show" in result.stdout and "--depth" in result.stdout


NODE_TEXTS = {
    "canonical": 'title: Order status\ndialog_node: n1\nconditions: "#order && @x"\noutput:\n  generic: []\nmetadata: {}\n',
    "comment": "# a comment\ntitle: A\ndialog_node: n1\n",
    "anchor across entries": "output: &o\n  text: hi\ntitle: A\ndialog_node: n1\nnext_step: *o\n",
    "flow style": "{title: A, dialog_node: n1, parent: p}\n",
    "quoted key": '"title": A\ndialog_node: n1\n',
    "single quotes": "title: 'it''s: here'\ndialog_node: n1\n",
    "quoted over lines": 'title: "first\n  second"\ndialog_node: n1\n',
    "block scalar with a blank line": "conditions: |-\n  a\n\n  b\ndialog_node: n1\ntitle: T\n",
    "tab indent": "title: A\ndialog_node: n1\nnext_step:\n\tbehavior: jump_to\n",
    "crlf": "title: A\r\ndialog_node: n1\r\nparent: p\r\n",
    "bom": "\ufefftitle: A\ndialog_node: n1\n",
    "duplicate key": "title: A\ndialog_node: n1\ntitle: B\n",
    "list at column 0": "title: A\ndialog_node: n1\nnext_step:\n- x\n",
    "empty": "",
    "kept line ends": "conditions: |+\n  a\n\n\noutput: x\ntitle: T\n",
    "kept line ends last": "output: x\ntitle: |+\n  a\n\n",
    "no final line end": "dialog_node: n1\ntitle: |+\n  a",
    "starts with a blank line": "\ntitle: A\ndialog_node: n1\n",
    "indented first": "  title: A\n",
}


@pytest.mark.parametrize("name", list(NODE_TEXTS))
def test_a_node_read_in_part_means_what_it_means_whole(tmp_path, name):
    """show reads only the fields a flow needs from a dialog node: for any text, the same
    values as a whole read (or the same error)."""
    from assistantgit import canonical
    from assistantgit.errors import InputError
    from assistantgit.flow.source import NODE_FIELDS, read_file

    (tmp_path / "dialog_nodes").mkdir()
    (tmp_path / "dialog_nodes" / "x.yaml").write_bytes(NODE_TEXTS[name].encode("utf-8"))
    try:
        whole = canonical.loads(NODE_TEXTS[name].removeprefix("\ufeff"), "x")
    except InputError as error:
        with pytest.raises(InputError) as raised:
            read_file(tmp_path, "dialog_nodes/x.yaml")
        assert raised.value.message.split(": ", 1)[1] == error.message.split(": ", 1)[1]
        return
    part = read_file(tmp_path, "dialog_nodes/x.yaml")
    assert part == whole or part == {k: v for k, v in whole.items() if k in NODE_FIELDS}


@pytest.mark.slow  # a sweep of the shared corpus: in the full suite (the cases above run in every run)
def test_every_corpus_node_read_in_part_matches_its_whole(shared_corpus, tmp_path):
    from assistantgit import canonical
    from assistantgit.flow.source import NODE_FIELDS, read_file

    checked = 0
    for export in sorted((shared_corpus / "dialog").glob("*.json")):
        tree = tmp_path / export.stem
        pull_file(export, tree)
        for path in sorted((tree / "dialog_nodes").glob("*.yaml")):
            whole = canonical.loads(path.read_text("utf-8"))
            assert read_file(tree, f"dialog_nodes/{path.name}") == {k: v for k, v in whole.items() if k in NODE_FIELDS}
            checked += 1
    assert checked > 2000


@pytest.mark.parametrize(
    "line, message",
    [
        ("previous_sibling: [node_complaint]", "Help.yaml:4:1: 'previous_sibling' must be text, not a list"),
        ("previous_sibling: node_complaint\nparent: {a: b}", "Help.yaml:5:1: 'parent' must be text, not a mapping"),
    ],
)
def test_show_refuses_a_field_of_the_wrong_type_at_its_place(cli, tmp_path, line, message):
    """Issue 11: a list as previous_sibling crashed show (exit 3, unhashable type); a mapping
    as parent was drawn as if it were a node id."""
    tree = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", tree)
    help_file = tree / "dialog_nodes" / "Help.yaml"
    text = help_file.read_text(encoding="utf-8")
    assert "previous_sibling: node_complaint" in text
    help_file.write_text(text.replace("previous_sibling: node_complaint", line), encoding="utf-8")
    for form in ("text", "mermaid"):
        result = cli("show", "--dir", tree, "--format", form)
        assert result.exit_code == 2, result.stderr
        (error,) = result.stderr.splitlines()
        assert error.endswith(message), error
