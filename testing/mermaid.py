"""Checks every Mermaid diagram of the tests goes through: the real Mermaid parser, and a
strict grammar of the flowchart subset assistantgit writes.

The real parser is the `mermaid` npm package run by node (testing/mermaid_npm/parse.mjs), installed
once into a cache folder outside the repository: $ASSISTANTGIT_MERMAID_DIR, by default
~/.cache/assistantgit-test-mermaid (`.ci/run` installs it there). One node process parses
every diagram of the session in batches. Without node or npm the parser's tests skip and say
why, unless ASSISTANTGIT_REQUIRE_MERMAID=1 (CI), where they fail. The grammar check needs
nothing and always runs: it accepts only the lines our renderer may write, so a label that
lets skill text out, a directive, a click line or a diagram over Mermaid's limits fails it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PACKAGE_JSON = HERE / "mermaid_npm" / "package.json"
PARSE_SCRIPT = HERE / "mermaid_npm" / "parse.mjs"
PINNED = json.loads(PACKAGE_JSON.read_text("utf-8"))["dependencies"]
MERMAID_MAX_EDGES = 500  # mermaid refuses this many
MERMAID_MAX_TEXT = 50_000  # mermaid draws an error box instead of a longer text


def cache_dir() -> Path:
    return Path(os.environ.get("ASSISTANTGIT_MERMAID_DIR") or Path.home() / ".cache" / "assistantgit-test-mermaid")


def _installed(folder: Path) -> bool:
    for name, version in PINNED.items():
        try:
            found = json.loads((folder / "node_modules" / name / "package.json").read_text("utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            return False
        if found != version:
            return False
    return True


def install(folder: Path) -> str | None:
    """Install the pinned packages into `folder` unless they are there; the reason when impossible."""
    if shutil.which("node") is None:
        return "node is not installed"
    if _installed(folder):
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKAGE_JSON, folder / "package.json")
    try:
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(folder)],
            capture_output=True,
            text=True,
            timeout=600,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"npm install failed: {error}"
    if done.returncode != 0 or not _installed(folder):
        tail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return f"npm install into {folder} failed: {tail}"
    return None


class MermaidParser:
    """One node process running Mermaid's own parser; `parse` sends a batch and waits for it."""

    def __init__(self, folder: Path):
        self.process = subprocess.Popen(
            ["node", str(PARSE_SCRIPT), str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout

    def parse(self, texts: list[str]) -> list[dict]:
        self.stdin.write(json.dumps(texts) + "\n")
        self.stdin.flush()
        line = self.stdout.readline()
        if not line:
            raise RuntimeError(f"the Mermaid parser process ended (exit {self.process.wait()})")
        return json.loads(line)

    def refused(self, texts: list[str]) -> list[tuple[str, str]]:
        """(diagram, why) for each diagram Mermaid refuses or that sets any configuration."""
        bad = []
        for text, result in zip(texts, self.parse(texts)):
            if not result["ok"]:
                bad.append((text, result["error"]))
            elif result["config"]:
                bad.append((text, f"the diagram sets configuration: {result['config']}"))
            elif result["type"] != "flowchart-v2":
                bad.append((text, f"read as a {result['type']} diagram"))
        return bad

    def close(self) -> None:
        self.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def mermaid_parser():
    """The real Mermaid parser, or a skip (a failure under ASSISTANTGIT_REQUIRE_MERMAID=1) saying why not."""
    reason = install(cache_dir())
    if reason is not None:
        message = f"the real Mermaid parser is unavailable ({reason}); the strict grammar check ran instead"
        if os.environ.get("ASSISTANTGIT_REQUIRE_MERMAID") == "1":
            pytest.fail(message)
        pytest.skip(message)
    parser = MermaidParser(cache_dir())
    yield parser
    parser.close()


# --- the strict grammar of what assistantgit writes -------------------------------------------------

# Characters that may never appear raw inside a label: each would end it, open a directive,
# an entity, markup, markdown, math or an icon, or break the line.
FORBIDDEN_IN_LABEL = set('"`%<>&\\#;:[]{}|$') | {chr(c) for c in range(32)} | {"\x7f"}
LABEL = r'"(?P<{}>[^"\n]*)"'
SHAPES = [("[", "]"), ("(", ")"), ("([", "])"), ("[[", "]]"), (">", "]"), ("((", "))"), ("{{", "}}")]
NODE = re.compile(r"    (?P<id>n\d+)(?P<open>[\[\(>{]{1,2})" + LABEL.format("label") + r"(?P<close>[\]\)}]{1,2})")
EDGE = re.compile(r"    (?P<a>n\d+) (?:-->|-\.->|==>)(?:\|" + LABEL.format("label") + r"\|)? (?P<b>n\d+)")
CLASSDEF = re.compile(r"    classDef (?P<name>[a-z]+) (?:[a-z-]+:[#0-9a-z. ]+)(?:,[a-z-]+:[#0-9a-z. ]+)*")
CLASS = re.compile(r"    class (?P<ids>n\d+(?:,n\d+)*) (?P<name>[a-z]+)")
ENTITY_OR_BREAK = re.compile(r"#\d{1,7};|<br/>")


def label_problems(text: str) -> list[str]:
    rest = ENTITY_OR_BREAK.sub("", text)
    bad = sorted({ch for ch in rest if ch in FORBIDDEN_IN_LABEL})
    return [f"raw {''.join(bad)!r} in label {text!r}"] if bad else []


def flowchart_problems(text: str) -> list[str]:
    """Why `text` is not a flowchart of the subset we write (an empty list when it is)."""
    lines = text.rstrip("\n").split("\n")
    problems = []
    if not re.fullmatch(r"flowchart (TD|LR)", lines[0]):
        problems.append(f"first line {lines[0]!r}")
    if len(text) >= MERMAID_MAX_TEXT:
        problems.append(f"{len(text)} characters: Mermaid draws at most {MERMAID_MAX_TEXT}")
    declared, classes, edges = set(), set(), 0
    for number, line in enumerate(lines[1:], start=2):
        node, edge = NODE.fullmatch(line), EDGE.fullmatch(line)
        classdef, klass = CLASSDEF.fullmatch(line), CLASS.fullmatch(line)
        if node:
            if (node["open"], node["close"]) not in SHAPES:
                problems.append(f"line {number}: unknown shape {node['open']}…{node['close']}")
            if node["id"] in declared:
                problems.append(f"line {number}: {node['id']} declared twice")
            declared.add(node["id"])
            problems += [f"line {number}: {p}" for p in label_problems(node["label"])]
        elif edge:
            edges += 1
            for end in (edge["a"], edge["b"]):
                if end not in declared:
                    problems.append(f"line {number}: edge to undeclared {end}")
            if edge["label"] is not None:
                problems += [f"line {number}: {p}" for p in label_problems(edge["label"])]
        elif classdef:
            classes.add(classdef["name"])
        elif klass:
            if klass["name"] not in classes:
                problems.append(f"line {number}: class {klass['name']} used before its classDef")
            problems += [
                f"line {number}: class on undeclared {i}" for i in klass["ids"].split(",") if i not in declared
            ]
        else:
            problems.append(f"line {number}: not in the subset: {line!r}")
    if edges >= MERMAID_MAX_EDGES:
        problems.append(f"{edges} edges: Mermaid refuses {MERMAID_MAX_EDGES} or more")
    return problems


def mermaid_blocks(markdown: str) -> list[str]:
    """The diagrams of ```mermaid blocks in a markdown text."""
    return [m.group(1) for m in re.finditer(r"^```mermaid\n(.*?)^```$", markdown, re.S | re.M)]


def assert_grammar(texts: list[str]) -> None:
    assert texts, "no diagram to check"
    bad = [(text, problems) for text in texts if (problems := flowchart_problems(text))]
    assert not bad, f"{len(bad)} of {len(texts)} diagrams break the grammar; first: {bad[0][1][:5]}\n{bad[0][0][:2000]}"


def assert_parses(parser: MermaidParser, texts: list[str]) -> None:
    assert texts, "no diagram to check"
    bad = parser.refused(texts)
    assert not bad, f"Mermaid refused {len(bad)} of {len(texts)} diagrams; first: {bad[0][1]}\n{bad[0][0][:2000]}"
