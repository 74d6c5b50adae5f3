"""The attack corpus: hostile trees and exports, each with the commands that must survive it.

Every case builds a small world in a folder: `outside/` (files a pull request must never
reach: link targets, a "CI secret"), `input/` (hostile exports), `tree/` (a source tree
with the attack in it, committed to git so the revision side of `diff` reads it too),
`out/` (where commands may write). attack_test.py runs every case's commands in one
subprocess (attack_driver.py) under a 512 MB address-space cap and checks the outcome.

A case says which exit codes each command may give: usually exactly 2 (refused), or
0/1/2 where the input is odd but harmless. Never 3, never a hang, never a file outside
`tree/` and `out/` touched, never a secret value in a written file or printed.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from testing.paths import SAMPLE_REPO

SAMPLE = SAMPLE_REPO
EXPORTS = SAMPLE / "exports"
OUTSIDE_SECRET = "OUTSIDE-SECRET-7f3a9c"  # in every file under outside/: must never reach an output
REFUSED = {2}
SURVIVED = {0, 1, 2}


@dataclass
class Run:
    args: list
    expect: set = field(default_factory=lambda: set(REFUSED))
    cwd: str = "."  # relative to the case folder


@dataclass
class Case:
    name: str
    build: object  # build(base: Path) -> list[Run]
    secrets: tuple = ()  # values that no written file and no output may hold
    git: bool = True  # commit the tree (with its attack) so diff reads it from git objects


# -- the worlds ---------------------------------------------------------------------------------


def _outside(base: Path) -> Path:
    outside = base / "outside"
    (outside / "intents").mkdir(parents=True)
    intent = f"intent: stolen\nexamples:\n  - {OUTSIDE_SECRET}\n"
    (outside / "secret.yaml").write_text(intent, encoding="utf-8")
    (outside / "intents" / "stolen.yaml").write_text(intent, encoding="utf-8")
    (outside / "skill.yaml").write_text(
        f"format: watson-dialog\nworkspace:\n  name: {OUTSIDE_SECRET}\n  language: en\n", encoding="utf-8"
    )
    (outside / "secret.bin").write_bytes(OUTSIDE_SECRET.encode() * 10)
    (base / "input").mkdir()
    (base / "out").mkdir()
    return outside


def _tree(base: Path, sample: str) -> Path:
    _outside(base)
    tree = base / "tree"
    shutil.copytree(SAMPLE / sample, tree)
    return tree


def _git(base: Path, message: str) -> None:
    def git(*args):
        subprocess.run(["git", *args], cwd=base, check=True, capture_output=True)

    if not (base / ".git").exists():
        git("init", "-q", "-b", "main")
        git("config", "user.name", "Attack")
        git("config", "user.email", "attack@example.com")
        git("config", "commit.gpgsign", "false")
    subprocess.run(["git", "add", "-A", "tree"], cwd=base, capture_output=True)  # a FIFO is not added
    git("commit", "-q", "--allow-empty", "-m", message)


# What each command that reads a tree may answer, per kind of attack.
# "walk": a link or special file: every command stops on it (the one place trees are listed).
# "content": a file no reader accepts (alias bomb, deep nesting, huge number): push and a diff
#   that reads it refuse; validate reports it (exit 1) or refuses; fmt refuses or leaves it.
# "types": a field of the wrong type: push and diff refuse; validate reports; fmt may rewrite.
# "push": only push reads the attacked field (an Avaamo name that becomes a file name).
# "harmless": odd but harmless input: anything but a crash.
EXPECT = {
    "walk": {
        "push": REFUSED,
        "validate": REFUSED,
        "named": REFUSED,
        "diff": REFUSED,
        "fmt": REFUSED,
        "git": REFUSED,
        "show": REFUSED,
    },
    "content": {
        "push": REFUSED,
        "validate": {1, 2},
        "named": SURVIVED,
        "diff": REFUSED,
        "fmt": SURVIVED,
        "git": REFUSED,
        "show": SURVIVED,
    },
    "types": {
        "push": REFUSED,
        "validate": {1, 2},
        "named": SURVIVED,
        "diff": REFUSED,
        "fmt": SURVIVED,
        "git": REFUSED,
        "show": REFUSED,
    },
    "push": {
        "push": REFUSED,
        "validate": SURVIVED,
        "named": SURVIVED,
        "diff": SURVIVED,
        "fmt": SURVIVED,
        "git": SURVIVED,
        "show": SURVIVED,
    },
    "harmless": {
        "push": SURVIVED,
        "validate": SURVIVED,
        "named": SURVIVED,
        "diff": SURVIVED,
        "fmt": SURVIVED,
        "git": SURVIVED,
        "show": SURVIVED,
    },
}
PROJECT_FILE = "source: tree\nretries: {attempts: 1, backoff: 0}\nenvironments:\n  dev:\n    url: http://127.0.0.1:9\n    workspace_id: ws\n"


def tree_runs(mode: str, push_out: str, committed: bool, root_file: str) -> list:
    """The commands that read a source tree; `committed`: git holds the attack too (not a FIFO)."""
    expect = EXPECT[mode]
    git = expect["git"] if committed else SURVIVED
    return [
        Run(["validate", "--dir", "tree"], expect["validate"]),
        Run(["validate", f"tree/{root_file}"], expect["named"]),  # a named file: the cache and scanned facts
        Run(["push", "--dir", "tree", "--out", push_out], expect["push"]),
        Run(["diff", "pristine", "tree"], expect["diff"]),
        Run(["diff", "--dir", "tree"], expect["diff"] if mode == "walk" else SURVIVED),  # HEAD against the working tree
        Run(["diff", "HEAD~1", "HEAD", "--dir", "tree"], git),
        Run(["fmt", "--check", "--dir", "tree"], expect["fmt"]),
        Run(["fmt", "--dir", "tree"], expect["fmt"]),
        # show reads the tree's flow files; translate reads all of it (an Avaamo tree is refused)
        Run(["show", "--dir", "tree"], expect["show"]),
        Run(["show", "--dir", "tree", "--format", "mermaid"], expect["show"]),
        Run(["translate", "export", "--dir", "tree", "--out", "out/tree.xlf", "--language", "fr"], expect["push"]),
        Run(["translate", "status", "--dir", "pristine", "--into", "tree"], expect["show"]),
        # the remote commands read the tree (or its revision) before any request: nothing listens on port 9
        Run(["push", "--env", "dev", "--dry-run"], {1, 2}),
        Run(["promote", "--to", "dev", "--dry-run"], {1, 2}),
        Run(["preview", "--env", "dev", "--branch", "attack"], SURVIVED),
        Run(["status", "--env", "dev"], SURVIVED),
    ]


def export_runs(export: str, expect=REFUSED) -> list:
    """The commands that read an export file (restore uploads one: nothing listens on port 9)."""
    return [
        Run(["pull", export, "--dir", "out/pulled"], expect),
        Run(["diff", export, export], expect),
        Run(["diff", export, "out/pulled"], SURVIVED),
        Run(["textconv", export], expect if expect != REFUSED else {0, 2}),  # textconv shows a non-export as is
        Run(["restore", export, "--env", "dev"], {1, 2}),
    ]


def attacked_tree(sample: str, attack, mode: str = "walk", push_out: str = "out/upload.json", committed: bool = True):
    """A case builder: copy a sample tree (and a pristine copy), commit it, apply `attack(tree,
    base)`, commit again; a project file makes the remote commands read the same tree."""

    def build(base: Path) -> list:
        tree = _tree(base, sample)
        shutil.copytree(SAMPLE / sample, base / "pristine")
        (base / "assistantgit.yaml").write_text(
            PROJECT_FILE.replace("workspace_id: ws", _address(sample)), encoding="utf-8"
        )
        _git(base, "sample")
        attack(tree, base)
        _git(base, "attack")
        return tree_runs(mode, push_out, committed, ROOT_FILES[sample])

    return build


def _address(sample: str) -> str:
    return "workspace_id: ws" if sample == "dialog-skill" else "assistant_id: as\nkind: actions"


ROOT_FILES = {"dialog-skill": "skill.yaml", "actions-skill": "skill.yaml", "assistant-zip": "assistant.yaml"}
ROOT_FILES["avaamo-agent"] = "agent.yaml"


def hostile_export(make, name: str, expect=REFUSED):
    """A case builder: write the export that make(base) returns as input/<name>."""

    def build(base: Path) -> list:
        _outside(base)
        (base / "assistantgit.yaml").write_text(PROJECT_FILE.replace("source: tree", "source: out"), encoding="utf-8")
        content = make(base)
        (base / "input" / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return export_runs(f"input/{name}", expect)

    return build


# A translated file as it comes back (from a vendor, in a pull request): one unit of the
# dialog sample, translated. `translate import` reads it into out/fr.
XLIFF_UNIT = (
    '<unit id="u1" name="counterexamples::{are you a robot?}"><notes>'
    '<note category="location">counterexamples::{are you a robot?}</note></notes>'
    "<segment><source>are you a robot?</source><target>TARGET</target></segment></unit>"
)
XLIFF = (
    '<?xml version="1.0" encoding="UTF-8"?>\nDOCTYPE<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
    'version="2.0" srcLang="en" trgLang="fr"><file id="f1">' + XLIFF_UNIT + "</file></xliff>\n"
)
XML_LAUGHS = '<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
)  # 10^9 x "lol" when expanded


def xliff(target: str = "es-tu un robot ?", doctype: str = "") -> str:
    return XLIFF.replace("DOCTYPE", doctype).replace("TARGET", target)


def hostile_translation(make, expect=REFUSED):
    """A case builder: the dialog sample as tree/ and the file make(base) writes as input/fr.xlf."""

    def build(base: Path) -> list:
        _tree(base, "dialog-skill")
        make(base, base / "input" / "fr.xlf")
        return [Run(["translate", "import", "input/fr.xlf", "--into", "out/fr", "--from", "tree"], expect)]

    return build


def _write(text: str):
    return lambda base, path: path.write_text(text, encoding="utf-8")


def _external_entity(base: Path, path: Path) -> None:
    secret = (base / "outside" / "secret.yaml").resolve().as_uri()
    path.write_text(xliff("&x;", f'<!DOCTYPE xliff [<!ENTITY x SYSTEM "{secret}">]>\n'), encoding="utf-8")


# -- files that are not what they seem -------------------------------------------------------------


def _link(path: Path, target) -> None:
    if path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)


def _planted_journal(content):
    """A pull's staging folder, committed with git add -f: the next command reads its journal."""

    def attack(tree: Path, base: Path) -> None:
        staging = tree / ".assistantgit-staging-planted"
        (staging / "new").mkdir(parents=True)
        content(staging / "journal.json", base)

    return attack


