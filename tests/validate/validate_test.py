"""assistantgit validate (issue 4): every rule fires on a crafted tree at the line of the
offending node, is silent on valid trees, and named files are checked against the whole tree."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from assistantgit.pipeline import pull_file
from assistantgit.validate import RULES, all_rules
from testing.exports import base_export
from testing.paths import PROJECT, SAMPLE_REPO

LONG = "x" * 129


def pulled(tmp_path_factory, export: dict) -> Path:
    folder = tmp_path_factory.mktemp("pulled")
    (folder / "export.json").write_text(json.dumps(export), encoding="utf-8")
    pull_file(folder / "export.json", folder / "skill")
    return folder / "skill"


@pytest.fixture(scope="session")
def base_tree(tmp_path_factory) -> Path:
    """base_export() pulled once per session; tests get their own copy (`tree`)."""
    return pulled(tmp_path_factory, base_export())


@pytest.fixture
def tree(base_tree, tmp_path, monkeypatch) -> Path:
    root = tmp_path / "skill"
    shutil.copytree(base_tree, root)
    monkeypatch.chdir(root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, rel: str, marker: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing marker: computed from the file, never hard-coded."""
    hits = [n for n, line in enumerate((root / rel).read_text(encoding="utf-8").split("\n"), 1) if marker in line]
    assert len(hits) >= occurrence, (marker, rel)
    return hits[occurrence - 1]


def findings(cli, *args) -> tuple[int, list[tuple[str, int, int, str, str]]]:
    result = cli("validate", *args)
    assert "Traceback" not in result.stderr
    parsed = []
    for line in result.stdout.splitlines():
        match = re.fullmatch(r"(.+?):(\d+):(\d+): (error|warning): (AG\d{3}) (.*)", line)
        assert match, line
        assert match[4] == RULES[match[5]].severity, line  # each finding says what it is
        match = [None, match[1], match[2], match[3], match[5], match[6]]
        parsed.append((match[1], int(match[2]), int(match[3]), match[4], match[5]))
    return result.exit_code, parsed


def node_file(root: Path, ident: str) -> str:
    for path in sorted((root / "dialog_nodes").glob("*.yaml")):
        if f"\ndialog_node: {ident}\n" in "\n" + path.read_text(encoding="utf-8"):
            return path.relative_to(root).as_posix()
    raise AssertionError(ident)


# Each case: (rule, mutate(root) -> (rel, marker of the offending line, occurrence)).
def _ag101(r):
    (r / "intents/broken.yaml").write_text("intent: broken\nexamples:\n  - fine\n\t- tab\n", encoding="utf-8")
    return "intents/broken.yaml", "\t- tab", 1


def _ag102(r):
    edit(r, "intents/greeting.yaml", "intent: greeting\n", "")
    return "intents/greeting.yaml", "examples:", 1


def _ag103(r):
    edit(r, "entities/size.yaml", "entity: size\n", "entity: size\nfuzzy_match: maybe\n")
    return "entities/size.yaml", "fuzzy_match", 1


def _ag104(r):
    (r / "intents/notes.txt").write_text("to do\n", encoding="utf-8")
    return "intents/notes.txt", None, 1


def _ag105(r):
    shutil.copy(r / "intents/greeting.yaml", r / "intents/greeting2.yaml")
    return "intents/greeting2.yaml", "intent: greeting", 1


def _ag107(r):
    edit(r, "skill.yaml", "workspace:\n", "workspace:\n  dialogNodes: []\n")
    return "skill.yaml", "dialogNodes", 1


def _rename_intent(name):
    def mutate(r):
        edit(r, "intents/greeting.yaml", "intent: greeting", f"intent: {name}")
        return "intents/greeting.yaml", "intent:", 1

    return mutate


def _rename_entity(name):
    def mutate(r):
        edit(r, "entities/size.yaml", "entity: size", f"entity: {name}")
        return "entities/size.yaml", "entity:", 1

    return mutate


def _ag207(r):
    edit(r, "skill.yaml", "name: Validate test skill", "name: " + "n" * 101)
    return "skill.yaml", "  name:", 1


def _ag208(r):
    edit(r, "skill.yaml", "description: Crafted for the validate tests", "description: " + "d" * 201)
    return "skill.yaml", "  description:", 1


