"""assistantgit test --utterances (issue 16): intent regression through bulk_classify (or one
message per utterance where the plan lacks it), scored against the toy assistant's own
answers computed here without the SDK; a deliberately broken intent is flagged against a
baseline; the confusion picture is an SVG."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest

from testing.conversations import ACTIONS_EXPORT, ASSISTANT_ID, write

# Utterances of our own writing, not the training examples: (utterance, expected intent).
UTTERANCES = [
    ("where is my package", "order_status"),
    ("has my order left the warehouse", "order_status"),
    ("I want to cancel the order I placed", "cancel_order"),
    ("stop my order please", "cancel_order"),
    ("I need a refund for a broken item", "refund"),
    ("how do I get my money back", "refund"),
    ("I would like a refund", "refund"),
    ("what are your opening hours", "store_hours"),
    ("is the shop open on saturday", "store_hours"),
    ("how much is shipping to Austria", "shipping_costs"),
    ("can I talk to a real person", "talk_to_agent"),
    ("thank you so much", "thanks"),
    ("good morning", "greeting"),
    ("bye for now", "goodbye"),
    ("this shop is terrible", "complaint"),
    ("what can you help me with", "help"),
    ("I moved to a new address", "change_address"),
]


def csv_text(rows=UTTERANCES, header=True) -> str:
    lines = ["utterance,intent"] if header else []
    lines += [f'"{text}",{intent}' for text, intent in rows]
    return "\n".join(lines) + "\n"


def toy_accuracy(workspace: dict, rows=UTTERANCES) -> float:
    """What the toy answers, computed without the SDK or assistantgit's regression code."""
    from testing.toy_assistant import Skill

    skill = Skill(workspace, "dialog")
    right = 0
    for text, intent in rows:
        found = skill.classify(text)
        right += bool(found and found[0]["confidence"] >= 0.2 and found[0]["intent"] == intent)
    return round(100.0 * right / len(rows), 2)


