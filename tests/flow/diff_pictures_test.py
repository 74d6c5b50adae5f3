"""`diff --format markdown` draws each changed flow: the changed nodes or steps with their
neighbourhood, coloured by status, bounded, and parsed by Mermaid itself."""

from __future__ import annotations

import copy
import re

import pytest

from assistantgit.diff import compare
from assistantgit.diff.render import markdown
from assistantgit.diff.sources import Entry, ItemSet, from_export_file
from assistantgit.flow import diffpictures
from assistantgit.pipeline import pull_file
from testing.flows import HOSTILE
from testing.mermaid import assert_grammar, assert_parses, mermaid_blocks
from testing.paths import SAMPLE_REPO, corpus_files
from testing.skills import Skill


def details(markdown: str) -> dict[str, str]:
    """summary -> body of each <details> that holds a picture."""
    found = {}
    for match in re.finditer(
        r"<details><summary>([^<]*)</summary>\n((?:(?!<details>).)*?)\n</details>", markdown, re.S
    ):
        if "```mermaid" in match.group(2):
            found[match.group(1)] = match.group(2)
    return found


def node_ids(picture: str, text: str) -> list[str]:
    """Ids of the nodes whose label starts with `text` (escaped as the renderer does)."""
    return re.findall(r"    (n\d+)[\[\(>{]+\"" + re.escape(text), picture)


def css(picture: str, ident: str) -> str:
    classes = [name for ids, name in re.findall(r"    class ([n\d,]+) (\w+)", picture) if ident in ids.split(",")]
    assert len(classes) == 1, (ident, classes)
    return classes[0]


@pytest.fixture
def dialog_repo(in_git_dir, tmp_path):
    export = tmp_path / "export.json"
    export.write_bytes((SAMPLE_REPO / "exports" / "customer-care-dialog.json").read_bytes())
    pull_file(export, tmp_path / "skill")
    export.unlink()
    skill = Skill(in_git_dir, tmp_path / "skill")
    skill.commit("pull")
    return skill


