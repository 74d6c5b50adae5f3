"""Behaviour of the Watson Assistant dialog format (issue 2): round trips on our sample
and on every real export of the shared corpus, the envelope shape, file names, and
plain `git merge` of two branches followed by a push.

The canonical form used to compare an export with what push writes is written here,
independently of assistantgit's own normalization, so the two cannot share a mistake.
"""

from __future__ import annotations

import copy
import gc
import json
import random
import re
import unicodedata
from pathlib import Path

import pytest
from deepdiff import DeepDiff

from testing.exports import VOLATILE  # fields that describe a copy of a skill (issue 2: dropped on pull)
from testing.paths import SAMPLE_REPO, corpus_cases

SAMPLE_EXPORT = SAMPLE_REPO / "exports" / "customer-care-dialog.json"
SAMPLE_TREE = SAMPLE_REPO / "dialog-skill"
MAX_BYTES = 10 * 1024 * 1024

TIMESTAMPS = {"created", "updated"}


# --- an independent canonical form ------------------------------------------------------


def _sorted_set(items: list) -> list:
    """Order a set-like array by full content: no knowledge of which field is the name."""
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=True))


def _no_timestamps(item):
    return {k: v for k, v in item.items() if k not in TIMESTAMPS} if isinstance(item, dict) else item


def canonical_workspace(ws: dict) -> dict:
    ws = {k: v for k, v in copy.deepcopy(ws).items() if k not in VOLATILE}
    ws.setdefault("language", "en")
    intents = []
    for intent in ws.get("intents") or []:
        intent = _no_timestamps(intent)
        examples = []
        for example in intent.get("examples") or []:
            example = _no_timestamps(example)
            if isinstance(example, dict) and isinstance(example.get("mentions"), list):
                example["mentions"] = _sorted_set(example["mentions"])
            examples.append(example)
        if "examples" in intent:
            intent["examples"] = _sorted_set(examples)
        intents.append(intent)
    entities = []
    for entity in ws.get("entities") or []:
        entity = _no_timestamps(entity)
        values = []
        for value in entity.get("values") or []:
            value = _no_timestamps(value)
            for key in ("synonyms", "patterns"):
                if isinstance(value.get(key), list):
                    value[key] = sorted(value[key])
            values.append(value)
        if "values" in entity:
            entity["values"] = _sorted_set(values)
        entities.append(entity)
    for key, items in (("intents", intents), ("entities", entities)):
        if key in ws:
            ws[key] = _sorted_set(items)
    for key in ("dialog_nodes", "counterexamples", "webhooks"):
        if isinstance(ws.get(key), list):
            ws[key] = _sorted_set([_no_timestamps(item) for item in ws[key]])
    return ws


def canonical(export: dict) -> dict:
    if isinstance(export.get("workspace"), dict):
        top = {k: v for k, v in export.items() if k not in VOLATILE and k != "workspace"}
        top.setdefault("language", "en")
        top["workspace"] = canonical_workspace(export["workspace"])
        return top
    return canonical_workspace(export)


def load_json(path: Path):
    return json.loads(Path(path).read_bytes().decode("utf-8-sig"))


# --- checks on push output and on trees ---------------------------------------------------


def read_upload(path: Path) -> dict:
    """The pushed file, after checking what the vendor's upload page demands."""
    raw = Path(path).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "output starts with a BOM"
    for byte in (b"\t", b"\n", b"\r"):
        assert byte not in raw, f"output holds a raw {byte!r} byte"
    assert len(raw) <= MAX_BYTES
    return json.loads(raw.decode("utf-8"))  # strict: invalid UTF-8 raises


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root (except .git, and the conversation tests pull leaves alone) by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(Path(root).rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts and p.relative_to(root).parts[0] != "conversations"
    }


def assert_same_content(original: dict, pushed: dict) -> None:
    """Equal content. Set-like arrays are put in order by `canonical` and DeepDiff then compares
    strictly: DeepDiff's own ignore_order (even through ignore_order_func) hashes whole items
    and would miss a reordering *inside* them, such as the responses of a dialog node."""
    diff = DeepDiff(canonical(original), canonical(pushed), verbose_level=2)
    assert not diff, diff.pretty()[:3000]


def test_the_comparison_itself():
    """The comparison ignores what a re-download changes and catches what push must keep."""
    original = load_json(SAMPLE_EXPORT)
    assert_same_content(original, shuffled_redownload(original, seed=1))
    changes = {
        "responses reordered": lambda e: e["dialog_nodes"][1]["output"]["generic"][0]["values"].reverse(),
        "option order": lambda e: next(n for n in e["dialog_nodes"] if n["dialog_node"] == "node_cancel_order")[
            "output"
        ]["generic"][1]["options"].reverse(),
        "field dropped": lambda e: e["dialog_nodes"][0].pop("context"),
        "mention moved": lambda e: e["intents"][4]["examples"][3]["mentions"][0].update(location=[0, 5]),
        "language": lambda e: e.update(language="de"),
        "synonym lost": lambda e: e["entities"][0]["values"][0]["synonyms"].pop(),
    }
    for what, change in changes.items():
        changed = copy.deepcopy(original)
        change(changed)
        with pytest.raises(AssertionError):
            assert_same_content(original, changed)
            pytest.fail(f"not detected: {what}")  # pragma: no cover