def _journal_deleting(rel: str):
    plan = {"moves": [], "existing": [], "deletes": [rel], "fresh": [], "folders": [], "made": []}
    return lambda path, base: path.write_text(json.dumps({"version": 1, "direction": "forward", **plan}))


def link_file_out(tree: Path, base: Path) -> None:
    _link(tree / "intents" / "evil.yaml", os.path.relpath(base / "outside" / "secret.yaml", tree / "intents"))


def link_file_absolute(tree: Path, base: Path) -> None:
    _link(tree / "intents" / "greeting.yaml", base / "outside" / "secret.yaml")


def link_file_in(tree: Path, base: Path) -> None:
    _link(tree / "intents" / "twin.yaml", "greeting.yaml")


def link_folder(tree: Path, base: Path) -> None:
    shutil.rmtree(tree / "intents")
    _link(tree / "intents", os.path.relpath(base / "outside" / "intents", tree))


def link_root_file(tree: Path, base: Path) -> None:
    _link(tree / "skill.yaml", os.path.relpath(base / "outside" / "skill.yaml", tree))


def link_dev_zero(tree: Path, base: Path) -> None:
    _link(tree / "intents" / "zero.yaml", "/dev/zero")


def fifo(tree: Path, base: Path) -> None:
    os.mkfifo(tree / "intents" / "fifo.yaml")