def _ag209(r):
    rel = node_file(r, "anything_else")
    edit(r, rel, "dialog_node: anything_else", "dialog_node: anything/else")
    return rel, "dialog_node:", 1


def _ag210(r):
    edit(r, "intents/greeting.yaml", "  - hey\n", '  - "hey\\tyou"\n')
    return "intents/greeting.yaml", "hey", 1


def _ag301(r):
    rel = node_file(r, "anything_else")
    shutil.copy(r / rel, r / "dialog_nodes/copy.yaml")
    return "dialog_nodes/copy.yaml", "dialog_node:", 1


def _ag302(r):
    rel = node_file(r, "order_ask")
    edit(r, rel, "parent: orders", "parent: nowhere")
    return rel, "parent:", 1


def _ag303(r):
    rel = node_file(r, "greet")
    edit(r, rel, "previous_sibling: welcome", "previous_sibling: gone")
    return rel, "previous_sibling:", 1


def _ag304(r):
    rel = node_file(r, "goodbye")
    edit(r, rel, "previous_sibling: orders", "previous_sibling: order_ask")
    return rel, "previous_sibling:", 1


def _ag305(r):
    rel = node_file(r, "order_other")
    edit(r, rel, "previous_sibling: order_ask\n", "")
    return rel, "dialog_node:", 1


def _ag306(r):
    rel = node_file(r, "order_ask")
    edit(r, rel, "parent: orders\n", "parent: orders\nprevious_sibling: order_other\n")
    return rel, "previous_sibling:", 1


def _ag307(r):
    rel = node_file(r, "goodbye")
    edit(r, rel, "dialog_node: welcome", "dialog_node: nowhere")
    return rel, "  dialog_node: nowhere", 1


def _condition(old, new):
    def mutate(r):
        rel = node_file(r, "order_ask")
        edit(r, rel, old, new)
        return rel, "conditions:", 1

    return mutate


def _ag106(r):
    """One word of skill.yaml: the tree's dialog nodes would vanish from the upload (issue 10)."""
    edit(r, "skill.yaml", "format: watson-dialog", "format: watson-actions")
    return "skill.yaml", "format:", 1


def _ag211(r):
    edit(r, "skill.yaml", "  language: en\n", "  language: xx-nonsense\n")
    return "skill.yaml", "language: xx-nonsense", 1


def _ag501(r):
    edit(r, "intents/greeting.yaml", "  - hey\n", "  - hey\n  - Hey\n")
    return "intents/greeting.yaml", "Hey", 1


def _ag502(r):
    edit(r, "intents/goodbye.yaml", "  - goodbye\n", "  - goodbye\n  - hello\n")
    return "intents/goodbye.yaml", "hello", 1


def _ag503(r):
    edit(r, "intents/goodbye.yaml", "  - bye\n  - cheerio\n", "")
    return "intents/goodbye.yaml", "examples:", 1


def _ag504(r):
    edit(r, "entities/size.yaml", "  - value: small\n", "  - value: small\n  - value: Small\n")
    return "entities/size.yaml", "value: Small", 1


def _ag505(r):
    edit(r, "entities/size.yaml", "      - regular\n", "      - regular\n      - tiny\n")
    return "entities/size.yaml", "- tiny", 2


def _ag601(r):
    text = "intent: huge\nexamples:\n" + "".join(f"  - example {n:07d} {'padding ' * 12}\n" for n in range(110_000))
    (r / "intents/huge.yaml").write_text(text, encoding="utf-8")
    return "skill.yaml", None, 1


def _ag701(r):
    edit(r, "intents/greeting.yaml", "  - hey\n", "  - 'hey'\n")
    return "intents/greeting.yaml", "'hey'", 1


def _as_translation(r, source_text: str, target_text: str):
    """Make the tree a translation of a copy of itself (the record names the copy), the welcome
    text being `source_text` in the source and `target_text` in the translation."""
    source = r.parent / "source"
    shutil.copytree(r, source)
    edit(source, "dialog_nodes/Welcome.yaml", "Hi!", source_text)
    edit(r, "dialog_nodes/Welcome.yaml", "Hi!", target_text)
    (r / "translation.yaml").write_text(
        "format: assistantgit-translation\nversion: 1\nlanguage: en\nsource: ../source\n", encoding="utf-8"
    )
    return "dialog_nodes/Welcome.yaml", target_text, 1