def assert_valid_dialog(export: dict) -> list:
    """The dialog tree is a valid one (what the vendor would accept): returns the nodes'
    ids in order, children after their parent."""
    ws = export.get("workspace", export)
    nodes = ws.get("dialog_nodes", [])
    by_id = {n["dialog_node"]: n for n in nodes}
    assert len(by_id) == len(nodes), "duplicate dialog_node ids"
    followers: dict = {}
    for node in nodes:
        parent, previous = node.get("parent"), node.get("previous_sibling")
        assert parent is None or parent in by_id, f"{node['dialog_node']}: parent {parent} missing"
        if previous is not None:
            assert previous in by_id, f"{node['dialog_node']}: previous_sibling {previous} missing"
            assert by_id[previous].get("parent") == parent
        key = (parent, previous)
        assert key not in followers, f"{followers.get(key)} and {node['dialog_node']} share a place"
        followers[key] = node["dialog_node"]
        jump = (node.get("next_step") or {}).get("dialog_node")
        assert jump is None or jump in by_id, f"{node['dialog_node']}: jump target {jump} missing"
    # Walk every sibling chain from its first child: each node is reached exactly once.
    reached: list = []

    def walk(parent):
        current = followers.get((parent, None))
        while current is not None:
            assert current not in reached, f"cycle at {current}"
            reached.append(current)
            walk(current)
            current = followers.get((parent, current))

    walk(None)
    assert sorted(reached) == sorted(by_id), "some nodes are not reachable from a first child"
    return reached


def shuffled_redownload(export: dict, seed: int) -> dict:
    """The same content as a later download may deliver it: every set-like array and
    every object's keys in another order, new timestamps."""
    rnd = random.Random(seed)

    def shuffle_keys(value):
        if isinstance(value, dict):
            items = [(k, shuffle_keys(v)) for k, v in value.items()]
            rnd.shuffle(items)
            return {k: ("2031-02-03T04:05:06.789Z" if k in TIMESTAMPS and isinstance(v, str) else v) for k, v in items}
        if isinstance(value, list):
            return [shuffle_keys(v) for v in value]
        return value

    doc = copy.deepcopy(export)
    for ws in (doc, doc.get("workspace")):
        if not isinstance(ws, dict):
            continue
        for key in ("intents", "entities", "dialog_nodes", "counterexamples"):
            if isinstance(ws.get(key), list):
                rnd.shuffle(ws[key])
        for intent in ws.get("intents") or []:
            for example in intent.get("examples") or []:
                if isinstance(example, dict) and isinstance(example.get("mentions"), list):
                    rnd.shuffle(example["mentions"])
            if isinstance(intent.get("examples"), list):
                rnd.shuffle(intent["examples"])
        for entity in ws.get("entities") or []:
            if isinstance(entity.get("values"), list):
                rnd.shuffle(entity["values"])
                for value in entity["values"]:
                    for key in ("synonyms", "patterns"):
                        if isinstance(value.get(key), list):
                            rnd.shuffle(value[key])
    return shuffle_keys(doc)


def write_json(path: Path, data, **options) -> Path:
    Path(path).write_text(json.dumps(data, ensure_ascii=False, **options), encoding="utf-8")
    return Path(path)


# --- round trips ----------------------------------------------------------------------------


def full_round_trip(cli, export_path: Path, work: Path) -> None:
    """Every round-trip property of issue 2 on one export."""
    original = load_json(export_path)
    a, a2, b, c, out = work / "a", work / "a2", work / "b", work / "c", work / "out.json"
    for target in (a, a2):
        result = cli("pull", export_path, "--dir", target)
        assert result.exit_code == 0, result.stderr
    tree = snapshot(a)
    assert tree and tree == snapshot(a2), "pulling the same export twice gave different trees"

    redownload = write_json(work / "redownload.json", shuffled_redownload(original, seed=len(tree)), indent="\t")
    assert cli("pull", redownload, "--dir", c).exit_code == 0
    assert snapshot(c) == tree, "the same content in another order gave another tree"

    result = cli("push", "--dir", a, "--out", out)
    assert result.exit_code == 0, result.stderr
    pushed = read_upload(out)
    assert_same_content(original, pushed)
    assert_valid_dialog(pushed)

    assert cli("pull", out, "--dir", b).exit_code == 0
    assert snapshot(b) == tree, "pull(push(pull(x))) differs from pull(x)"


def test_sample_round_trip(cli, tmp_path):
    full_round_trip(cli, SAMPLE_EXPORT, tmp_path)