def fifo_root_file(tree: Path, base: Path) -> None:
    (tree / "skill.yaml").unlink()
    os.mkfifo(tree / "skill.yaml")


def avaamo_member_link(tree: Path, base: Path) -> None:
    _link(
        tree / "files" / "assets" / "avatar.png",
        os.path.relpath(base / "outside" / "secret.bin", tree / "files/assets"),
    )


def avaamo_split_folder_link(tree: Path, base: Path) -> None:
    shutil.rmtree(tree / "files" / "entities")
    _link(tree / "files" / "entities", os.path.relpath(base / "outside" / "intents", tree / "files"))


def avaamo_hidden_reference(tree: Path, base: Path) -> None:
    """A reference into a hidden folder (the walker skips hidden folders) that links outside."""
    _link(tree / "files" / ".x", os.path.relpath(base / "outside", tree / "files"))
    path = tree / "files" / "entities.yaml"
    path.write_text("- << .x/secret.yaml\n", encoding="utf-8")


def _agent_name(name: str):
    def attack(tree: Path, base: Path) -> None:
        path = tree / "agent.yaml"
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[1] = "name: " + json.dumps(name)
        path.write_text("\n".join(lines), encoding="utf-8")

    return attack


def dot_assistantgit_link(tree: Path, base: Path) -> None:
    (base / "outside" / "dotag").mkdir()
    _link(tree / ".assistantgit", os.path.relpath(base / "outside" / "dotag", tree))