CASES = {
    "AG101": _ag101,
    "AG102": _ag102,
    "AG103": _ag103,
    "AG104": _ag104,
    "AG105": _ag105,
    "AG106": _ag106,
    "AG107": _ag107,
    "AG201": _rename_intent("greet ing!"),
    "AG202": _rename_intent("sys-greeting"),
    "AG203": _rename_intent(LONG),
    "AG204": _rename_entity("si.ze"),
    "AG205": _rename_entity("sys-size"),
    "AG206": _rename_entity("e" * 65),
    "AG207": _ag207,
    "AG208": _ag208,
    "AG209": _ag209,
    "AG210": _ag210,
    "AG211": _ag211,
    "AG301": _ag301,
    "AG302": _ag302,
    "AG303": _ag303,
    "AG304": _ag304,
    "AG305": _ag305,
    "AG306": _ag306,
    "AG307": _ag307,
    "AG401": _condition("#order_status", "#order_statuz"),
    "AG402": _condition("@size:large", "@colour"),
    "AG403": _condition("@size:large", "@size:(extra large)"),
    "AG501": _ag501,
    "AG502": _ag502,
    "AG503": _ag503,
    "AG504": _ag504,
    "AG505": _ag505,
    "AG601": _ag601,
    "AG701": _ag701,
    "AG901": lambda r: _as_translation(r, "Hi $name!", "Salut !"),
    "AG902": lambda r: _as_translation(r, "Hi!", "Salut $nom !"),
}


def actions_export() -> dict:
    """A small actions skill of our own writing: two actions, one owning its intent."""

    def step(ident, **kw):
        return {"step": ident, "handlers": [], "resolver": {"type": "continue"}, **kw}

    return {
        "name": "Validate actions",
        "type": "action",
        "language": "en",
        "workspace": {
            "actions": [
                {
                    "action": "action_1",
                    "title": "Track order",
                    "condition": {"intent": "track_order"},
                    "next_action": "action_2",
                    "steps": [
                        step("step_1", next_step="step_2", question={"entity": "sys-number"}),
                        step(
                            "step_2",
                            resolver={"type": "invoke_another_action_and_end", "invoke_action": {"action": "action_2"}},
                        ),
                    ],
                },
                {
                    "action": "action_2",
                    "title": "Anything else",
                    "condition": {"expression": "anything_else"},
                    "steps": [step("step_1", question={"entity": "colour"})],
                },
            ],
            "intents": [
                {
                    "intent": "track_order",
                    "examples": [
                        {"text": t}
                        for t in (
                            "where is my order",
                            "track my parcel",
                            "order status",
                            "has it shipped",
                            "when will it arrive",
                        )
                    ],
                }
            ],
            "entities": [{"entity": "colour", "values": [{"value": "red", "type": "synonyms", "synonyms": []}]}],
            "collections": [
                {"title": "Orders", "collection": "collection_1", "action_references": [{"action": "action_1"}]}
            ],
            "variables": [],
            "data_types": [],
        },
    }


@pytest.fixture(scope="session")
def base_actions_tree(tmp_path_factory) -> Path:
    return pulled(tmp_path_factory, actions_export())


@pytest.fixture
def actions_tree(base_actions_tree, tmp_path, monkeypatch) -> Path:
    root = tmp_path / "actions-skill"
    shutil.copytree(base_actions_tree, root)
    monkeypatch.chdir(root)
    return root


def _action_edit(old, new, marker, occurrence=1, rel="actions/Track_order.yaml"):
    def mutate(r):
        edit(r, rel, old, new)
        return rel, marker, occurrence

    return mutate


def _ag308(r):
    edit(r, "actions/Anything_else.yaml", "action: action_2", "action: action_1")
    return "actions/Anything_else.yaml", "action: action_1", 1


ACTION_CASES = {
    "AG308": _ag308,
    "AG309": _action_edit("  - step: step_2", "  - step: step_1", "- step: step_1", 2),
    "AG310": _action_edit("next_step: step_2", "next_step: step_9", "next_step: step_9"),
    "AG311": _action_edit("next_action: action_2", "next_action: action_9", "next_action:"),
    "AG404": _action_edit("condition:\n  intent: track_order\n", "condition:\n  intent: track_orders\n", "condition:"),
    "AG405": _action_edit("entity: colour", "entity: color", "entity: color", rel="actions/Anything_else.yaml"),
}