@pytest.mark.slow  # a sweep of the shared corpus: in the full suite (our samples cover the same ground)
@pytest.mark.parametrize("name", corpus_cases("dialog", names=True))
def test_corpus_round_trip(cli, tmp_path, shared_corpus, name):
    full_round_trip(cli, shared_corpus / "dialog" / name, tmp_path)


def test_committed_sample_tree_is_what_pull_writes(cli, tmp_path):
    """sample-repo/dialog-skill is the pull of sample-repo/exports: regenerate it when either changes."""
    assert cli("pull", SAMPLE_EXPORT, "--dir", tmp_path / "t").exit_code == 0
    assert snapshot(tmp_path / "t") == snapshot(SAMPLE_TREE)


def test_sample_push_keeps_the_meaningful_order(cli, tmp_path):
    """Arrays whose order means something come back in their order: responses, values of a
    text response, options, the dialog tree."""
    out = tmp_path / "out.json"
    assert cli("push", "--dir", SAMPLE_TREE, "--out", out).exit_code == 0
    pushed = read_upload(out)
    original = load_json(SAMPLE_EXPORT)
    nodes = {n["dialog_node"]: n for n in pushed["dialog_nodes"]}
    for node in original["dialog_nodes"]:
        assert nodes[node["dialog_node"]].get("output") == node.get("output")
        assert nodes[node["dialog_node"]].get("context") == node.get("context")
    order = assert_valid_dialog(pushed)
    assert order[:4] == ["node_welcome", "node_greeting", "folder_orders", "node_order_status"]
    assert order[-1] == "node_anything_else"
    assert [n["dialog_node"] for n in pushed["dialog_nodes"]] == order, "nodes are not in tree order"
    # Non-ASCII and control characters survive, escaped where JSON needs it.
    raw = out.read_bytes()
    assert "Gracias, ¡hasta pronto! 😊".encode() in raw
    assert b"understand.\\tTry" in raw
    assert pushed["dialog_nodes"] and "\n" in nodes["node_refund"]["output"]["generic"][0]["values"][0]["text"]


def test_sample_tree_reads_well(cli):
    """The committed source form is what a reviewer sees: spot-check its style."""
    help_node = (SAMPLE_TREE / "dialog_nodes" / "Help.yaml").read_text(encoding="utf-8")
    assert help_node.startswith("title: Help\n")
    assert "- text: |-\n" in help_node, "multi-line text is a block scalar"
    intent = (SAMPLE_TREE / "intents" / "order_status.yaml").read_text(encoding="utf-8")
    assert intent.startswith("intent: order_status\n")
    assert "created" not in intent and "updated" not in intent
    skill = (SAMPLE_TREE / "skill.yaml").read_text(encoding="utf-8")
    assert "workspace_id" not in skill and "status" not in skill
    for path in SAMPLE_TREE.rglob("*.yaml"):
        text = path.read_bytes()
        assert text.endswith(b"\n") and not text.endswith(b"\n\n"), path
        assert b"\t" not in text.replace(b"\\t", b""), path


def test_unknown_fields_survive(cli, tmp_path):
    """Fields of a future API version are kept, at every level."""
    export = load_json(SAMPLE_EXPORT)
    export["future_setting"] = {"mode": "fast", "levels": [3, 1, 2]}
    export["intents"][0]["confidence_hint"] = 0.25
    export["intents"][0]["examples"][0]["source"] = "chat log"
    export["entities"][0]["values"][0]["weight"] = 2
    export["dialog_nodes"][0]["new_field"] = [{"b": 1}, {"a": None}]
    path = write_json(tmp_path / "future.json", export)
    assert cli("pull", path, "--dir", tmp_path / "t").exit_code == 0
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out.json").exit_code == 0
    assert_same_content(export, read_upload(tmp_path / "out.json"))


TRICKY_TEXTS = [
    "007",
    "1e3",
    "true",
    "null",
    "yes",
    "~",
    "",
    " lead",
    "trail ",
    "- dash",
    "#hash",
    "key: value",
    "a\nb ",
    "ends\n",
    "\n\n",
    "cr\r\nlf",
    "tab\tin\nblock",
    "\u2028sep",
    "😊\n🙂",
    "0x1F",
    ".5",
    "+1",
    "-",
    "?",
    "[x]",
    "{a}",
    "!tag",
    "&anchor",
    "*alias",
    "|",
    ">",
    "'q'",
    '"dq"',
    "  \n  indented",
    "\ufeffbom",
    "\x00nul",
    "\x7fdel",
    "\u0085nel",
    "line\n  more\n",
    "x\n\ty",
    "e\u0301",
    "a" * 5000,
]