def poisoned_cache(tree: Path, base: Path) -> None:
    import marshal
    import sys

    folder = tree / ".assistantgit" / "cache"
    folder.mkdir(parents=True)
    name = "validate-v1-py%d%d.marshal" % sys.version_info[:2]
    stamp = (0, 0, 0)
    crafted = {
        "intents/greeting.yaml": (stamp, {"intents": ("lines", 5, 7)}),
        "intents/goodbye.yaml": (),  # crashed the reader of the old cache in the tree
        "dialog_nodes/Help.yaml": "not a tuple",
        "entities/sys-date.yaml": ((1,), {"entities": ("x", None)}),
    }
    (folder / name).write_bytes(marshal.dumps(crafted))
    (folder / (name + ".bad")).write_bytes(b"\xff" * 64)
    (tree / ".assistantgit" / ".gitignore").unlink(missing_ok=True)


# -- resource exhaustion ----------------------------------------------------------------------------

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join(['*' + prev] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi")
)


def bomb_in(rel: str, prefix: str = ""):
    def attack(tree: Path, base: Path) -> None:
        (tree / rel).write_text(prefix + BILLION_LAUGHS, encoding="utf-8")

    return attack


def bomb_under(rel: str, key: str):
    """The bomb nested under a key of an existing mapping file (the file keeps its other fields)."""

    def attack(tree: Path, base: Path) -> None:
        path = tree / rel
        text = path.read_text(encoding="utf-8")
        nested = "".join("  " + line + "\n" for line in BILLION_LAUGHS.splitlines())
        path.write_text(text + f"{key}:\n{nested}", encoding="utf-8")

    return attack


def deep_yaml_flow(tree: Path, base: Path) -> None:
    """50,000 levels: ruamel.yaml's C composer recursed on the C stack and crashed the process."""
    (tree / "intents" / "deep.yaml").write_text(
        "intent: deep\nexamples: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8"
    )


