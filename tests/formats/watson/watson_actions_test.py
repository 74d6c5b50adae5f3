"""Actions skills: pull into one file per action (with its intent's examples), push back
to upload-ready JSON, on our own sample and on every real export of the shared corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deepdiff import DeepDiff

from assistantgit import canonical
from testing.exports import canon, check_upload_rules, load, shuffled, tree_digest
from testing.paths import SAMPLE_REPO, corpus_cases

SAMPLE = SAMPLE_REPO / "exports" / "customer-care-actions.json"


def round_trip(cli, export: Path, tmp_path: Path) -> tuple[Path, Path]:
    tree, out, again = tmp_path / "tree", tmp_path / "out.json", tmp_path / "again"
    assert cli("pull", export, "--dir", tree).exit_code == 0
    assert cli("push", "--dir", tree, "--out", out).exit_code == 0
    raw = out.read_bytes()
    check_upload_rules(raw)
    assert DeepDiff(canon(load(export)), canon(json.loads(raw)), ignore_order=False) == {}
    assert cli("pull", out, "--dir", again).exit_code == 0
    assert tree_digest(again) == tree_digest(tree)
    return tree, out


def test_sample_round_trips(cli, tmp_path):
    round_trip(cli, SAMPLE, tmp_path)


@pytest.mark.slow  # a sweep of the shared corpus: in the full suite (our samples cover the same ground)
@pytest.mark.parametrize("export", corpus_cases("actions"))
def test_corpus_round_trips(cli, shared_corpus, tmp_path, export):
    round_trip(cli, export, tmp_path)


@pytest.mark.parametrize("export", corpus_cases("actions"))
def test_corpus_is_detected_as_actions_not_dialog(shared_corpus, export):
    from assistantgit.formats import registry

    assert registry.format_for_json(load(export), export).name == "watson-actions"


@pytest.mark.parametrize("export", corpus_cases("dialog"))
def test_dialog_corpus_is_not_claimed_by_actions(shared_corpus, export):
    from assistantgit.formats.watson import actions as watson_actions

    assert not watson_actions.FORMAT.detect(load(export))


def test_action_file_holds_steps_and_its_intent_examples(cli, tmp_path):
    tree, _ = round_trip(cli, SAMPLE, tmp_path)
    doc = canonical.loads((tree / "actions" / "Where_is_my_order.yaml").read_text("utf-8"))
    original = next(a for a in load(SAMPLE)["workspace"]["actions"] if a["action"] == "action_21001")
    assert doc["action"] == "action_21001"
    assert doc["intent"]["intent"] == "action_21001_intent_52001"
    assert "track order RS12345" in doc["intent"]["examples"]
    assert [s["step"] for s in doc["steps"]] == [s["step"] for s in original["steps"]]
    # every intent of the sample is owned by one action: no intents/ folder at all
    assert not (tree / "intents").exists()
    assert sorted(p.name for p in (tree / "variables").iterdir()) == [
        "customer_name.yaml",
        "last_order_number.yaml",
        "preferred_store.yaml",
    ]
    assert (tree / "collections" / "Orders.yaml").is_file()
    text = (tree / "actions" / "Fallback.yaml").read_text("utf-8")
    assert "intent: fallback_connect_to_agent" in text and "I would like to speak to a human" in text


def test_shuffled_redownload_gives_identical_tree(cli, tmp_path):
    assert cli("pull", SAMPLE, "--dir", tmp_path / "a").exit_code == 0
    for seed in (1, 2, 3):
        again = tmp_path / f"shuffled{seed}.json"
        again.write_text(json.dumps(shuffled(load(SAMPLE), seed), indent="\t"), encoding="utf-8")
        assert cli("pull", again, "--dir", tmp_path / f"b{seed}").exit_code == 0
        assert tree_digest(tmp_path / f"b{seed}") == tree_digest(tmp_path / "a")


def small_skill() -> dict:
    return {
        "name": "Tiny",
        "type": "action",
        "language": "en",
        "skill_id": "s-1",
        "status": "Available",
        "future_envelope_field": {"kept": True},
        "workspace": {
            "actions": [
                {
                    "action": "action_1",
                    "title": "Help",
                    "condition": {"and": [{"intent": "action_1_intent_1"}, {"expression": "true"}]},
                    "steps": [
                        {"step": "step_2", "variable": "step_2", "future_step_field": 1},
                        {"step": "step_1", "variable": "step_1"},
                    ],
                    "variables": [{"variable": "step_2"}, {"variable": "step_1"}],
                    "future_action_field": ["x"],
                },
                {"action": "action_2", "title": "help", "condition": {"intent": "shared_intent"}, "steps": []},
                {"action": "action_3", "title": "Help", "condition": {"intent": "shared_intent"}, "steps": []},
            ],
            "intents": [
                {"intent": "shared_intent", "examples": [{"text": "b"}, {"text": "a"}]},
                {"intent": "action_1_intent_1", "examples": [{"text": "help me", "created": "2020-01-01T00:00:00Z"}]},
            ],
            "entities": [],
            "data_types": [{"data_type": "dt_1", "title": "Store", "values": [{"value": "x"}]}],
            "future_workspace_field": 42,
        },
    }


def test_collisions_shared_intents_unknown_fields_and_order(cli, tmp_path):
    export = tmp_path / "tiny.json"
    export.write_text(json.dumps(small_skill()), encoding="utf-8")
    tree, out = round_trip(cli, export, tmp_path)
    names = sorted(p.name for p in (tree / "actions").iterdir())
    assert len({n.casefold() for n in names}) == 3  # 'Help', 'help', 'Help': distinct even on Windows/macOS
    assert all(n.casefold().startswith("help") for n in names)
    ids = sorted(canonical.loads((tree / "actions" / n).read_text("utf-8"))["action"] for n in names)
    assert ids == ["action_1", "action_2", "action_3"]
    # the intent two actions use stays in intents/; the one inside an `and` belongs to its action
    assert (tree / "intents" / "shared_intent.yaml").is_file()
    assert not (tree / "intents" / "action_1_intent_1.yaml").exists()
    pushed = json.loads(out.read_bytes())
    action = next(a for a in pushed["workspace"]["actions"] if a["action"] == "action_1")
    assert [s["step"] for s in action["steps"]] == ["step_2", "step_1"]  # steps keep their order
    assert action["future_action_field"] == ["x"]
    assert pushed["future_envelope_field"] == {"kept": True}
    assert pushed["workspace"]["future_workspace_field"] == 42
    assert "collections" not in pushed["workspace"] and "variables" not in pushed["workspace"]
    assert (tree / "data_types" / "Store.yaml").is_file()


def test_editing_examples_in_the_action_file_changes_the_intent(cli, tmp_path):
    tree = tmp_path / "tree"
    assert cli("pull", SAMPLE, "--dir", tree).exit_code == 0
    path = tree / "actions" / "Talk_to_an_agent.yaml"
    doc = canonical.loads(path.read_text("utf-8"))
    doc["intent"]["examples"].append("can I phone someone")
    path.write_text(canonical.dumps(doc), encoding="utf-8")
    assert cli("push", "--dir", tree, "--out", tmp_path / "out.json").exit_code == 0
    intents = json.loads((tmp_path / "out.json").read_bytes())["workspace"]["intents"]
    examples = next(i for i in intents if i["intent"] == "action_21004_intent_52004")["examples"]
    assert {"text": "can I phone someone"} in examples
    actions = json.loads((tmp_path / "out.json").read_bytes())["workspace"]["actions"]
    assert all("intent" not in a for a in actions)


def test_intent_defined_twice_is_refused(cli, tmp_path):
    tree = tmp_path / "tree"
    assert cli("pull", SAMPLE, "--dir", tree).exit_code == 0
    (tree / "intents").mkdir()
    dup = "intent: action_21004_intent_52004\nexamples:\n  - hi\n"
    (tree / "intents" / "dup.yaml").write_text(dup, encoding="utf-8")
    result = cli("push", "--dir", tree, "--out", tmp_path / "out.json")
    assert result.exit_code == 2
    assert "action_21004_intent_52004" in result.stderr and "intents/dup.yaml" in result.stderr
    assert not (tmp_path / "out.json").exists()


def test_action_with_its_own_intent_field_is_refused(cli, tmp_path):
    skill = small_skill()
    skill["workspace"]["actions"][0]["intent"] = "something new"
    export = tmp_path / "odd.json"
    export.write_text(json.dumps(skill), encoding="utf-8")
    result = cli("pull", export, "--dir", tmp_path / "tree")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "tree").exists()


def test_two_branches_adding_and_editing_actions_merge_and_push(cli, in_git_dir, tmp_path):
    repo = in_git_dir
    tree = Path(repo.working_tree_dir) / "skill"
    assert cli("pull", SAMPLE, "--dir", tree).exit_code == 0
    repo.git.add(A=True)
    repo.index.commit("pull")

    repo.git.checkout("-b", "new-action")
    doc = canonical.loads((tree / "actions" / "Talk_to_an_agent.yaml").read_text("utf-8"))
    doc.update(title="Gift cards", action="action_29999")
    doc["intent"] = {"intent": "action_29999_intent_1", "examples": ["do you sell gift cards"]}
    doc["condition"] = {"intent": "action_29999_intent_1"}
    (tree / "actions" / "Gift_cards.yaml").write_text(canonical.dumps(doc), encoding="utf-8")
    repo.git.add(A=True)
    repo.index.commit("add an action")

    repo.git.checkout("main")
    path = tree / "actions" / "Cancel_an_order.yaml"
    edited = canonical.loads(path.read_text("utf-8"))
    edited["intent"]["examples"].append("undo my purchase")
    path.write_text(canonical.dumps(edited), encoding="utf-8")
    variable = "variable: loyalty_tier\ndata_type: string\n"
    (tree / "variables" / "loyalty_tier.yaml").write_text(variable, encoding="utf-8")
    repo.git.add(A=True)
    repo.index.commit("edit an action, add a variable")

    repo.git.merge("new-action", "--no-edit")  # raises on a conflict
    out = tmp_path / "merged.json"
    assert cli("push", "--dir", tree, "--out", out).exit_code == 0
    ws = json.loads(out.read_bytes())["workspace"]
    assert "action_29999" in {a["action"] for a in ws["actions"]}
    intents = {i["intent"]: i for i in ws["intents"]}
    assert {"text": "do you sell gift cards"} in intents["action_29999_intent_1"]["examples"]
    assert {"text": "undo my purchase"} in intents["action_21002_intent_52002"]["examples"]
    assert "loyalty_tier" in {v["variable"] for v in ws["variables"]}
