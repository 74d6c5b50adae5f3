"""The strings a translator sees: keys, notes, placeholders, actions texts."""

from __future__ import annotations

import copy

import pytest

from assistantgit.pipeline import read_tree
from assistantgit.translate.outputs import concat_parts, concat_text
from assistantgit.translate.placeholders import mismatch, placeholders, pseudo, split
from assistantgit.translate.units import locations, unit_id
from testing.paths import SAMPLE_REPO


@pytest.mark.parametrize(
    "text, found",
    [
        ("Hello $name, see you", ["$name"]),
        ("Order $order.id ships", ["$order.id"]),
        ("Thanks $name. Bye", ["$name"]),
        ("Size @size:large or @size:(extra large)?", ["@size:(extra large)", "@size:large"]),
        ("Write to help@example.org", []),
        ("Today is <? now().reformatDateTime('EEEE') ?>!", ["<? now().reformatDateTime('EEEE') ?>"]),
        ("Your order {{step_130}} and ${var}", ["${var}", "{{step_130}}"]),
        ("US$ 5 and $5", []),
        ("ありがとう$name", ["$name"]),
    ],
)
def test_placeholders(text, found):
    assert sorted(placeholders(text)) == found
    assert "".join(run for _, run in split(text)) == text


def test_mismatch_counts_and_allows_reordering():
    assert mismatch("$a and $b", "$b puis $a") == ([], [])
    assert mismatch("$a and $a", "$a") == (["$a"], [])
    assert mismatch("Hi $name", "Salut $nom") == (["$name"], ["$nom"])


def test_pseudo_reverses_words_and_keeps_placeholders_and_punctuation():
    assert pseudo("Thanks $name. Here you are!") == "sknahT $name. era uoy ereH!"
    assert placeholders(pseudo("see @sys-date, $x")) == placeholders("see @sys-date, $x")


def test_keys_are_stable_when_an_example_is_added():
    _, files = read_tree(SAMPLE_REPO / "dialog-skill")
    before = {loc.key: loc.text for loc in locations(files)}
    changed = copy.deepcopy(files)
    changed["intents/refund.yaml"]["examples"].insert(0, "A brand new example")
    after = {loc.key: loc.text for loc in locations(changed)}
    assert set(after) - set(before) == {"intent:refund:examples{A brand new example}"}
    assert all(after[key] == text for key, text in before.items())


def test_what_is_and_is_not_offered():
    _, files = read_tree(SAMPLE_REPO / "dialog-skill")
    found = locations(files)
    texts = {loc.text for loc in found}
    keys = {loc.key for loc in found}
    assert "#cancel_order" not in texts and "order_number" not in keys  # conditions, entity names
    assert not any("[A-Z]{2}" in text for text in texts)  # pattern values are regular expressions
    assert "entity:shipping_method:values{express}.value" in keys
    assert "dialog_node:handler_order_number_focus:title" not in keys  # a slot handler's name is never shown
    note = next(
        loc.note for loc in found if loc.key == "dialog_node:node_cancel_order:output.generic[1].options[0].label"
    )
    assert note == "dialog node 'Cancel order' (node_cancel_order): label of an option (a button or list entry)"
    assert all(unit_id(text)[0] == "u" and unit_id(text)[1:].isalnum() for text in texts)  # NMTOKEN ids


def test_actions_texts_are_one_sentence_with_variables_as_placeholders():
    parts = [
        {"scalar": "Order "},
        {"variable": "step_130"},
        {"scalar": " ships on "},
        {"skill_variable": "date", "variable_path": "day"},
        {"scalar": "."},
    ]
    text = concat_text(parts)
    assert text == "Order {{step_130}} ships on {{date.day}}."
    assert concat_parts(parts, text) == parts
    assert concat_parts(parts, "Le {{date.day}}, la commande {{step_130}} part.") == [
        {"scalar": "Le "},
        parts[3],
        {"scalar": ", la commande "},
        parts[1],
        {"scalar": " part."},
    ]
    _, files = read_tree(SAMPLE_REPO / "actions-skill")
    assert any(loc.how == "concat" and "{{" in loc.text for loc in locations(files))


def test_a_character_xliff_cannot_carry_is_one_line(cli, copy_sample, tmp_path):
    from assistantgit import canonical

    skill = copy_sample("dialog-skill")
    node = skill / "dialog_nodes" / "Thanks.yaml"
    data = canonical.loads(node.read_text())
    data["output"]["generic"][0]["values"][0]["text"] = "bell \x07 here"
    node.write_text(canonical.dumps(data))
    result = cli("translate", "export", "--dir", skill, "--out", tmp_path / "x.xlf")
    assert result.exit_code == 2 and "export --format po or csv" in result.stderr
    assert cli("translate", "export", "--dir", skill, "--out", tmp_path / "x.po").exit_code == 0