def deep_yaml_compact(tree: Path, base: Path) -> None:
    """A block sequence nested 50,000 times on one line (`- - - ...`): no indentation grows."""
    (tree / "intents" / "deep.yaml").write_text("intent: deep\nexamples:\n" + "- " * 50_000 + "x\n", encoding="utf-8")


def deep_yaml_block(tree: Path, base: Path) -> None:
    lines = ["dialog_node: deep", "context:"] + ["  " * (i + 1) + "k:" for i in range(10_000)]
    (tree / "dialog_nodes" / "deep.yaml").write_text("\n".join(lines) + " 1\n", encoding="utf-8")


def deep_at_the_limit(tree: Path, base: Path) -> None:
    """Nesting of exactly limits.MAX_DEPTH in a node's context: every command must cope."""
    data: object = "leaf"
    for level in range(98):  # with the node file's mapping and its `context`: 100 levels
        data = {"k": data} if level % 2 else [data]
    from assistantgit import canonical

    node = {"dialog_node": "deep", "title": "Deep", "context": {"x": data}, "parent": "node_thanks"}
    (tree / "dialog_nodes" / "Deep.yaml").write_text(canonical.dumps(node), encoding="utf-8")


def deep_yaml_canonical(tree: Path, base: Path) -> None:
    """Canonical-looking text (the fast reader's style) nested 400 deep."""
    lines = ["dialog_node: deep", "context:"] + ["  " * (i + 1) + "k:" for i in range(400)]
    (tree / "dialog_nodes" / "deep.yaml").write_text("\n".join(lines) + " 1\n", encoding="utf-8")


def huge_int_yaml(tree: Path, base: Path) -> None:
    path = tree / "dialog_nodes" / "Help.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "digits: " + "9" * 5000 + "\n", encoding="utf-8")


def huge_float_yaml(tree: Path, base: Path) -> None:
    path = tree / "skill.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  threshold: 1e400\n", encoding="utf-8")


def _dialog_export() -> dict:
    return json.loads((EXPORTS / "customer-care-dialog.json").read_text(encoding="utf-8"))


def deep_json(depth: int):
    """An export whose nesting, counted from its root, is `depth` + 4 levels."""

    def make(base: Path) -> str:
        text = json.dumps(_dialog_export())
        nest = "[" * depth + "]" * depth
        return text.replace('"hotline":', f'"deep": {nest}, "hotline":', 1)

    return make


def number_json(literal: str):
    def make(base: Path) -> str:
        return json.dumps(_dialog_export()).replace('"agent_available": true', f'"agent_available": {literal}', 1)

    return make


def duplicate_key_json(base: Path) -> str:
    return json.dumps(_dialog_export()).replace('"hotline":', '"shop_name": "Other", "hotline":', 1)


def zip_of_small_members(count: int = 100, size: int = 1024 * 1024):
    def make(base: Path) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            archive.writestr("agent.json", json.dumps({"name": "bomb"}))
            zeros = bytes(size)
            for number in range(count):
                archive.writestr(f"assets/zero{number:03}.bin", zeros)
        return buffer.getvalue()

    return make


def _avaamo_zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# -- secrets -------------------------------------------------------------------------------------------

SECRET_VALUES = (
    "tok-accessToken-5d1e",
    "sec-clientSecret-77aa",
    "key-x-api-key-0c2b",
    "918273645",
    "pw-UPPER-PASSWORD-31",
    "key-snake-api_key-4e",
    "tok-kebab-auth-token-9f",
    "Bearer hdr-9a8b7c",
)


def secrets_dialog(base: Path) -> str:
    export = _dialog_export()
    node = next(n for n in export["dialog_nodes"] if "context" in n)
    node["context"]["private"] = {
        "accessToken": SECRET_VALUES[0],
        "clientSecret": SECRET_VALUES[1],
        "x-api-key": SECRET_VALUES[2],
        "password": 918273645,
        "PASSWORD": SECRET_VALUES[4],
        "my_service": {"api_key": SECRET_VALUES[5], "auth-token": SECRET_VALUES[6]},
    }
    export["webhooks"] = [
        {
            "name": "main_webhook",
            "url": "https://x.example.com",
            "headers": [{"name": "Authorization", "value": SECRET_VALUES[7]}],
        }
    ]
    return json.dumps(export)