def run_json(cli, *args):
    result = cli("test", "--env", "dev", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def test_accuracy_and_per_intent_scores(cli, dialog_project, chat):
    write(dialog_project / "u.csv", csv_text())
    code, report = run_json(cli, "--utterances", "u.csv")
    assert code == 0
    assert report["utterances"] == len(UTTERANCES)
    assert report["accuracy"] == toy_accuracy(chat.state.workspaces["ws-dev"])
    refund = report["intents"]["refund"]
    assert refund["support"] == 3 and 0 <= refund["f1"] <= 100
    bulk = [r for r in chat.state.api_requests("POST") if r.path == "/v1/workspaces/ws-dev/bulk_classify"]
    assert len(bulk) == 1 and [i["text"] for i in bulk[0].body["input"]] == [t for t, _ in UTTERANCES]


def test_a_broken_intent_is_flagged_against_the_baseline(cli, dialog_project, chat, tmp_path):
    write(dialog_project / "u.csv", csv_text())
    _, before = run_json(cli, "--utterances", "u.csv")
    baseline = write(tmp_path / "main.json", json.dumps(before))
    workspace = chat.state.workspaces["ws-dev"]
    for intent in workspace["intents"]:
        if intent["intent"] == "refund":  # a bad merge replaced its examples
            intent["examples"] = [{"text": "lorem ipsum"}, {"text": "dolor sit amet"}]
    chat.state.workspaces["ws-dev"] = dict(workspace)
    result = cli("test", "--env", "dev", "--utterances", "u.csv", "--baseline", baseline)
    assert result.exit_code == 1
    after = toy_accuracy(chat.state.workspaces["ws-dev"])
    assert after < before["accuracy"]
    assert (
        f"Baseline: accuracy {before['accuracy']:.1f}% -> {after:.1f}%" in result.stdout and "FAILED" in result.stdout
    )
    assert f"  refund: F1 {before['intents']['refund']['f1']:.1f} -> 0.0" in result.stdout
    assert "  refund -> " in result.stdout.split("Most confused")[1]
    relaxed = cli("test", "--env", "dev", "--utterances", "u.csv", "--baseline", baseline, "--max-drop", "100")
    assert relaxed.exit_code == 0 and ": ok" in relaxed.stdout


def test_without_bulk_classify_one_message_per_utterance(cli, dialog_project, chat):
    write(dialog_project / "u.csv", csv_text(header=False))
    chat.state.fail("POST", r"/bulk_classify$", 403, body={"error": "Forbidden: not available on this plan"})
    result = cli("test", "--env", "dev", "--utterances", "u.csv", "--format", "json", "--jobs", "3")
    assert result.exit_code == 0
    assert "bulk_classify is not available (403)" in result.stderr
    sent = [r for r in chat.state.api_requests("POST") if r.path.endswith("/message")]
    assert len(sent) == len(UTTERANCES) and all(r.body["alternate_intents"] is True for r in sent)
    assert json.loads(result.stdout)["accuracy"] == toy_accuracy(chat.state.workspaces["ws-dev"])


def test_the_confusion_picture_is_an_svg_of_the_confused_intents(cli, dialog_project, chat, tmp_path):
    write(dialog_project / "u.csv", csv_text())
    plot = tmp_path / "confusion.svg"
    _, report = run_json(cli, "--utterances", "u.csv", "--plot", plot)
    svg = ElementTree.parse(plot).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    confused = {name for pair in report["confused"] for name in (pair["expected"], pair["predicted"])}
    labels = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert confused and confused <= labels
    cells = [
        r
        for r in svg.iter("{http://www.w3.org/2000/svg}rect")
        if r.find("{http://www.w3.org/2000/svg}title") is not None
    ]
    assert len(cells) == len(confused) ** 2
    first = report["confused"][0]
    titles = {r.find("{http://www.w3.org/2000/svg}title").text for r in cells}
    assert f"{first['expected']} -> {first['predicted']}: {first['count']}" in titles


def test_markdown_report(cli, dialog_project):
    write(dialog_project / "u.csv", csv_text())
    result = cli("test", "--env", "dev", "--utterances", "u.csv", "--format", "markdown")
    assert result.stdout.startswith("### ✅ Intent regression")
    assert "| Intent | Precision | Recall | F1 | Utterances |" in result.stdout


@pytest.mark.parametrize(
    "content, message",
    [
        ("where is my order\n", "u.csv:1: expected utterance,intent"),
        ("utterance,intent\n", "u.csv: no utterances"),
    ],
)
def test_a_bad_csv_is_one_line_exit_2(cli, dialog_project, chat, content, message):
    write(dialog_project / "u.csv", content)
    result = cli("test", "--env", "dev", "--utterances", "u.csv")
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert chat.state.api_requests("POST") == []


def test_a_baseline_that_is_not_a_report(cli, dialog_project, tmp_path):
    write(dialog_project / "u.csv", csv_text())
    bad = write(tmp_path / "b.json", '{"summary": {}}')
    result = cli("test", "--env", "dev", "--utterances", "u.csv", "--baseline", bad)
    assert result.exit_code == 2 and "no accuracy" in result.stderr


def test_actions_regression_uses_theaction_skill(cli, actions_project, chat):
    skill = json.loads(ACTIONS_EXPORT.read_text(encoding="utf-8"))
    chat.state.lifecycle.add_environments(ASSISTANT_ID)
    draft = chat.state.lifecycle.environments[ASSISTANT_ID][0]
    draft["skill_references"] = [{"skill_id": skill["skill_id"], "type": "action"}]  # as the service lists it
    rows = [("where is my parcel", "action_21001_intent_52001"), ("cancel my order", "action_21002_intent_52002")]
    write(actions_project / "u.csv", csv_text(rows))
    _, report = run_json(cli, "--utterances", "u.csv")
    assert report["accuracy"] == 100.0
    posts = [r.path for r in chat.state.api_requests("POST")]
    assert posts == [f"/v2/skills/{skill['skill_id']}/workspace/bulk_classify"]


def test_an_environment_without_its_skill_id_is_classified_by_messages(cli, actions_project, chat):
    write(actions_project / "u.csv", csv_text([("cancel my order", "action_21002_intent_52002")]))
    result = cli("test", "--env", "dev", "--utterances", "u.csv", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["accuracy"] == 100.0
    assert "the environment lists no action skill" in result.stderr
    sent = [r for r in chat.state.api_requests("POST") if r.path.endswith("/message")]
    assert len(sent) == 1 and sent[0].body["input"]["options"] == {"alternate_intents": True}