def test_each_changed_flow_gets_a_picture_of_its_changes(cli, dialog_repo):
    skill = dialog_repo
    skill.node("node_cancel_yes", lambda n: n.update(conditions="@confirmation:yes && $order"))
    skill.find("dialog_nodes", "dialog_node", "node_cancel_no").unlink()
    skill.node("node_change_address", lambda n: n.update(parent="node_refund") or n.pop("previous_sibling", None))
    skill.save(
        skill.root / "dialog_nodes" / "Holiday.yaml",
        {
            "title": "Holiday hours",
            "dialog_node": "node_holiday",
            "type": "standard",
            "parent": "node_store_hours",
            "conditions": "#store_hours && @sys-date",
            "next_step": {"behavior": "jump_to", "selector": "body", "dialog_node": "node_talk_to_agent"},
        },
    )
    skill.commit("review me")
    result = cli("diff", "HEAD~1", "HEAD", "--dir", skill.root, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    found = details(result.stdout)
    assert sorted(found) == [
        "Flow of 'Orders': 1 removed, 1 changed",
        "Flow of 'Refund': 1 changed",
        "Flow of 'Store hours': 1 added",
    ]
    orders = found["Flow of 'Orders': 1 removed, 1 changed"]
    (confirmed,) = node_ids(
        orders, "Cancel confirmed<br/>if @confirmation#58;yes #38;#38; #36;order<br/>changed#58; conditions"
    )
    (declined,) = node_ids(orders, "Cancel declined")
    assert (css(orders, confirmed), css(orders, declined)) == ("changed", "removed")
    (cancel,) = node_ids(orders, "Cancel order")
    assert f"    {cancel} --> {declined}" in orders and css(orders, cancel) == "context"
    assert "red: removed; yellow: changed." in orders
    refund = found["Flow of 'Refund': 1 changed"]
    (moved,) = node_ids(refund, "Change address<br/>if #35;change_address<br/>moved")
    (parent,) = node_ids(refund, "Refund")
    assert f"    {parent} --> {moved}" in refund and css(refund, moved) == "changed"
    (old_place,) = node_ids(refund, "(old place) Change address")
    (old_parent,) = node_ids(refund, "Orders")
    assert f"    {old_parent} --> {old_place}" in refund and f'    {old_place} -.->|"moved to"| {moved}' in refund
    assert (css(refund, old_place), css(refund, old_parent)) == ("old", "more")
    assert "yellow: changed; dashed grey: where a moved node was." in refund
    holiday = found["Flow of 'Store hours': 1 added"]
    (added,) = node_ids(holiday, "Holiday hours")
    (agent,) = node_ids(holiday, "Talk to agent")
    assert css(holiday, added) == "added"
    assert f'    {added} -.->|"jump to, respond"| {agent}' in holiday
    blocks = mermaid_blocks(result.stdout)
    assert len(blocks) == 3
    # the pictures come after the list of their kind, before the next kind
    assert result.stdout.index("#### Dialog nodes") < result.stdout.index("```mermaid")
    assert_grammar(blocks)


def test_root_level_changes_share_one_picture(cli, dialog_repo):
    skill = dialog_repo
    skill.node("node_refund", lambda n: n.update(conditions="#refund || #money_back"))
    skill.node("node_help", lambda n: n.update(title="Help me"))
    skill.commit("two roots")
    found = details(cli("diff", "HEAD~1", "HEAD", "--dir", skill.root, "-f", "markdown").stdout)
    assert list(found) == ["Root nodes: 2 changed"]
    assert node_ids(found["Root nodes: 2 changed"], "Help me<br/>if #35;help<br/>changed#58; title")


def test_a_large_change_is_bounded_and_the_rest_named(cli, dialog_repo):
    skill = dialog_repo
    for index in range(60):
        skill.save(
            skill.root / "dialog_nodes" / f"new_{index}.yaml",
            {
                "title": f"New {index}",
                "dialog_node": f"new_{index}",
                "type": "standard",
                "parent": "folder_orders",
                **({"previous_sibling": f"new_{index - 1}"} if index else {"previous_sibling": "node_change_address"}),
            },
        )
    skill.commit("sixty")
    markdown = cli("diff", "HEAD~1", "HEAD", "--dir", skill.root, "-f", "markdown").stdout
    (body,) = details(markdown).values()
    (picture,) = mermaid_blocks(body)
    assert len(re.findall(r"^    n\d+[\[\(>{]", picture, re.M)) <= diffpictures.MAX_NODES
    drawn = sorted(int(n) for n in re.findall(r'"New (\d+)"', picture))
    missing = re.search(r"Not drawn \(40 nodes per picture\): (.*)\.\n", body).group(1)
    named = [int(n) for n in re.findall(r"New (\d+) \(added\)", missing)]
    assert drawn and drawn + named == list(range(len(drawn) + len(named)))
    assert missing.endswith(f" and {60 - len(drawn) - diffpictures.NAMES_LISTED} more")


def _actions_side():
    return from_export_file(SAMPLE_REPO / "exports" / "customer-care-actions.json")


def edited(side: ItemSet, edit) -> ItemSet:
    """Another side with the files `edit` changes in a copy of {path: data}."""
    files = {path: copy.deepcopy(side.data(path)) for path in side.entries}
    edit(files)
    return ItemSet("edited", side.fmt, {path: Entry.of_data(path, data) for path, data in files.items()})


def comment(left: ItemSet, right: ItemSet) -> str:
    diff = compare(left, right)
    return markdown(diff, diffpictures.sections(left, right, diff))


def action_file(files: dict, ident: str) -> dict:
    return next(d for p, d in files.items() if p.startswith("actions/") and d.get("action") == ident)


def test_steps_added_removed_changed_and_moved():
    left = _actions_side()

    def edit(files):
        cancel = action_file(files, "action_21002")
        steps = cancel["steps"]
        steps[2]["condition"]["eq"][1]["scalar"] = "yes please"  # changed
        steps.insert(0, steps.pop(1))  # step_220 now first: moved
        del steps[3]  # step_240 removed
        steps.append({"step": "step_250", "title": "Anything else?", "resolver": {"type": "connect_to_agent"}})
        files["actions/New.yaml"] = {
            "action": "action_new",
            "title": "Brand new",
            "condition": {"intent": "x"},
            "steps": [{"step": "s1", "title": "Hello", "resolver": {"type": "end_action"}}],
        }
        del files[next(p for p, d in files.items() if p.startswith("actions/") and d.get("action") == "action_21004")]

    markdown = comment(left, edited(left, edit))
    found = details(markdown)
    assert sorted(found) == [
        "Action 'Brand new': 2 added",
        "Action 'Cancel an order': 1 added, 1 removed, 3 changed",
        "Action 'Talk to an agent': 2 removed",
    ]
    cancel = found["Action 'Cancel an order': 1 added, 1 removed, 3 changed"]
    (moved,) = node_ids(cancel, "1. Cancel order #123;variable#125;? This cannot be undone.<br/>moved")
    (ghost,) = node_ids(cancel, "(old place) 2. Cancel order #123;variable#125;? This cannot")
    (removed,) = node_ids(cancel, "4. No problem")
    (added,) = node_ids(cancel, "4. Anything else?")
    (changed,) = node_ids(cancel, "3. Done")
    assert [css(cancel, n) for n in (moved, ghost, removed, added, changed)] == [
        "changed",
        "old",
        "removed",
        "added",
        "changed",
    ]
    assert f'    {ghost} -.->|"moved to"| {moved}' in cancel
    assert "changed#58; condition" in cancel
    gone = found["Action 'Talk to an agent': 2 removed"]
    (action,) = node_ids(gone, "Talk to an agent")
    (step,) = node_ids(gone, "1. No response")
    assert css(gone, action) == css(gone, step) == "removed"
    assert_grammar(mermaid_blocks(markdown))


def calling(files: dict) -> None:
    """'Where is my order?' hands over to 'Talk to an agent' at its last step."""
    step = action_file(files, "action_21001")["steps"][-1]
    step["resolver"] = {"type": "invoke_another_action_and_end", "invoke_action": {"action": "action_21004"}}


def test_a_renamed_action_is_drawn_under_its_new_id_and_its_callers_call_it():
    left = edited(_actions_side(), calling)

    def rename(files):  # as an editor renames it: the caller along
        action_file(files, "action_21004")["action"] = "talk_to_agent"
        action_file(files, "action_21001")["steps"][-1]["resolver"]["invoke_action"]["action"] = "talk_to_agent"

    markdown = comment(left, edited(left, rename))
    found = details(markdown)
    assert sorted(found) == ["Action 'Talk to an agent': 1 renamed", "Action 'Where is my order&#63;': 2 changed"]
    renamed = found["Action 'Talk to an agent': 1 renamed"]
    assert "renamed from action_21004" in renamed
    assert renamed.endswith("\nyellow: changed.\n")  # drawn as a change, and the legend says so
    caller = found["Action 'Where is my order&#63;': 2 changed"]
    (step,) = node_ids(caller, "3. ")
    (called,) = node_ids(caller, "Talk to an agent")
    # the step calls the renamed action as it did before: one way, not a call that was dropped
    assert re.findall(rf"    {step} -.->\|\"([^\"]*)\"\| (n\d+)", caller) == [("go to, then end", called)]
    assert "before#58;" not in caller and "missing" not in caller
    assert_grammar(mermaid_blocks(markdown))


def test_a_call_to_an_action_the_new_side_dropped_ends_at_a_missing_terminal():
    left = edited(_actions_side(), calling)

    def drop(files):  # the caller hands over to the fallback action now
        del files[next(p for p, d in files.items() if p.startswith("actions/") and d.get("action") == "action_21004")]
        action_file(files, "action_21001")["steps"][-1]["resolver"]["invoke_action"]["action"] = "fallback"

    markdown = comment(left, edited(left, drop))
    caller = details(markdown)["Action 'Where is my order&#63;': 2 changed"]
    (step,) = node_ids(caller, "3. ")
    (fallback,) = node_ids(caller, "Fallback")
    (gone,) = node_ids(caller, "no action_21004")
    assert f'    {step} -.->|"go to, then end"| {fallback}' in caller
    assert f'    {step} -.->|"before#58; go to, then end"| {gone}' in caller
    assert css(caller, gone) == "missing"
    assert_grammar(mermaid_blocks(markdown))


def test_hostile_titles_stay_text_in_the_comment():
    left = _actions_side()

    def edit(files):
        greet = action_file(files, "welcome")
        for title in HOSTILE:
            greet["steps"].append({"step": f"x{len(greet['steps'])}", "title": title, "resolver": {"type": "continue"}})
        greet["title"] = "<b>bold</b> `code` ]]></summary><img src=x>"

    markdown = comment(left, edited(left, edit))
    summary = next(s for s in details(markdown) if "bold" in s)
    assert "<" not in summary and "`" not in summary and summary.startswith("Action '&#60;b&#62;bold")
    assert_grammar(mermaid_blocks(markdown))


def corpus_changes(path) -> tuple[ItemSet, ItemSet]:
    """A corpus export and a copy with nodes or steps changed, added, removed and moved."""
    left = from_export_file(path)

    def edit(files):
        nodes = sorted(p for p in files if p.startswith("dialog_nodes/"))
        if nodes:
            first, *rest = [files[p] for p in nodes]
            first["conditions"] = "changed && %%{init: {'theme':'dark'}}%%"
            leaf = next(
                (
                    p
                    for p in reversed(nodes)
                    if not any(
                        d.get("parent") == files[p].get("dialog_node") for d in files.values() if isinstance(d, dict)
                    )
                ),
                None,
            )
            if leaf and len(nodes) > 2:
                del files[leaf]
            if rest:
                rest[-1]["parent"] = first["dialog_node"]
                rest[-1].pop("previous_sibling", None)
            files["dialog_nodes/zz_new.yaml"] = {
                "dialog_node": "zz_new",
                "title": 'New "node" | <x>',
                "parent": first["dialog_node"],
                "next_step": {"behavior": "jump_to", "dialog_node": first["dialog_node"]},
            }
        for p in sorted(p for p in files if p.startswith("actions/"))[:2]:
            steps = files[p].get("steps") or []
            if steps:
                steps[0]["condition"] = {"expression": "`changed` | [x]"}
                steps.append({"step": "zz", "title": "Added <step>", "resolver": {"type": "end_action"}})
                if len(steps) > 3:
                    steps.insert(0, steps.pop(2))
                    del steps[1]

    return left, edited(left, edit)


def corpus_comments() -> list[str]:
    return [comment(*corpus_changes(path)) for kind in ("dialog", "actions") for path in corpus_files(kind)]


@pytest.mark.slow  # a sweep of the shared corpus: in the full suite (our samples cover the same ground)
def test_corpus_diff_pictures_pass_the_grammar(shared_corpus):
    comments = corpus_comments()
    blocks = [b for c in comments for b in mermaid_blocks(c)]
    assert len(blocks) >= len(comments)
    assert_grammar(blocks)


@pytest.mark.slow  # the corpus sweep through node (~15 s); docs_test parses the committed comment in every run
def test_diff_pictures_parse_with_mermaid(shared_corpus, mermaid_parser, cli, changed_skill):
    blocks = [b for c in corpus_comments() for b in mermaid_blocks(c)]
    ours = cli("diff", "HEAD~1", "HEAD", "--dir", changed_skill.root, "-f", "markdown").stdout
    assert mermaid_blocks(ours)
    blocks += mermaid_blocks(ours)
    assert_grammar(mermaid_blocks(ours))
    assert_parses(mermaid_parser, blocks)
    print(f"Mermaid parsed {len(blocks)} diff pictures")


def test_a_git_side_read_at_once_holds_what_it_reads_file_by_file(dialog_repo):
    from assistantgit.git.revisions import sides

    skill = dialog_repo
    skill.node("node_refund", lambda n: n.update(conditions="#refund || #money_back"))
    skill.commit("one more")
    batch, _ = sides("HEAD~1", "HEAD", skill.root)
    single, _ = sides("HEAD~1", "HEAD", skill.root)
    assert not any(entry.loaded for entry in batch.entries.values())
    batch.load(list(batch.entries))  # filled by one git cat-file run, not by each entry's own reader
    assert all(entry.loaded for entry in batch.entries.values())
    assert {p: batch.data(p) for p in batch.entries} == {p: single.data(p) for p in single.entries}
    assert len(batch.entries) > 40


def test_many_changed_flows_are_drawn_up_to_a_limit_and_the_rest_named(cli, dialog_repo):
    skill = dialog_repo
    for index in range(diffpictures.MAX_PICTURES + 3):
        skill.save(
            skill.root / "dialog_nodes" / f"root_{index}.yaml",
            {
                "title": f"Root {index}",
                "dialog_node": f"root_{index}",
                "type": "standard",
                "previous_sibling": f"root_{index - 1}" if index else "node_anything_else",
            },
        )
        skill.save(
            skill.root / "dialog_nodes" / f"child_{index}.yaml",
            {"title": f"Child {index}", "dialog_node": f"child_{index}", "type": "standard", "parent": f"root_{index}"},
        )
    skill.commit("many flows")
    markdown = cli("diff", "HEAD~1", "HEAD", "--dir", skill.root, "-f", "markdown").stdout
    assert len(details(markdown)) == diffpictures.MAX_PICTURES
    assert markdown.count("<details><summary>Flow of") == diffpictures.MAX_PICTURES
    assert (
        "3 more changed flows, not drawn to keep this comment readable: Flow of 'Root 6' (2 added); "
        "Flow of 'Root 7' (2 added); Flow of 'Root 8' (2 added)."
    ) in markdown