def secrets_avaamo(base: Path) -> bytes:
    config = {"id": 1, "accessToken": SECRET_VALUES[0], "clientSecret": SECRET_VALUES[1], "password": 918273645}
    return _avaamo_zip({"agent.json": json.dumps({"name": "secretive"}), "config.json": json.dumps(config)})


def avaamo_member(text: str):
    def make(base: Path) -> bytes:
        return _avaamo_zip({"agent.json": json.dumps({"name": "odd"}), "config.json": text})

    return make


# -- wrong types --------------------------------------------------------------------------------------


def replace_line(rel: str, old: str, new: str):
    def attack(tree: Path, base: Path) -> None:
        path = tree / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return attack


def append(rel: str, text: str):
    def attack(tree: Path, base: Path) -> None:
        path = tree / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return attack


# -- the project file ------------------------------------------------------------------------------------


def planted_logs(attack):
    """The logs archive under .assistantgit/ (a commit can bring one): `logs` reads it first."""

    def build(base: Path) -> list:
        _tree(base, "dialog-skill")
        (base / "assistantgit.yaml").write_text(PROJECT_FILE, encoding="utf-8")
        folder = base / ".assistantgit" / "logs" / "dev"
        folder.mkdir(parents=True)
        attack(folder, base)
        return [Run(["logs", "--env", "dev"], {2})]  # refused before any credentials are looked for

    return build


def project_file(text: str):
    def build(base: Path) -> list:
        _tree(base, "dialog-skill")
        (base / "assistantgit.yaml").write_text(text, encoding="utf-8")
        return [
            Run(["pull", "--env", "dev"]),
            Run(["push", "--env", "dev", "--dry-run"]),
            Run(["promote", "--to", "dev", "--dry-run"]),
            Run(["logs", "--env", "dev"]),
        ]

    return build


PROJECT_HEAD = "source: tree\nretries: {attempts: 1, backoff: 0}\nkind: dialog\nenvironments:\n  dev:\n    url: http://127.0.0.1:9\n    workspace_id: ws\n"