def test_tricky_texts_and_numbers_survive(cli, tmp_path):
    """Texts that YAML would read as something else, control characters, numbers of every kind."""
    nodes = []
    for index, text in enumerate(TRICKY_TEXTS):
        node = {
            "dialog_node": f"node_{index}",
            "title": text or None,
            "conditions": "true",
            "output": {"generic": [{"response_type": "text", "values": [{"text": text}]}]},
            "context": {"value": text, f"key {text}": index},
        }
        if index:
            node["previous_sibling"] = f"node_{index - 1}"
        nodes.append(node)
    export = {
        "name": "Tricky",
        "language": "en",
        "intents": [],
        "entities": [],
        "dialog_nodes": nodes,
        "numbers": [0, -0.0, 1.0, 1e300, 1e-7, 10**30, -5, 0.1, 2.5e-05],
        "nested": [[], {}, [[]], [{}], None, True],
    }
    assert cli("pull", write_json(tmp_path / "tricky.json", export), "--dir", tmp_path / "t").exit_code == 0
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out.json").exit_code == 0
    pushed = read_upload(tmp_path / "out.json")
    assert pushed == export  # nodes were in tree order already
    assert [type(n) for n in pushed["numbers"]] == [type(n) for n in export["numbers"]]


def test_missing_arrays_stay_missing_and_empty_arrays_stay_empty(cli, tmp_path):
    export = {
        "name": "Tiny",
        "language": "de",
        "intents": [],
        "dialog_nodes": [],
        "metadata": {"api_version": {"major_version": "v1", "minor_version": "2021-06-14"}},
    }
    path = write_json(tmp_path / "tiny.json", export)
    assert cli("pull", path, "--dir", tmp_path / "t").exit_code == 0
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out.json").exit_code == 0
    pushed = read_upload(tmp_path / "out.json")
    assert pushed == export


# --- envelope -------------------------------------------------------------------------------


def envelope_export() -> dict:
    workspace = load_json(SAMPLE_EXPORT)
    return {
        "name": workspace["name"],
        "type": "dialog",
        "description": workspace["description"],
        "language": "en",
        "skill_id": "8d2b1c3a-0f4e-4b55-9c61-2e7a9f0d4b13",
        "assistant_id": "b7e3d9a2-61c4-4f0e-8a5b-3c2d1e0f9a87",
        "status": "Available",
        "valid": True,
        "snapshot": "draft",
        "created": "2024-05-02T16:41:17.264Z",
        "updated": "2024-05-03T08:00:00.000Z",
        "dialog_settings": {"source_assistant": "b7e3d9a2-61c4-4f0e-8a5b-3c2d1e0f9a87"},
        "assistant_references": [{"name": "Ringo Shop Assistant", "label": "draft", "skill_reference": "main skill"}],
        "workspace": workspace,
    }


def test_envelope_fields_are_preserved_and_written_back(cli, tmp_path):
    export = envelope_export()
    path = write_json(tmp_path / "skill.json", export)
    assert cli("pull", path, "--dir", tmp_path / "t").exit_code == 0
    skill_yaml = (tmp_path / "t" / "skill.yaml").read_text(encoding="utf-8")
    assert "envelope:" in skill_yaml and "skill_id" not in skill_yaml and "assistant_id:" not in skill_yaml
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out.json").exit_code == 0
    pushed = read_upload(tmp_path / "out.json")
    assert pushed["type"] == "dialog"
    assert pushed["dialog_settings"] == export["dialog_settings"]
    assert pushed["assistant_references"] == export["assistant_references"]
    for volatile in ("skill_id", "assistant_id", "status", "valid", "snapshot", "created", "updated"):
        assert volatile not in pushed
    assert_same_content(export, pushed)
    # The envelope shape is a fixed point too.
    assert cli("pull", tmp_path / "out.json", "--dir", tmp_path / "t2").exit_code == 0
    assert snapshot(tmp_path / "t2") == snapshot(tmp_path / "t")


def test_envelope_and_bare_export_share_their_item_files(cli, tmp_path):
    path = write_json(tmp_path / "skill.json", envelope_export())
    assert cli("pull", path, "--dir", tmp_path / "env").exit_code == 0
    envelope_tree = {k: v for k, v in snapshot(tmp_path / "env").items() if k != "skill.yaml"}
    sample_tree = {k: v for k, v in snapshot(SAMPLE_TREE).items() if k != "skill.yaml"}
    assert envelope_tree == sample_tree


# --- file names -------------------------------------------------------------------------------

WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
AWKWARD_TITLES = [
    "Help",
    "help",
    "HELP",
    "con",
    "CON.txt",
    "aux",
    "lpt1",
    "a/b",
    "what: now*?",
    "<tag>",
    'say "hi"',
    "back\\slash",
    "pipe|d",
    "ends with dot.",
    "ends with space ",
    "Grüße",
    "Gru\u0308ße",
    "注文の状況",
    "émoji 😊",
    "x" * 200,
    "x" * 199 + "y",
    "",
    "...",
    "tab\there",
    "_",
    "Ünïcödé/Ünïcödé",
]