def test_every_rule_has_a_case():
    # AG95x (conversation test files) have their cases in tests/validate/conversation_rules_test.py
    assert sorted({**CASES, **ACTION_CASES}) == [rule.id for rule in all_rules() if not rule.id.startswith("AG95")]


@pytest.mark.parametrize("rule_id", sorted(ACTION_CASES))
def test_actions_rule_fires_at_the_right_line(cli, actions_tree, rule_id):
    check_fires(cli, actions_tree, rule_id, ACTION_CASES)


@pytest.mark.parametrize("rule_id", sorted({**CASES, **ACTION_CASES}))
def test_rule_is_silent_on_the_valid_actions_tree(cli, actions_tree, rule_id):
    code, found = findings(cli, "--select", rule_id)
    assert (code, found) == (0, [])


@pytest.mark.parametrize(
    "rule_id", [pytest.param(r, marks=pytest.mark.slow) if r == "AG601" else r for r in sorted(CASES)]
)
def test_rule_fires_at_the_right_line(cli, tree, rule_id):
    """AG601 writes and assembles an 11 MB intent: a slow test."""
    check_fires(cli, tree, rule_id, CASES)


def check_fires(cli, tree, rule_id, cases):
    rel, marker, occurrence = cases[rule_id](tree)
    expected_line = line_of(tree, rel, marker, occurrence) if marker else 1
    for args in ((), (rel,)):  # the whole tree, and only the file, as pre-commit passes it
        code, found = findings(cli, *args)
        hits = [f for f in found if f[3] == rule_id]
        assert hits, (rule_id, args, found)
        assert (rel, expected_line) in {(f[0], f[1]) for f in hits}, (rule_id, args, hits)
        severity = next(r.severity for r in all_rules() if r.id == rule_id)
        errors = [f for f in found if next(r.severity for r in all_rules() if r.id == f[3]) == "error"]
        assert code == (1 if errors else 0), (code, found)
        if severity == "warning" and not errors:
            assert cli("validate", "--strict", *args).exit_code == 1


@pytest.mark.parametrize("wrong", [1, True, {"a": "b"}, "text"])
@pytest.mark.parametrize(
    "rel, path",
    [
        ("entities/size.yaml", ("values", 0, "synonyms")),
        ("entities/size.yaml", ("values",)),
        ("intents/greeting.yaml", ("examples",)),
    ],
)
def test_a_list_field_of_another_type_is_one_finding_not_a_crash(cli, tree, rel, path, wrong):
    """Found by tests/formats/wrong_types_test.py: `synonyms: 1` ended validate in exit 3."""
    data = canonical.loads((tree / rel).read_text(encoding="utf-8"))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = wrong
    (tree / rel).write_text(canonical.dumps(data), encoding="utf-8")
    code, found = findings(cli)
    assert code == 1
    assert {(f[0], f[3]) for f in found if RULES[f[3]].severity == "error"} == {(rel, "AG103")}, found


@pytest.mark.parametrize("rule_id", sorted({**CASES, **ACTION_CASES}))
def test_rule_is_silent_on_the_valid_tree(cli, tree, rule_id):
    code, found = findings(cli, "--select", rule_id)
    assert (code, found) == (0, [])


def pulled_sample(tmp_path, name: str) -> Path:
    export = SAMPLE_REPO / "exports" / name
    if not export.is_file():
        pytest.skip(f"{export} is not present")
    root = tmp_path / name
    pull_file(export, root)
    return root


def test_silent_on_the_sample_dialog_skill(cli, tmp_path):
    code, found = findings(cli, "--strict", "--dir", pulled_sample(tmp_path, "customer-care-dialog.json"))
    assert (code, found) == (0, [])


def test_no_errors_on_the_sample_actions_skill(cli, tmp_path):
    code, found = findings(cli, "--dir", pulled_sample(tmp_path, "customer-care-actions.json"))
    assert code == 0 and all(f[3] in ("AG503",) for f in found), found


def test_named_file_is_checked_against_the_whole_tree(cli, tree):
    # Deleting a node breaks a link held by another file: checking only that file still sees it.
    target = node_file(tree, "welcome")
    (tree / target).unlink()
    greet = node_file(tree, "greet")
    code, found = findings(cli, greet)
    assert code == 1
    assert {(f[0], f[3]) for f in found} == {(greet, "AG303")}