def cases() -> list[Case]:
    dialog, actions, avaamo, zipped = "dialog-skill", "actions-skill", "avaamo-agent", "assistant-zip"
    out = "out/"  # Avaamo: a folder, the ZIP named from agent.yaml

    def outside_link(rel: str):
        return lambda t, b: _link(t / rel, b / "outside" / "secret.yaml")

    return [
        # files that are not what they seem
        Case("link-file-out", attacked_tree(dialog, link_file_out)),
        Case("link-file-absolute", attacked_tree(dialog, link_file_absolute)),
        Case("link-file-in", attacked_tree(dialog, link_file_in)),
        Case("link-folder", attacked_tree(dialog, link_folder)),
        Case("link-root-file", attacked_tree(dialog, link_root_file)),
        Case("link-dev-zero", attacked_tree(dialog, link_dev_zero)),
        Case("fifo", attacked_tree(dialog, fifo, committed=False)),
        Case("fifo-root-file", attacked_tree(dialog, fifo_root_file, committed=False)),
        Case("link-actions-file", attacked_tree(actions, outside_link("actions/x.yaml"))),
        Case("link-zip-part", attacked_tree(zipped, outside_link("dialog/intents/x.yaml"))),
        Case("avaamo-member-link", attacked_tree(avaamo, avaamo_member_link, push_out=out)),
        Case("avaamo-folder-link", attacked_tree(avaamo, avaamo_split_folder_link, push_out=out)),
        Case("avaamo-hidden-reference", attacked_tree(avaamo, avaamo_hidden_reference, "walk", out)),
        Case("avaamo-name-escape", attacked_tree(avaamo, _agent_name("../../escaped"), "push", out)),
        Case("avaamo-name-absolute", attacked_tree(avaamo, _agent_name("/tmp/assistantgit-escaped"), "push", out)),
        Case("avaamo-name-nul", attacked_tree(avaamo, _agent_name("a\x00b"), "push", out)),
        Case("avaamo-name-long", attacked_tree(avaamo, _agent_name("n" * 300), "push", out)),
        Case("journal-fifo", attacked_tree(dialog, _planted_journal(lambda p, b: os.mkfifo(p)), committed=False)),
        Case(
            "journal-dev-zero",
            attacked_tree(dialog, _planted_journal(lambda p, b: _link(p, "/dev/zero")), committed=False),
        ),
        Case(
            "journal-into-git",
            attacked_tree(dialog, _planted_journal(_journal_deleting(".git/HEAD")), committed=False),
        ),
        Case("dot-assistantgit-link", attacked_tree(dialog, dot_assistantgit_link, "harmless")),
        Case("poisoned-cache", attacked_tree(dialog, poisoned_cache, "harmless")),
        Case("logs-link-to-dev-zero", planted_logs(lambda f, b: _link(f / "2025-01-01.jsonl", "/dev/zero"))),
        Case("logs-fifo", planted_logs(lambda f, b: os.mkfifo(f / "2025-01-01.jsonl"))),
        Case(
            "logs-deep-line",
            planted_logs(lambda f, b: (f / "2025-01-01.jsonl").write_text("[" * 5000 + "]" * 5000 + "\n")),
        ),
        # resource exhaustion
        Case("alias-bomb-item", attacked_tree(dialog, bomb_in("intents/bomb.yaml", "intent: bomb\n"), "content")),
        Case("alias-bomb-root-file", attacked_tree(dialog, bomb_under("skill.yaml", "lols"), "content")),
        Case("alias-bomb-actions", attacked_tree(actions, bomb_under("actions/Fallback.yaml", "lols"), "content")),
        Case("alias-bomb-avaamo", attacked_tree(avaamo, bomb_under("files/manifest.yaml", "lols"), "content", out)),
        Case("alias-bomb-agent-yaml", attacked_tree(avaamo, bomb_under("agent.yaml", "lols"), "content", out)),
        Case("alias-bomb-project-file", project_file(PROJECT_HEAD + "lols:\n" + _indented(BILLION_LAUGHS))),
        Case("deep-yaml-flow", attacked_tree(dialog, deep_yaml_flow, "content")),
        Case("deep-yaml-block", attacked_tree(dialog, deep_yaml_block, "content")),
        Case("deep-yaml-compact", attacked_tree(dialog, deep_yaml_compact, "content")),
        Case("deep-yaml-canonical", attacked_tree(dialog, deep_yaml_canonical, "content")),
        Case("deep-yaml-at-the-limit", attacked_tree(dialog, deep_at_the_limit, "harmless")),
        Case("deep-project-file", project_file(PROJECT_HEAD + "x: " + "[" * 10_000 + "]" * 10_000 + "\n")),
        Case("huge-int-yaml", attacked_tree(dialog, huge_int_yaml, "content")),
        Case("huge-float-yaml", attacked_tree(dialog, huge_float_yaml, "content")),
        Case("deep-json-900", hostile_export(deep_json(900), "deep900.json")),
        Case("deep-json-5000", hostile_export(deep_json(5000), "deep5000.json")),
        Case("deep-json-at-the-limit", hostile_export(deep_json(96), "deep96.json", {0, 1})),
        Case("huge-int-json", hostile_export(number_json("9" * 5000), "digits.json")),
        Case("huge-float-json", hostile_export(number_json("1e400"), "inf.json")),
        Case("duplicate-key-json", hostile_export(duplicate_key_json, "duplicate.json")),
        Case("zip-of-small-members", hostile_export(zip_of_small_members(), "bomb_1234_20250101.zip")),
        # wrong types
        Case(
            "format-list",
            attacked_tree(dialog, replace_line("skill.yaml", "format: watson-dialog", "format: [x]"), "walk"),
        ),
        Case(
            "format-mapping",
            attacked_tree(dialog, replace_line("skill.yaml", "format: watson-dialog", "format: {a: b}"), "walk"),
        ),
        Case(
            "format-number",
            attacked_tree(actions, replace_line("skill.yaml", "format: watson-actions", "format: 5"), "walk"),
        ),
        Case(
            "format-zip-list",
            attacked_tree(
                zipped, replace_line("assistant.yaml", "format: watson-assistant-zip", "format: [x]"), "walk"
            ),
        ),
        Case(
            "format-avaamo-mapping",
            attacked_tree(avaamo, replace_line("agent.yaml", "format: avaamo-agent", "format: {a: 1}"), "walk", out),
        ),
        Case("parent-list", attacked_tree(dialog, _help("previous_sibling: node_complaint\nparent: [a]"), "types")),
        Case(
            "parent-mapping", attacked_tree(dialog, _help("previous_sibling: node_complaint\nparent: {a: b}"), "types")
        ),
        Case("previous-sibling-list", attacked_tree(dialog, _help("previous_sibling: [node_complaint]"), "types")),
        Case("omitted-nested-list", attacked_tree(dialog, append("skill.yaml", "omitted: [[a]]\n"), "types")),
        Case(
            "step-id-list",
            attacked_tree(
                actions, replace_line("actions/Fallback.yaml", "  - step:", "  - step: [x]\n    was:"), "types"
            ),
        ),
        Case(
            "members-wrong-types",
            attacked_tree(
                avaamo, replace_line("agent.yaml", "  - name: manifest.json", "  - name: [manifest.json]"), "types", out
            ),
        ),
        # translated files
        Case("xliff-plain", hostile_translation(_write(xliff()), {0})),  # the control: the attacks are refused
        Case("xliff-billion-laughs", hostile_translation(_write(xliff("&l9;", f"<!DOCTYPE xliff [{XML_LAUGHS}]>\n")))),
        Case("xliff-external-entity", hostile_translation(_external_entity), (OUTSIDE_SECRET,)),
        Case(
            "xliff-external-dtd",
            hostile_translation(_write(xliff(doctype='<!DOCTYPE xliff SYSTEM "http://127.0.0.1:9/x.dtd">\n'))),
        ),
        Case(
            "xliff-link-out",
            hostile_translation(lambda b, p: _link(p, os.path.relpath(b / "outside" / "secret.yaml", p.parent))),
        ),
        Case("xliff-link-dev-zero", hostile_translation(lambda b, p: _link(p, "/dev/zero"))),
        Case("xliff-fifo", hostile_translation(lambda b, p: os.mkfifo(p))),
        # secrets
        Case("secrets-dialog", hostile_export(secrets_dialog, "secrets.json", {0, 1}), SECRET_VALUES),
        Case(
            "secrets-avaamo",
            hostile_export(secrets_avaamo, "secretive_77_20250101.zip", {0, 1}),
            SECRET_VALUES[:2] + ("918273645",),
        ),
        Case(
            "avaamo-duplicate-with-secret",
            hostile_export(
                avaamo_member('{"api_key": "dup-secret-1a", "api_key": "dup-secret-1a"}'), "odd_1_20250101.zip"
            ),
            ("dup-secret-1a",),
        ),
        Case(
            "avaamo-nan-with-secret",
            hostile_export(avaamo_member('{"password": "nan-secret-2b", "x": NaN}'), "odd_2_20250101.zip"),
            ("nan-secret-2b",),
        ),
    ]


def _help(new: str):
    return replace_line("dialog_nodes/Help.yaml", "previous_sibling: node_complaint", new)


def _indented(text: str) -> str:
    return "".join("  " + line + "\n" for line in text.splitlines())