def awkward_export(titles: list[str]) -> dict:
    """A valid skill whose node titles and intent names are hard to turn into file names."""
    nodes, previous = [], None
    for index, title in enumerate(titles):
        node = {
            "dialog_node": f"node_{index}",
            "title": title,
            "conditions": "true",
            "output": {"generic": [{"response_type": "text", "values": [{"text": title or "?"}]}]},
        }
        if previous:
            node["previous_sibling"] = previous
        nodes.append(node)
        previous = node["dialog_node"]
    intents = [
        {"intent": name, "examples": [{"text": f"example for {name}"}]}
        for name in ("Help", "help", "HELP", "con", "Con", "nul.ext", "x" * 128, "Grüße", "GRÜSSE")
    ]
    return {"name": "Awkward names", "language": "en", "intents": intents, "entities": [], "dialog_nodes": nodes}


def assert_portable(names: list[str]) -> None:
    folded = {}
    for name in names:
        stem = name.rsplit(".", 1)[0]
        assert name.isprintable(), name
        assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', name), f"{name!r}: character Windows rejects"
        assert not name.endswith((".", " ")) and not name.startswith(" "), name
        assert stem.split(".")[0].casefold() not in WINDOWS_RESERVED, f"{name!r}: reserved on Windows"
        assert len(name.encode("utf-8")) <= 255 and len(name) <= 128, f"{name!r}: too long"
        # Unique on case-insensitive and normalizing (macOS) file systems.
        key = unicodedata.normalize("NFD", name).casefold()
        assert key not in folded, f"{name!r} and {folded[key]!r} collide"
        folded[key] = name


def tree_files(root: Path, folder: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / folder).iterdir()}


def test_file_names_are_portable_and_unique(cli, tmp_path):
    export = awkward_export(AWKWARD_TITLES)
    path = write_json(tmp_path / "awkward.json", export)
    result = cli("pull", path, "--dir", tmp_path / "t")
    assert result.exit_code == 0, result.stderr
    nodes = tree_files(tmp_path / "t", "dialog_nodes")
    intents = tree_files(tmp_path / "t", "intents")
    assert len(nodes) == len(AWKWARD_TITLES) and len(intents) == len(export["intents"])
    assert_portable(list(nodes))
    assert_portable(list(intents))
    assert "Help.yaml" in nodes or "help.yaml" in nodes, "a clean name stays readable"
    assert {"GRÜSSE.yaml", "Grüße.yaml"} & set(intents), "a clean non-ASCII name stays readable"
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out.json").exit_code == 0
    assert_same_content(export, read_upload(tmp_path / "out.json"))


@pytest.mark.parametrize("added", ["Help", "help", "HELP", "hElp", "con", "a:b", "a?b", "Grüße", "x" * 201, "new one"])
def test_adding_an_item_renames_no_existing_file(cli, tmp_path, added):
    """Every item keeps its file when another is added, even one whose name collides."""
    base = awkward_export(AWKWARD_TITLES)
    assert cli("pull", write_json(tmp_path / "base.json", base), "--dir", tmp_path / "t").exit_code == 0
    before = snapshot(tmp_path / "t")

    grown = copy.deepcopy(base)
    grown["dialog_nodes"].append(
        {
            "dialog_node": "node_added",
            "title": added,
            "conditions": "false",
            "previous_sibling": grown["dialog_nodes"][-1]["dialog_node"],
        }
    )
    grown["intents"].append({"intent": added.replace(" ", "_")[:128], "examples": [{"text": "added"}]})
    assert cli("pull", write_json(tmp_path / "grown.json", grown), "--dir", tmp_path / "t").exit_code == 0
    after = snapshot(tmp_path / "t")

    kept = {path: content for path, content in before.items() if path in after}
    assert kept == before, f"renamed: {sorted(set(before) - set(after))}"
    new_files = sorted(set(after) - set(before))
    assert len(new_files) == 2 or (len(new_files) == 1 and added in [i["intent"] for i in base["intents"]]), new_files
    assert_portable([Path(p).name for p in after if p.startswith("dialog_nodes/")])
    assert_portable([Path(p).name for p in after if p.startswith("intents/")])


@pytest.mark.parametrize(
    "collection, added", [("dialog_nodes", "help"), ("dialog_nodes", "HELP"), ("intents", "Help"), ("intents", "HELP")]
)
def test_adding_a_case_variant_renames_no_existing_file(cli, tmp_path, copy_sample, collection, added):
    """The sample has a node titled 'Help' and an intent 'help': a new item whose name differs
    only in case gets a new file and leaves theirs alone."""
    tree = copy_sample("dialog-skill")
    grown = load_json(SAMPLE_EXPORT)
    if collection == "dialog_nodes":
        grown["dialog_nodes"].append(new_node("node_added", added, None, "node_anything_else", "added"))
    else:
        grown["intents"].append({"intent": added, "examples": [{"text": "added"}]})
    assert cli("pull", write_json(tmp_path / "grown.json", grown), "--dir", tree).exit_code == 0
    after = snapshot(tree)
    before = snapshot(SAMPLE_TREE)
    # Into a copy of the committed tree (a fresh folder may name the newcomer's group differently).
    changed = sorted(p for p in before if after.get(p) != before[p])
    assert changed == [], f"renamed or changed: {changed}"
    assert len(after) == len(before) + 1
    assert_portable([Path(p).name for p in after if p.startswith(collection + "/")])