def test_only_named_files_are_reported(cli, tree):
    edit(tree, "intents/goodbye.yaml", "  - bye\n  - cheerio\n", "")  # AG503 in goodbye only
    code, found = findings(cli, "intents/greeting.yaml")
    assert (code, found) == (0, [])


def test_scan_and_parse_agree(cli, tree):
    """Context files are scanned, named files parsed: both must see the same facts."""
    edit(tree, "intents/goodbye.yaml", "  - goodbye\n", '  - goodbye\n  - "Hello"\n  - "123"\n')
    edit(tree, "intents/greeting.yaml", "  - hey\n", "  - '123'\n  - hey\n")
    _, whole = findings(cli)
    _, single = findings(cli, "intents/greeting.yaml")
    assert [f for f in whole if f[0] == "intents/greeting.yaml"] == single
    assert {f[3] for f in single} >= {"AG502", "AG701"}


def test_json_and_github_formats(cli, tree):
    _ag502(tree)  # a warning: the service accepts the same example in two intents
    _ag307(tree)  # an error: it refuses a jump to a node that does not exist
    result = cli("validate", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {
        "path": "intents/goodbye.yaml",
        "line": line_of(tree, "intents/goodbye.yaml", "hello"),
        "rule": "AG502",
        "severity": "warning",
    }.items() <= next(d for d in data if d["path"] == "intents/goodbye.yaml").items()
    result = cli("validate", "--format", "github")
    line = line_of(tree, "intents/goodbye.yaml", "hello")
    lines = result.stdout.splitlines()
    assert any(
        text.startswith(f"::warning file=intents/goodbye.yaml,line={line},col=5,title=AG502::AG502 ") for text in lines
    ), result.stdout
    assert any(text.startswith("::error file=dialog_nodes/") and "title=AG307::" in text for text in lines), (
        result.stdout
    )


def test_unusable_input_exits_2(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("validate")
    assert result.exit_code == 2 and "no source tree here or above" in result.stderr
    assert cli("validate", "--format", "xml").exit_code == 2
    result = cli("validate", "--select", "AG999")
    assert result.exit_code == 2 and "no rule 'AG999'" in result.stderr


def test_help_has_an_example(cli):
    result = cli("validate", "--help")
    assert result.exit_code == 0 and "Example: assistantgit validate" in result.stdout


def test_files_from_two_trees(cli, tmp_path, monkeypatch):
    roots = []
    for name in ("one", "two"):
        export = tmp_path / f"{name}.json"
        export.write_text(json.dumps(base_export()), encoding="utf-8")
        pull_file(export, tmp_path / name)
        roots.append(tmp_path / name)
    _ag502(roots[1])
    monkeypatch.chdir(tmp_path)
    code, found = findings(cli, "--strict", "one/intents/goodbye.yaml", "two/intents/goodbye.yaml")
    assert code == 1 and {(f[0], f[3]) for f in found} == {("two/intents/goodbye.yaml", "AG502")}


# --- the fast path: scanned and cached facts must equal parsed facts ----------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from assistantgit import canonical  # noqa: E402
from assistantgit.validate import _scan  # noqa: E402
from testing.profile import examples  # noqa: E402

SCANNERS = {"intents": _scan.scan_intent, "entities": _scan.scan_entity, "dialog_nodes": _scan.scan_node}
awkward = st.one_of(
    st.text(min_size=1, max_size=30),
    st.sampled_from(
        ["null", "true", "123", "1.5", "- x", "a: b", "a:", "#tag", '"q"', "it's", " lead", "trail ", "|", "{x}"]
    ),
    st.integers(),
    st.none(),
)


@settings(max_examples=examples(300), deadline=None)
@given(
    name=st.text(min_size=1, max_size=20),
    examples=st.lists(
        st.one_of(
            awkward,
            st.builds(
                lambda t, e: {"text": t, "mentions": [{"entity": e, "location": [0, 1]}]},
                st.text(min_size=1, max_size=20),
                st.text(min_size=1),
            ),
        )
    ),
)
def test_intent_scan_equals_parse(name, examples):
    text = canonical.dumps({"intent": name, "description": "d", "examples": examples})
    scanned = _scan.scan_intent(text)
    parsed = _scan.facts_from_data("intents", canonical.loads(text))
    assert scanned is None or scanned == parsed
    assert _scan.thaw(_scan.freeze(parsed)) == parsed


@settings(max_examples=examples(300), deadline=None)
@given(texts=st.lists(st.one_of(awkward.filter(lambda t: isinstance(t, str)), st.text('-.0|{["nultrfaseia: '))))
def test_the_example_scan_without_colons_decides_as_the_full_search(texts):
    """_items_text looks for texts to read carefully with _CAREFUL_START alone when they hold
    no ':' (its other two branches need one): the same verdict as _CAREFUL."""
    joined = "\n" + "\n".join(texts) + "\n"
    if ":" not in joined:
        assert (_scan._CAREFUL_START.search(joined) is None) == (_scan._CAREFUL.search(joined) is None)
    text = canonical.dumps({"intent": "i", "examples": texts})
    scanned = _scan.scan_intent(text)
    assert scanned is None or scanned == _scan.facts_from_data("intents", canonical.loads(text))


@settings(max_examples=examples(300), deadline=None)
@given(values=st.lists(awkward, max_size=5), ident=awkward, parent=awkward, jump=awkward)
def test_entity_and_node_scan_equal_parse(values, ident, parent, jump):
    entity = canonical.dumps({"entity": "e", "values": [{"value": v, "synonyms": ["s"]} for v in values]})
    scanned = _scan.scan_entity(entity)
    assert scanned is None or scanned == _scan.facts_from_data("entities", canonical.loads(entity))
    node = {
        "dialog_node": ident,
        "parent": parent,
        "next_step": {"behavior": "jump_to", "dialog_node": jump},
        "output": {"text": "multi\nline: x\ndialog_node: fake"},
    }
    text = canonical.dumps(node)
    scanned = _scan.scan_node(text)
    assert scanned is None or scanned == _scan.facts_from_data("dialog_nodes", canonical.loads(text))


@pytest.mark.slow  # a sweep of the shared corpus: in the full suite (our samples cover the same ground)
def test_scanners_read_real_trees_without_falling_back(tmp_path, shared_corpus):
    exports = sorted((shared_corpus / "dialog").glob("*.json")) + sorted((shared_corpus / "actions").glob("*.json"))
    exports += list((SAMPLE_REPO / "exports").glob("*.json"))
    scanners = [(folder, key, scan) for folder, scan in SCANNERS.items() for key in (folder,)]
    scanners += [("actions", "actions", _scan.scan_action_intent), ("actions", "action_id", _scan.scan_action_id)]
    checked = 0
    for index, export in enumerate(exports):
        root = tmp_path / str(index)
        try:
            pull_file(export, root)
        except Exception:
            continue
        for folder, key, scan in scanners:
            for path in sorted((root / folder).glob("*.yaml")):
                text = path.read_text(encoding="utf-8")
                scanned = scan(text)
                assert scanned is not None, path  # pull's output is always scannable
                assert scanned == _scan.facts_from_data(key, canonical.loads(text)), path
                checked += 1
    assert checked > 1000


def test_cache_follows_changes_to_other_files(cli, tree, private_cache):
    assert findings(cli, "intents/greeting.yaml") == (0, [])
    assert not (tree / ".assistantgit").exists()  # outside the tree: a commit cannot bring one (issue 11)
    # the small facts (sizes, canonical form) and the cross-file ones (names, examples, links)
    assert len(list((private_cache / "assistantgit" / "validate").glob("*.marshal"))) == 2
    _ag502(tree)  # goodbye (not named) now shares 'hello' with greeting
    code, found = findings(cli, "--strict", "intents/greeting.yaml")
    assert code == 1 and [(f[0], f[3]) for f in found] == [("intents/greeting.yaml", "AG502")]
    edit(tree, "intents/goodbye.yaml", "  - hello\n", "  - hellO\n")  # same size, new content
    assert findings(cli, "--strict", "intents/greeting.yaml")[0] == 1
    edit(tree, "intents/goodbye.yaml", "  - hellO\n", "  - hallo\n")
    assert findings(cli, "intents/greeting.yaml") == (0, [])


def test_each_intents_examples_are_normalized_once_and_kept_in_the_cache(cli, tree, private_cache, monkeypatch):
    """AG501 and AG502 compare the keys one normalization made (issue 14): a whole-tree run
    normalizes each intent's examples once; a first run on one file, every intent's once;
    the next run takes the unchanged files' keys from the fact cache and normalizes only the
    named file's, and an edited file's keys are made again."""
    from assistantgit.validate import _tree
    from testing.parsing import age_one_tick

    _ag502(tree)  # goodbye shares 'hello' with greeting
    age_one_tick()
    computed = []
    real = _tree.example_keys
    monkeypatch.setattr(_tree, "example_keys", lambda examples: computed.append(examples) or real(examples))
    intents = len(list((tree / "intents").glob("*.yaml")))
    code, found = findings(cli, "--strict")
    assert code == 1 and sorted((f[0], f[3]) for f in found if f[3] == "AG502") == [
        ("intents/goodbye.yaml", "AG502"),
        ("intents/greeting.yaml", "AG502"),
    ]
    assert len(computed) == intents
    for run in range(2):
        computed.clear()
        code, found = findings(cli, "--strict", "intents/greeting.yaml")
        assert code == 1 and [(f[0], f[3]) for f in found] == [("intents/greeting.yaml", "AG502")]
        assert len(computed) == (intents if run == 0 else 1)
        age_one_tick()
    edit(tree, "intents/goodbye.yaml", "  - hello\n", "  - HELLO\n")  # the same size, the same key
    age_one_tick()
    computed.clear()
    code, found = findings(cli, "--strict", "intents/greeting.yaml")
    assert code == 1 and [(f[0], f[3]) for f in found] == [("intents/greeting.yaml", "AG502")]
    assert sorted(computed) == sorted([real_texts(tree, "greeting"), real_texts(tree, "goodbye")])


def real_texts(tree, name: str) -> list:
    from assistantgit import canonical

    return canonical.loads((tree / "intents" / f"{name}.yaml").read_text(encoding="utf-8"))["examples"]


def test_a_cache_in_the_tree_is_never_read_and_a_damaged_one_is_rebuilt(cli, tree, private_cache):
    """Issue 11: a crafted .assistantgit/cache/*.marshal committed in a pull request crashed
    validate and could hide findings; a damaged cache must be ignored and rebuilt."""
    import marshal
    import sys

    _ag502(tree)  # goodbye (not named) shares 'hello' with greeting
    name = "validate-v1-py%d%d.marshal" % sys.version_info[:2]
    crafted = tree / ".assistantgit" / "cache" / name
    crafted.parent.mkdir(parents=True)
    crafted.write_bytes(marshal.dumps({"intents/goodbye.yaml": (), "intents/greeting.yaml": ((0,), {"intents": 5})}))
    expected = [("intents/greeting.yaml", "AG502")]
    code, found = findings(cli, "--strict", "intents/greeting.yaml")
    assert code == 1 and [(f[0], f[3]) for f in found] == expected
    caches = sorted((private_cache / "assistantgit" / "validate").glob("*.marshal"))
    assert len(caches) == 2
    for damaged in caches:
        for damage in (
            b"",
            b"\xff" * 100,
            damaged.read_bytes()[:-7],
            damaged.read_bytes()[:60] + b"\x00" + damaged.read_bytes()[61:],
        ):
            damaged.write_bytes(damage)
            code, found = findings(cli, "--strict", "intents/greeting.yaml")
            assert code == 1 and [(f[0], f[3]) for f in found] == expected, damage[:20]
    (cache,) = (private_cache / "assistantgit" / "validate").glob("*-facts-*.marshal")  # the cross-file facts
    # a well-formed file whose facts have the wrong shape: ignored entry by entry
    from assistantgit.validate import _cache

    entries = _cache._load(str(cache))
    entries = {
        rel: (stamp, {key: ("node", [1], {}, None, None, None) for key in facts})
        for rel, (stamp, facts) in entries.items()
    }
    payload = marshal.dumps(entries)
    import hashlib

    cache.write_bytes(_cache._MAGIC + hashlib.sha256(payload).digest() + payload)
    code, found = findings(cli, "--strict", "intents/greeting.yaml")
    assert code == 1 and [(f[0], f[3]) for f in found] == expected
    # an intent's example keys that are not texts (AG502 puts them in sets): ignored too
    from testing.parsing import age_one_tick

    age_one_tick()
    entries = {
        rel: (stamp, {"intents": ("hello", [[1], {}])}) for rel, (stamp, _facts) in _cache._load(str(cache)).items()
    }
    assert "intents/goodbye.yaml" in entries
    payload = marshal.dumps(entries)
    cache.write_bytes(_cache._MAGIC + hashlib.sha256(payload).digest() + payload)
    code, found = findings(cli, "--strict", "intents/greeting.yaml")
    assert code == 1 and [(f[0], f[3]) for f in found] == expected


def test_cache_is_invisible_to_git(cli, tree, in_git_dir):
    import git

    repo = git.Repo.init(tree)
    findings(cli, "intents/greeting.yaml")
    assert not [p for p in repo.untracked_files if p.startswith(".assistantgit")]


def test_every_rule_is_documented():
    text = (PROJECT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert (
            f"### {rule.id} — " in text and f"({rule.severity})" in text.split(f"### {rule.id} — ")[1].split("\n")[0]
        ), rule.id


# --- the line locator: the fast line scan agrees with ruamel.yaml's positions -----------------

from assistantgit.canonical import locate_canonical, locate_node, roundtrip_document  # noqa: E402

json_like = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=12),
        st.sampled_from(["a\nb", "x: y", "- z", "multi\nline\n", "#"]),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


@settings(max_examples=examples(300), deadline=None)
@given(data=st.dictionaries(st.text(max_size=8), json_like, min_size=1, max_size=5))
def test_locator_agrees_with_ruamel(data):
    """ruamel parses each text once for all its paths (what locate_roundtrip does per path)."""
    text = canonical.dumps(data)
    document = roundtrip_document(text)
    for path in list(_paths(data))[1:]:
        assert locate_canonical(text, path) == locate_node(document, path), (path, text)


# --- other formats: a published-version ZIP tree is validated part by part; an Avaamo tree
# is checked for what push needs, and validate says what it cannot check.


def test_zip_tree_is_validated_part_by_part(cli, tmp_path):
    import shutil

    from testing.paths import SAMPLE_REPO

    tree = tmp_path / "assistant"
    shutil.copytree(SAMPLE_REPO / "assistant-zip", tree)
    clean = cli("validate", "--dir", tree, "--select", "AG105")
    assert clean.exit_code == 0, clean.stdout + clean.stderr
    (tree / "dialog" / "intents" / "greeting_copy.yaml").write_text("intent: greeting\nexamples: []\n")
    broken = cli("validate", "--dir", tree)
    assert broken.exit_code == 1
    assert "dialog/intents/greeting_copy.yaml:1:1: error: AG105 intent 'greeting' is also defined in" in broken.stdout


def test_avaamo_tree_structure_is_checked_and_the_rest_is_named(cli, tmp_path):
    import shutil

    from testing.paths import SAMPLE_REPO

    tree = tmp_path / "agent"
    shutil.copytree(SAMPLE_REPO / "avaamo-agent", tree)
    clean = cli("validate", "--dir", tree)
    assert clean.exit_code == 0 and clean.stdout == ""
    assert "not checked" in clean.stderr
    split_item = sorted(p for p in (tree / "files").rglob("*.yaml") if len(p.relative_to(tree).parts) > 3)[0]
    split_item.unlink()
    broken = cli("validate", "--dir", tree)
    assert broken.exit_code == 1
    assert "AG801" in broken.stdout and split_item.name in broken.stdout


def test_avaamo_finding_points_at_the_broken_file_and_line(cli, tmp_path, monkeypatch):
    """AG801 used to point every finding at agent.yaml:1:1 (the message named the real file):
    editors and GitHub annotations marked the wrong file. It points at the file and line now."""
    tree = tmp_path / "agent"
    shutil.copytree(SAMPLE_REPO / "avaamo-agent", tree)
    item = sorted((tree / "files").rglob("*.yaml"))[-1]
    lines = item.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0].startswith("name: ")
    item.write_text("".join(lines) + "name: twice\n", encoding="utf-8")  # a duplicate key, on this line
    monkeypatch.chdir(tmp_path)
    (finding,) = json.loads(cli("validate", "--dir", "agent", "--format", "json").stdout)
    assert (finding["path"], finding["rule"]) == (item.relative_to(tmp_path).as_posix(), "AG801")
    assert finding["line"] == len(lines) + 1 and "YAML error" in finding["message"]
    github = cli("validate", "--dir", "agent", "--format", "github").stdout
    assert f"file={item.relative_to(tmp_path).as_posix()},line={len(lines) + 1}," in github
