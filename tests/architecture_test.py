"""The import rules of docs/ARCHITECTURE.md, checked on every import of the package,
including those inside functions: the layers point down only, no module reaches into
another's private names, and commands stay independent of one another."""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from testing.paths import PROJECT

PACKAGE = PROJECT / "assistantgit"
TABLE = re.compile(r"<!-- layers: begin -->(.*?)<!-- layers: end -->", re.S)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported module, dotted
    names: tuple[str, ...]  # the names taken from it (`from target import names`)
    line: int


def module_of(path: Path) -> str:
    parts = list(path.relative_to(PROJECT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(dotted: str) -> bool:
    path = PROJECT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


@functools.cache  # one scan of the package per worker process, shared by the tests below
def imports() -> tuple[Import, ...]:
    found: list[Import] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_of(path)
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [
                    Import(module, a.name, (), node.lineno) for a in node.names if a.name.startswith("assistantgit")
                ]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if not target.startswith("assistantgit"):
                    continue
                for alias in node.names:  # `from pkg import module` imports the module
                    sub = f"{target}.{alias.name}"
                    if is_module(sub):
                        found.append(Import(module, sub, (), node.lineno))
                    else:
                        found.append(Import(module, target, (alias.name,), node.lineno))
    return tuple(found)


def layers() -> dict[str, int]:
    """group -> layer, from the table in docs/ARCHITECTURE.md."""
    text = (PROJECT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = TABLE.search(text)
    assert table, "docs/ARCHITECTURE.md lost its layer table"
    result = {}
    for line in table.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].isdigit():
            for group in re.findall(r"`([^`]+)`", cells[1]):
                result[group] = int(cells[0])
    return result


def group_of(module: str, groups: dict[str, int]) -> str:
    rel = module.removeprefix("assistantgit").lstrip(".")
    if not rel:
        return "assistantgit"
    matches = [g for g in groups if rel == g or rel.startswith(g + ".")]
    assert matches, f"{module} belongs to no group of docs/ARCHITECTURE.md"
    return max(matches, key=len)


def test_every_module_has_a_layer():
    groups = layers()
    for path in PACKAGE.rglob("*.py"):
        group_of(module_of(path), groups)


def test_imports_point_down_the_layers():
    groups = layers()
    wrong = []
    for found in imports():
        mine, theirs = group_of(found.module, groups), group_of(found.target, groups)
        if mine != theirs and groups[theirs] >= groups[mine]:
            wrong.append(
                f"{found.module}:{found.line} ({mine}, layer {groups[mine]}) imports {found.target} "
                f"({theirs}, layer {groups[theirs]})"
            )
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_another_modules_private_names():
    wrong = []
    for found in imports():
        private = [n for n in found.names if n.startswith("_") and not n.startswith("__")]
        if private and found.target != found.module:
            wrong.append(f"{found.module}:{found.line} imports {', '.join(private)} from {found.target}")
        # a private module (validate/_scan.py) is imported only inside its own package
        segments = found.target.split(".")
        for index, segment in enumerate(segments):
            if segment.startswith("_") and not segment.startswith("__"):
                owner = ".".join(segments[:index])
                if not (found.module == owner or found.module.startswith(owner + ".")):
                    wrong.append(f"{found.module}:{found.line} imports the private module {found.target}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("rule", ["no command imports another", "only commands import commands"])
def test_commands_stand_alone(rule):
    wrong = []
    for found in imports():
        if not found.target.startswith("assistantgit.commands.") and not (
            found.target == "assistantgit.commands" and found.names
        ):
            continue
        inside = found.module.startswith("assistantgit.commands")
        if rule == "no command imports another" and inside and found.target != found.module:
            wrong.append(f"{found.module}:{found.line} imports {found.target}")
        if rule == "only commands import commands" and not inside:
            wrong.append(f"{found.module}:{found.line} imports {found.target}")
    assert not wrong, "\n".join(wrong)


def test_the_checks_see_what_they_check():
    """The import scan finds a known import inside a function (the rules would pass vacuously otherwise)."""
    found = imports()
    assert any(i.module == "assistantgit.commands.push" and i.target == "assistantgit.remote.push" for i in found)
    assert any(i.module == "assistantgit.validate" and i.target == "assistantgit.validate._core" for i in found)