@pytest.mark.parametrize("new_id", ["node_0_first", "node_thanks_2", "node_zz_last"])
def test_adding_a_node_with_a_title_already_used_renames_no_file(cli, copy_sample, tmp_path, new_id):
    """Real skills repeat titles ('Error Check', 'Yes' under many parents): a new node with a
    used title gets a new file, whatever its id, and the others keep theirs."""
    tree = copy_sample("dialog-skill")
    base = load_json(SAMPLE_EXPORT)
    base["dialog_nodes"].append(new_node("node_thanks_1", "Thanks", None, "node_anything_else", "Thanks again"))
    assert cli("pull", write_json(tmp_path / "base.json", base), "--dir", tree).exit_code == 0
    before = snapshot(tree)
    assert {"dialog_nodes/Thanks.yaml"} < {p for p in before if p.startswith("dialog_nodes/Thanks")}

    grown = copy.deepcopy(base)
    grown["dialog_nodes"].append(new_node(new_id, "Thanks", None, "node_thanks_1", "And once more"))
    assert cli("pull", write_json(tmp_path / "grown.json", grown), "--dir", tree).exit_code == 0
    after = snapshot(tree)
    changed = sorted(p for p in before if after.get(p) != before[p])
    assert changed == [], f"renamed or changed: {changed}"
    assert len(after) == len(before) + 1
    assert_portable([Path(p).name for p in after if p.startswith("dialog_nodes/")])
    # A fresh pull of the same export is deterministic too.
    assert cli("pull", tmp_path / "grown.json", "--dir", tmp_path / "f1").exit_code == 0
    reordered = copy.deepcopy(grown)
    reordered["dialog_nodes"].reverse()
    assert cli("pull", write_json(tmp_path / "r.json", reordered), "--dir", tmp_path / "f2").exit_code == 0
    assert snapshot(tmp_path / "f1") == snapshot(tmp_path / "f2")


def test_file_names_do_not_depend_on_order(cli, tmp_path):
    export = awkward_export(AWKWARD_TITLES)
    assert cli("pull", write_json(tmp_path / "a.json", export), "--dir", tmp_path / "a").exit_code == 0
    reordered = copy.deepcopy(export)
    reordered["dialog_nodes"].reverse()
    reordered["intents"].reverse()
    assert cli("pull", write_json(tmp_path / "b.json", reordered), "--dir", tmp_path / "b").exit_code == 0
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


# --- git merges -------------------------------------------------------------------------------


def new_node(ident: str, title: str, parent: str | None, previous: str | None, text: str) -> dict:
    node = {
        "dialog_node": ident,
        "title": title,
        "type": "standard",
        "conditions": f"#{ident}",
        "output": {
            "generic": [{"response_type": "text", "values": [{"text": text}], "selection_policy": "sequential"}]
        },
    }
    if parent:
        node["parent"] = parent
    if previous:
        node["previous_sibling"] = previous
    return node


class Workflow:
    """A skill repository: the pulled sample committed on main; branches change the
    skill the way people do (edit in the tool, download, pull) and commit."""

    def __init__(self, repo, cli, tmp: Path):
        self.repo, self.cli, self.tmp = repo, cli, tmp
        self.root = Path(repo.working_tree_dir)
        self.pulls = 0
        (self.root / "README.md").write_text("# Customer care skill\n", encoding="utf-8")
        self.pull(load_json(SAMPLE_EXPORT), "pull the sample skill")

    def pull(self, export: dict, message: str) -> None:
        self.pulls += 1
        path = write_json(self.tmp / f"export-{self.pulls}.json", export)
        result = self.cli("pull", path, "--dir", self.root / "skill")
        assert result.exit_code == 0, result.stderr
        self.repo.git.add(A=True)
        self.repo.index.commit(message)

    def branch(self, name: str, change) -> None:
        self.repo.git.checkout("main", b=name)
        export = load_json(SAMPLE_EXPORT)
        change(export)
        self.pull(export, f"change on {name}")
        self.repo.git.checkout("main")

    def merge(self, *branches: str) -> None:
        for name in branches:
            self.repo.git.merge(name, no_edit=True)  # raises GitCommandError on a conflict
        assert not self.repo.index.unmerged_blobs()

    def push(self):
        out = self.tmp / "upload.json"
        result = self.cli("push", "--dir", self.root / "skill", "--out", out)
        return result, (read_upload(out) if result.exit_code == 0 else None)


