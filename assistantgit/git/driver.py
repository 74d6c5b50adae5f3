"""git's diff driver for raw exports: `git-setup` registers it, `textconv` is what git runs.

A downloaded export is one JSON line of several megabytes, so a plain `git diff` of it
shows one changed line. With `diff=assistantgit` in .gitattributes, git first turns each
version into the normalized source files (the same YAML `pull` writes, each under a
header line) and diffs those: one hunk per changed intent, entity or node.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssistantGitError
from ..tree import read_text, write_file_atomic

DRIVER = "assistantgit"
SECTION = f'diff "{DRIVER}"'
DEFAULT_PATTERNS = ("**/exports/*.json",)
ATTRIBUTES_HEADER = "# assistantgit: readable git diff / git log -p of skill exports (assistantgit git-setup)"


@dataclass
class SetupReport:
    config_changed: list[str] = field(default_factory=list)  # "diff.assistantgit.textconv"
    lines_added: list[str] = field(default_factory=list)  # new .gitattributes lines
    attributes: Path | None = None
    textconv: str = ""  # the command git runs, as stored

    @property
    def changed(self) -> bool:
        return bool(self.config_changed or self.lines_added)


def default_command() -> str:
    """How git should start us from any shell or IDE, with or without this virtualenv on PATH:
    the absolute path of the console script beside this interpreter (or found on PATH), else
    this interpreter with `-m assistantgit`; quoted for the shell git runs textconv in."""
    import shlex

    beside = Path(sys.executable).parent / ("assistantgit.exe" if sys.platform == "win32" else "assistantgit")
    found = beside if beside.is_file() else shutil.which("assistantgit")
    if found:
        return f"{shlex.quote(str(Path(found).absolute()))} textconv"
    return f"{shlex.quote(str(Path(sys.executable).absolute()))} -m assistantgit textconv"


def attribute_line(pattern: str) -> str:
    return f"{pattern} diff={DRIVER}"


def setup(repo, patterns, command: str | None = None) -> SetupReport:
    """Register the driver in the repository's .git/config and the patterns in .gitattributes.
    Running it again changes nothing."""
    report = SetupReport(textconv=command or default_command())
    # xfuncname: each hunk header names the file the change is in (`@@ ... @@ === intents/x.yaml ===`)
    wanted = {"textconv": report.textconv, "cachetextconv": "true", "xfuncname": "^=== .* ===$"}
    reader = repo.config_reader(config_level="repository")
    current = {
        key: _text(reader.get_value(SECTION, key, None)) if reader.has_section(SECTION) else None for key in wanted
    }
    if any(current[key] != value for key, value in wanted.items()):
        try:
            with repo.config_writer(config_level="repository") as writer:
                for key, value in wanted.items():
                    if current[key] != value:
                        writer.set_value(SECTION, key, value)
                        report.config_changed.append(f"diff.{DRIVER}.{key}")
        except OSError as error:  # a read-only clone, or a config.lock left by a crashed git
            from ..errors import InputError

            raise InputError(f"{repo.git_dir}/config: could not write ({error.strerror or error})") from None
    path = Path(repo.working_tree_dir) / ".gitattributes"
    report.attributes = path
    text = read_text(path) if os.path.lexists(path) else ""  # a link there is refused, not followed
    present = {line.split()[0] for line in text.splitlines() if f"diff={DRIVER}" in line.split()[1:]}
    new_lines = [attribute_line(p) for p in dict.fromkeys(patterns) if p not in present]
    if new_lines:
        if text and not text.endswith("\n"):
            text += "\n"
        if ATTRIBUTES_HEADER not in text:
            text += ("\n" if text else "") + ATTRIBUTES_HEADER + "\n"
        text += "".join(line + "\n" for line in new_lines)
        write_file_atomic(path, text.encode("utf-8"), private=False)
        report.lines_added = new_lines
    return report


def _text(value) -> str | None:
    """A config value as git writes it (gitpython reads `true` as a bool)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def normalized_view(raw: bytes, where: str) -> bytes:
    """What git diffs instead of the export: each source file under a header line. Anything
    that is not a skill export comes back unchanged, so the driver never breaks a diff."""
    from .. import canonical
    from ..diff.sources import from_export_bytes

    try:
        side = from_export_bytes(raw, where)
    except AssistantGitError:
        return raw
    paths = sorted(side.entries, key=lambda p: (p != side.fmt.root_file, p))
    chunks = [f"# assistantgit {side.fmt.name} export, normalized (volatile fields dropped, sets ordered)\n"]
    for path in paths:
        data = side.data(path)
        body = data.decode("utf-8", "replace") if isinstance(data, bytes) else canonical.dumps(data)
        chunks.append(f"\n=== {path} ===\n{body}")
    return "".join(chunks).encode("utf-8")
