"""Semantic diff on real git repositories: pull a skill, commit, make each kind of change,
commit, and check the diff names exactly those changes and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistantgit import diff as semdiff
from assistantgit.diff import from_export_bytes
from assistantgit.errors import InputError
from assistantgit.git.revisions import sides
from assistantgit.pipeline import pull_file
from testing.exports import reshuffled, sample_export_bytes
from testing.paths import SAMPLE_REPO
from testing.skills import Skill, copy_committed


@pytest.fixture
def skill(committed_sample, tmp_path, monkeypatch):
    """The sample pulled into skill/ of a git repository (the current folder) and committed."""
    monkeypatch.chdir(tmp_path)
    return copy_committed(committed_sample, tmp_path)


def summary(diff: semdiff.SemanticDiff) -> set:
    return {(c.kind, c.status, c.id) for c in diff.changes}


def committed_diff(skill) -> semdiff.SemanticDiff:
    skill.commit("change")
    return semdiff.compare(*sides("HEAD~1", "HEAD", skill.root))


def test_no_change_no_difference(skill):
    diff = semdiff.compare(*sides(None, None, skill.root))
    assert diff.changes == []
    assert diff.left == "HEAD"


def test_intent_examples_added_and_removed(skill):
    def change(intent):
        intent["examples"] = [
            e
            for e in intent["examples"]
            if e != "stop the order" and not (isinstance(e, str) and e.startswith("cancel my"))
        ]
        intent["examples"] += ["please cancel everything", "abort my purchase"]

    before = skill.load(skill.find("intents", "intent", "cancel_order"))["examples"]
    skill.edit("intents", "intent", "cancel_order", change)
    after = skill.load(skill.find("intents", "intent", "cancel_order"))["examples"]
    diff = committed_diff(skill)
    assert summary(diff) == {("intents", "changed", "cancel_order")}
    (item,) = diff.changes
    assert item.name == "#cancel_order"
    added = {d.after for d in item.details if d.change == "added"}
    removed = {d.before for d in item.details if d.change == "removed"}
    assert added == {"please cancel everything", "abort my purchase"}
    assert removed == set(before) - set(after) and removed
    assert {d.field for d in item.details} == {"examples"}


def test_entity_synonym_added_and_removed(skill):
    path = skill.find("entities", "entity", "shipping_method")
    values = skill.load(path)["values"]
    target = next(v for v in values if v.get("synonyms"))
    dropped = target["synonyms"][0]

    def change(entity):
        for value in entity["values"]:
            if value["value"] == target["value"]:
                value["synonyms"] = value["synonyms"][1:] + ["lightning fast"]

    skill.edit("entities", "entity", "shipping_method", change)
    (item,) = committed_diff(skill).changes
    assert (item.kind, item.status, item.name) == ("entities", "changed", "@shipping_method")
    field = f"values[{target['value']}].synonyms"
    assert [(d.field, d.change, d.before, d.after) for d in item.details] == [
        (field, "removed", dropped, None),
        (field, "added", None, "lightning fast"),
    ]


def test_node_condition_and_response_text(skill):
    old_text = skill.load(skill.find("dialog_nodes", "dialog_node", "node_refund"))["output"]["generic"][0]["values"][
        0
    ]["text"]

    def change(node):
        node["conditions"] = "#refund && @order_number"
        node["output"]["generic"][0]["values"][0]["text"] = "Refunds now take 3 days."

    skill.node("node_refund", change)
    (item,) = committed_diff(skill).changes
    assert item.name == "'Refund' (node_refund)"
    assert [(d.field, d.change, d.before, d.after) for d in item.details] == [
        ("conditions", "changed", "#refund", "#refund && @order_number"),
        ("output.generic[0].values[0].text", "changed", old_text, "Refunds now take 3 days."),
    ]


def test_node_moved_to_another_parent_reports_only_that_node(skill):
    """Moving a node rewrites three files (the node, its old follower, the new parent's first
    child), but only the node moved."""
    nodes = {p: skill.load(p) for p in (skill.root / "dialog_nodes").glob("*.yaml")}
    by_id = {d["dialog_node"]: (p, d) for p, d in nodes.items()}
    moving = by_id["node_refund"][1]
    for path, data in nodes.items():
        if data.get("previous_sibling") == "node_refund" and data.get("parent") == moving.get("parent"):
            data["previous_sibling"] = moving.get("previous_sibling")
            skill.save(path, data)
        if data.get("parent") == "folder_orders" and data.get("previous_sibling") is None:
            data["previous_sibling"] = "node_refund"
            skill.save(path, data)
    moving["parent"] = "folder_orders"
    moving.pop("previous_sibling", None)
    skill.save(by_id["node_refund"][0], moving)
    assert len(skill.repo.git.status("--short").splitlines()) == 3
    diff = committed_diff(skill)
    assert summary(diff) == {("dialog_nodes", "changed", "node_refund")}
    (detail,) = diff.changes[0].details
    assert detail.change == "moved"
    assert detail.after["parent"] == "folder_orders" and detail.after["parent_name"] == "'Orders' (folder_orders)"
    assert detail.before["parent"] is None and detail.before["previous_sibling"] == "folder_orders"


def test_node_added_and_removed(skill):
    """A new node after 'Refund' and the removal of 'Thanks' touch their siblings' files; the
    diff names only the added and the removed node."""
    nodes = {p: skill.load(p) for p in (skill.root / "dialog_nodes").glob("*.yaml")}
    by_id = {d["dialog_node"]: (p, d) for p, d in nodes.items()}
    thanks_path, thanks = by_id["node_thanks"]
    for path, data in nodes.items():
        if data.get("previous_sibling") == "node_thanks" and data.get("parent") == thanks.get("parent"):
            data["previous_sibling"] = thanks.get("previous_sibling")
            skill.save(path, data)
    thanks_path.unlink()
    nodes = {p: skill.load(p) for p in (skill.root / "dialog_nodes").glob("*.yaml")}
    for path, data in nodes.items():
        if data.get("previous_sibling") == "node_refund" and data.get("parent") is None:
            data["previous_sibling"] = "node_returns"
            skill.save(path, data)
    skill.save(
        skill.root / "dialog_nodes" / "Returns.yaml",
        {
            "title": "Returns",
            "dialog_node": "node_returns",
            "type": "standard",
            "previous_sibling": "node_refund",
            "conditions": "#returns",
            "output": {"generic": [{"response_type": "text", "values": [{"text": "Send it back."}]}]},
        },
    )
    diff = committed_diff(skill)
    assert summary(diff) == {("dialog_nodes", "added", "node_returns"), ("dialog_nodes", "removed", "node_thanks")}
    added = next(c for c in diff.changes if c.status == "added")
    assert ("conditions", "added", "#returns") in [(d.field, d.change, d.after) for d in added.details]


def test_intent_renamed_is_not_delete_and_add(skill):
    path = skill.find("intents", "intent", "thanks")
    data = skill.load(path)
    path.unlink()
    data["intent"] = "thank_you"
    skill.save(skill.root / "intents" / "thank_you.yaml", data)
    diff = committed_diff(skill)
    assert summary(diff) == {("intents", "renamed", "thank_you")}
    (item,) = diff.changes
    assert (item.old_id, item.old_name, item.details) == ("thanks", "#thanks", [])


def test_rename_with_new_description_keeps_details_and_other_content_is_add_remove(skill):
    thanks = skill.find("intents", "intent", "thanks")
    data = skill.load(thanks)
    thanks.unlink()
    skill.save(
        skill.root / "intents" / "gratitude.yaml", dict(data, intent="gratitude", description="Users say thanks")
    )
    greeting = skill.find("intents", "intent", "greeting")
    greeting.unlink()
    skill.save(skill.root / "intents" / "salutation.yaml", {"intent": "salutation", "examples": ["good day to you"]})
    diff = committed_diff(skill)
    assert summary(diff) == {
        ("intents", "renamed", "gratitude"),
        ("intents", "added", "salutation"),
        ("intents", "removed", "greeting"),
    }
    renamed = next(c for c in diff.changes if c.status == "renamed")
    change = "changed" if "description" in data else "added"
    assert [(d.field, d.change, d.after) for d in renamed.details] == [("description", change, "Users say thanks")]


def test_file_renamed_without_content_change_is_no_difference(skill):
    path = skill.find("intents", "intent", "refund")
    path.rename(path.with_name("money_back.yaml"))
    assert committed_diff(skill).changes == []


def test_counterexamples_settings_and_webhooks(skill):
    counter = skill.root / "counterexamples.yaml"
    items = skill.load(counter) if counter.exists() else []
    skill.save(counter, items + ["what is the meaning of life"])
    settings = skill.load(skill.root / "skill.yaml")
    workspace = settings.get("workspace", settings)
    workspace["learning_opt_out"] = not workspace.get("learning_opt_out", False)
    skill.save(skill.root / "skill.yaml", settings)
    skill.save(
        skill.root / "webhooks.yaml", [{"name": "main_webhook", "url": "https://example.com/hook", "headers": []}]
    )
    diff = committed_diff(skill)
    assert summary(diff) == {
        ("counterexamples", "added", "what is the meaning of life"),
        ("settings", "changed", "skill.yaml"),
        ("webhooks", "added", "main_webhook"),
    }
    settings_change = next(c for c in diff.changes if c.kind == "settings")
    assert [d.field for d in settings_change.details] == ["workspace.learning_opt_out"]
    assert [c.kind for c in diff.changes] == ["settings", "counterexamples", "webhooks"]


def test_exports_differing_only_in_volatile_fields_and_order(tmp_path):
    export = json.loads(sample_export_bytes())
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps(reshuffled(export, 1)), "utf-8")
    second.write_text(json.dumps(reshuffled(export, 2), indent=2), "utf-8")
    assert first.read_bytes() != second.read_bytes()
    assert semdiff.compare(*sides(str(first), str(second), tmp_path)).changes == []


def test_export_against_its_own_tree_and_a_changed_export(tmp_path):
    export = json.loads(sample_export_bytes())
    original = tmp_path / "a.json"
    original.write_text(json.dumps(export), "utf-8")
    pull_file(original, tmp_path / "tree")
    assert semdiff.compare(*sides(str(original), str(tmp_path / "tree"), tmp_path)).changes == []
    workspace = export.get("workspace", export)
    intent = next(i for i in workspace["intents"] if i["intent"] == "refund")
    intent["examples"].append({"text": "I want my money back now"})
    changed = tmp_path / "b.json"
    changed.write_text(json.dumps(export), "utf-8")
    diff = semdiff.compare(*sides(str(original), str(changed), tmp_path))
    assert summary(diff) == {("intents", "changed", "refund")}
    assert [(d.change, d.after) for d in diff.changes[0].details] == [("added", "I want my money back now")]


def test_export_blob_inside_a_revision(skill, tmp_path):
    """REV:PATH names an export committed in git, read from the object database."""
    export = json.loads(sample_export_bytes())
    (skill.repo.working_tree_dir and Path(skill.repo.working_tree_dir) / "exports").mkdir()
    target = Path(skill.repo.working_tree_dir) / "exports" / "skill.json"
    target.write_text(json.dumps(export), "utf-8")
    skill.commit("add the export")
    workspace = export.get("workspace", export)
    workspace["counterexamples"] = workspace.get("counterexamples", []) + [{"text": "sing a song"}]
    target.write_text(json.dumps(export), "utf-8")
    skill.commit("change the export")
    diff = semdiff.compare(*sides("HEAD~1:exports/skill.json", "HEAD:exports/skill.json", skill.root))
    assert summary(diff) == {("counterexamples", "added", "sing a song")}
    # the committed export against the pulled tree of the same content
    assert semdiff.compare(*sides("HEAD~1:exports/skill.json", "HEAD~1", skill.root)).changes == []


def test_working_tree_against_revision(skill):
    skill.edit("intents", "intent", "greeting", lambda i: i["examples"].append("top of the morning to you"))
    assert summary(semdiff.compare(*sides(None, None, skill.root))) == {("intents", "changed", "greeting")}
    skill.commit("greet")
    assert semdiff.compare(*sides(None, None, skill.root)).changes == []
    diff = semdiff.compare(*sides("HEAD~1", None, skill.root))
    assert summary(diff) == {("intents", "changed", "greeting")}


def test_revision_without_the_tree_shows_everything_added(skill, tmp_path):
    skill.repo.git.rm("-r", "-q", "--cached", str(skill.root))
    skill.repo.index.commit("forget the tree")
    skill.commit("bring it back")
    diff = semdiff.compare(*sides("HEAD~1", "HEAD", skill.root))
    assert diff.changes and {c.status for c in diff.changes} == {"added"}
    assert ("intents", "added", "refund") in summary(diff)


def test_unknown_revision_is_an_input_error(skill):
    with pytest.raises(InputError, match="not an export file, a source-tree folder or a git revision"):
        sides("no-such-branch", None, skill.root)


def test_secrets_never_show_in_a_diff(tmp_path):
    export = json.loads(sample_export_bytes())
    workspace = export.get("workspace", export)
    workspace["webhooks"] = [
        {
            "name": "main_webhook",
            "url": "https://example.com",
            "headers": [{"name": "Authorization", "value": "Bearer s3cr3t-one"}],
        }
    ]
    first = from_export_bytes(json.dumps(export).encode(), "a.json")
    workspace["webhooks"][0]["headers"][0]["value"] = "Bearer s3cr3t-two"
    second = from_export_bytes(json.dumps(export).encode(), "b.json")
    diff = semdiff.compare(first, second)
    assert "s3cr3t" not in json.dumps(diff.to_json())


def test_actions_tree_diff(in_git_dir, tmp_path):
    actions_export = SAMPLE_REPO / "exports" / "customer-care-actions.json"
    if not actions_export.is_file():
        pytest.skip("no actions sample")
    root = tmp_path / "actions"
    pull_file(actions_export, root)
    skill = Skill(in_git_dir, root)
    skill.commit("pull actions")
    path = sorted((root / "actions").glob("*.yaml"))[0]
    data = skill.load(path)
    data["title"] = (data.get("title") or "") + " (new title)"
    skill.save(path, data)
    variables = sorted((root / "variables").glob("*.yaml")) if (root / "variables").is_dir() else []
    diff = committed_diff(skill)
    assert summary(diff) == {("actions", "changed", data["action"])}
    assert [d.field for d in diff.changes[0].details] == ["title"]
    assert [k.key for k in diff.kinds][:2] == ["settings", "actions"]
    assert variables is not None


def test_swapping_two_siblings_reports_one_reordered_node(skill):
    """Swapping two neighbours rewrites three files; one node moved, the others only got new neighbours."""
    nodes = {p: skill.load(p) for p in (skill.root / "dialog_nodes").glob("*.yaml")}
    by_id = {d["dialog_node"]: (p, d) for p, d in nodes.items()}
    after = {d.get("previous_sibling"): i for i, (_, d) in by_id.items() if d.get("parent") is None}
    order, current = [], after[None]
    while current is not None:
        order.append(current)
        current = after.get(current)
    first, second, third = order[-3:]
    for ident, previous in ((second, by_id[first][1].get("previous_sibling")), (first, second), (third, first)):
        path, data = by_id[ident]
        data["previous_sibling"] = previous
        skill.save(path, data)
    assert len(skill.repo.git.status("--short").splitlines()) == 3
    diff = committed_diff(skill)
    assert len(diff.changes) == 1 and diff.changes[0].id in (first, second)
    (detail,) = diff.changes[0].details
    assert detail.change == "moved" and detail.before["parent"] is None and detail.after["parent"] is None
    from assistantgit.diff.render import detail_lines

    assert detail_lines(detail)[0][0].startswith("~ reordered: now at the root, after ")


def test_published_zip_tree_diffs_each_skill_part(in_git_dir, tmp_path):
    """The published-version ZIP's tree holds a dialog and an actions tree: each is diffed as a skill."""
    archive = SAMPLE_REPO / "exports" / "customer-care-assistant.zip"
    if not archive.is_file():
        pytest.skip("no ZIP sample")
    root = tmp_path / "assistant"
    pull_file(archive, root)
    skill = Skill(in_git_dir, root)
    skill.commit("pull the ZIP")
    assert sorted(p.parent.name for p in root.glob("*/skill.yaml")) == ["actions", "dialog"]
    intent = sorted((root / "dialog" / "intents").glob("*.yaml"))[0]
    data = skill.load(intent)
    skill.save(intent, dict(data, examples=data["examples"] + ["zip example"]))
    action = sorted((root / "actions" / "actions").glob("*.yaml"))[0]
    data = skill.load(action)
    skill.save(action, dict(data, title="A new title"))
    diff = committed_diff(skill)
    assert {(c.kind, c.status, c.path) for c in diff.changes} == {
        ("dialog/intents", "changed", intent.relative_to(root).as_posix()),
        ("actions/actions", "changed", action.relative_to(root).as_posix()),
    }
    labels = {k.key: k.label for k in diff.kinds}
    assert (labels["dialog/intents"], labels["actions/actions"]) == ("Dialog skill: Intents", "Actions skill: Actions")


def test_all_examples_replaced_lists_each_one(skill):
    before = skill.load(skill.find("intents", "intent", "refund"))["examples"]
    skill.edit("intents", "intent", "refund", lambda i: i.update(examples=["give me my money", "I want a refund now"]))
    (item,) = committed_diff(skill).changes
    assert sorted((d.change, d.before or d.after) for d in item.details) == sorted(
        [("removed", e) for e in before] + [("added", "give me my money"), ("added", "I want a refund now")]
    )
    assert {d.field for d in item.details} == {"examples"}