@pytest.fixture
def workflow(in_git_dir, cli, tmp_path_factory):
    return Workflow(in_git_dir, cli, tmp_path_factory.mktemp("exports"))


def add_intent(name: str, examples: list[str]):
    def change(export):
        export["intents"].append(
            {"intent": name, "examples": [{"text": t} for t in examples], "created": "2025-01-01T00:00:00.000Z"}
        )

    return change


def test_merge_two_branches_that_each_add_an_intent(workflow):
    workflow.branch("a", add_intent("track_return", ["where is my return", "did you get my parcel back"]))
    workflow.branch("b", add_intent("gift_card", ["do you sell gift cards", "redeem a voucher"]))
    workflow.merge("a", "b")
    result, pushed = workflow.push()
    assert result.exit_code == 0, result.stderr
    intents = {i["intent"] for i in pushed["intents"]}
    assert {"track_return", "gift_card"} <= intents and len(intents) == 14
    expected = load_json(SAMPLE_EXPORT)
    add_intent("track_return", ["where is my return", "did you get my parcel back"])(expected)
    add_intent("gift_card", ["do you sell gift cards", "redeem a voucher"])(expected)
    assert_same_content(expected, pushed)
    assert (workflow.root / "README.md").read_text(encoding="utf-8") == "# Customer care skill\n"


def edit_response(ident: str, text: str):
    def change(export):
        node = next(n for n in export["dialog_nodes"] if n["dialog_node"] == ident)
        node["output"]["generic"][0]["values"][0]["text"] = text

    return change


def test_merge_two_branches_that_edit_different_nodes(workflow):
    workflow.branch("a", edit_response("node_help", "I can help with orders,\nrefunds and delivery."))
    workflow.branch("b", edit_response("node_goodbye", "¡Adiós! Bis bald."))
    workflow.merge("a", "b")
    result, pushed = workflow.push()
    assert result.exit_code == 0, result.stderr
    expected = load_json(SAMPLE_EXPORT)
    edit_response("node_help", "I can help with orders,\nrefunds and delivery.")(expected)
    edit_response("node_goodbye", "¡Adiós! Bis bald.")(expected)
    assert_same_content(expected, pushed)
    assert_valid_dialog(pushed)


def insert_first_child(export):
    """Branch A: a node before 'Order status', the first child of the Orders folder."""
    export["dialog_nodes"].append(
        new_node("node_track_return", "Track return", "folder_orders", None, "Returns are processed within 5 days.")
    )
    first = next(n for n in export["dialog_nodes"] if n["dialog_node"] == "node_order_status")
    first["previous_sibling"] = "node_track_return"


def append_last_child(ident: str, title: str):
    """A node after 'Change address', the last child of the Orders folder."""

    def change(export):
        export["dialog_nodes"].append(
            new_node(ident, title, "folder_orders", "node_change_address", f"{title}: coming soon.")
        )

    return change


def orders_children(pushed: dict) -> list[str]:
    order = assert_valid_dialog(pushed)
    parents = {n["dialog_node"]: n.get("parent") for n in pushed["dialog_nodes"]}
    return [ident for ident in order if parents[ident] == "folder_orders"]


def test_merge_nodes_added_under_the_same_parent_at_different_places(workflow):
    workflow.branch("a", insert_first_child)
    workflow.branch("b", append_last_child("node_invoice", "Invoice copy"))
    workflow.merge("a", "b")
    result, pushed = workflow.push()
    assert result.exit_code == 0, result.stderr
    assert orders_children(pushed) == [
        "node_track_return",
        "node_order_status",
        "node_cancel_order",
        "node_change_address",
        "node_invoice",
    ]


def test_merge_nodes_added_at_the_same_place_is_refused_by_push(workflow):
    workflow.branch("a", append_last_child("node_invoice", "Invoice copy"))
    workflow.branch("b", append_last_child("node_gift_wrap", "Gift wrapping"))
    workflow.merge("a", "b")  # git sees two new files: a clean merge
    result, pushed = workflow.push()
    assert result.exit_code == 2 and pushed is None
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in result.stderr
    assert "ambiguous" in message
    assert "node_invoice" in message and "node_gift_wrap" in message
    assert not (workflow.tmp / "upload.json").exists()

    # The fix the message suggests: one node comes after the other.
    gift = workflow.root / "skill" / "dialog_nodes" / "Gift_wrapping.yaml"
    text = gift.read_text(encoding="utf-8")
    assert "previous_sibling: node_change_address\n" in text
    gift.write_text(
        text.replace("previous_sibling: node_change_address", "previous_sibling: node_invoice"), encoding="utf-8"
    )
    result, pushed = workflow.push()
    assert result.exit_code == 0, result.stderr
    assert orders_children(pushed)[-2:] == ["node_invoice", "node_gift_wrap"]


def test_merge_of_a_moved_node_and_an_edit_of_it(workflow):
    """A moves 'Refund' to the end of the root; B edits its answer: one file each side, git merges
    the lines, push gives a valid skill with both changes."""

    def move_refund(export):
        nodes = {n["dialog_node"]: n for n in export["dialog_nodes"]}
        nodes["node_store_hours"]["previous_sibling"] = "folder_orders"
        nodes["node_refund"]["previous_sibling"] = "node_anything_else"

    workflow.branch("a", move_refund)
    workflow.branch("b", edit_response("node_refund", "Refunds take 5 working days."))
    workflow.merge("a", "b")
    result, pushed = workflow.push()
    assert result.exit_code == 0, result.stderr
    order = assert_valid_dialog(pushed)
    assert order[-1] == "node_refund"
    refund = next(n for n in pushed["dialog_nodes"] if n["dialog_node"] == "node_refund")
    assert refund["output"]["generic"][0]["values"][0]["text"] == "Refunds take 5 working days."


# --- hand edits -------------------------------------------------------------------------------


def test_hand_edited_yaml_in_another_style_pushes_and_repulls_canonical(cli, copy_sample, tmp_path):
    """People edit with any editor: comments, quotes, flow lists are read; a pull of the pushed
    result writes the canonical style again."""
    tree = copy_sample("dialog-skill")
    (tree / "intents" / "store_hours.yaml").write_text(
        "# edited by hand\n"
        "intent: 'store_hours'\n"
        "description: Opening hours of the shops and the hotline\n"
        "examples: [hotline hours, is the shop open today, opening hours, 'what time do you close',\n"
        '  "are you open on sunday?", when are you open]\n',
        encoding="utf-8",
    )
    (tree / "intents" / "gift_card.yaml").write_text(
        "intent: gift_card\nexamples:\n  - text: do you sell gift cards\n  - redeem my voucher\n", encoding="utf-8"
    )
    out = tmp_path / "out.json"
    result = cli("push", "--dir", tree, "--out", out)
    assert result.exit_code == 0, result.stderr
    expected = load_json(SAMPLE_EXPORT)
    expected["intents"].append(
        {"intent": "gift_card", "examples": [{"text": "do you sell gift cards"}, {"text": "redeem my voucher"}]}
    )
    assert_same_content(expected, read_upload(out))
    assert cli("pull", out, "--dir", tree).exit_code == 0
    after = snapshot(tree)
    assert (
        after.pop("intents/gift_card.yaml")
        == b"intent: gift_card\nexamples:\n  - do you sell gift cards\n  - redeem my voucher\n"
    )
    assert after == snapshot(SAMPLE_TREE)


class _CountedFiles(dict):
    """A tree's files that count how often they are searched for a node's file."""

    searched = 0

    def items(self):
        type(self).searched += 1
        return super().items()


def test_ordering_dialog_nodes_names_the_files_of_rivals_only_when_it_fails():
    """order_dialog_nodes names the files of the nodes an error is about; a tree that
    assembles is never searched for them (13.5k nodes on every push of a large skill)."""
    from assistantgit.errors import InputError
    from assistantgit.formats.watson.dialog import order_dialog_nodes

    first = {"dialog_node": "welcome", "title": "Welcome", "parent": None, "previous_sibling": None}
    second = {"dialog_node": "goodbye", "parent": None, "previous_sibling": "welcome"}
    files = _CountedFiles({"dialog_nodes/Welcome.yaml": first, "dialog_nodes/goodbye.yaml": second})
    assert order_dialog_nodes([second, first], files) == [first, second]
    assert _CountedFiles.searched == 0
    rival = {"dialog_node": "hello", "parent": None, "previous_sibling": None}
    files["dialog_nodes/hello.yaml"] = rival
    with pytest.raises(InputError) as raised:
        order_dialog_nodes([first, second, rival], files)
    assert raised.value.path == "dialog_nodes/Welcome.yaml"  # the later of the two, by id
    assert (
        "dialog nodes 'hello' in dialog_nodes/hello.yaml and 'Welcome' (welcome) in dialog_nodes/Welcome.yaml "
        "both come first at the root" in raised.value.problem
    )
    assert _CountedFiles.searched == 1


def test_ordering_dialog_nodes_leaves_nothing_for_the_cycle_collector():
    """push assembles with the cycle collector paused (issue 14): anything the ordering left
    in a reference cycle held every node and the whole tree's files until the next collection."""
    from assistantgit.formats.watson.dialog import order_dialog_nodes

    nodes = [
        {"dialog_node": "b", "previous_sibling": "a"},
        {"dialog_node": "a"},
        {"dialog_node": "c", "parent": "a"},
    ]
    files = {f"dialog_nodes/{node['dialog_node']}.yaml": node for node in nodes}
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        assert [n["dialog_node"] for n in order_dialog_nodes(nodes, files)] == ["a", "c", "b"]
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
