"""A pulled skill committed in a real git repository, for the diff tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistantgit import canonical


class Skill:
    """A pulled skill committed in a real git repository, with helpers to edit its files."""

    def __init__(self, repo, root: Path):
        self.repo, self.root = repo, root

    def find(self, folder: str, ident_field: str, ident: str) -> Path:
        for path in sorted((self.root / folder).glob("*.yaml")):
            if canonical.loads(path.read_text("utf-8")).get(ident_field) == ident:
                return path
        raise AssertionError(f"{ident} not found in {folder}")

    def load(self, path: Path):
        return canonical.loads(path.read_text("utf-8"))

    def save(self, path: Path, data) -> None:
        path.write_text(canonical.dumps(data), "utf-8")

    def edit(self, folder: str, ident_field: str, ident: str, change) -> Path:
        path = self.find(folder, ident_field, ident)
        data = self.load(path)
        change(data)
        self.save(path, data)
        return path

    def node(self, ident: str, change) -> Path:
        return self.edit("dialog_nodes", "dialog_node", ident, change)

    def commit(self, message: str) -> None:
        self.repo.git.add("-A")
        self.repo.index.commit(message)


def committed_template(folder: Path, export: bytes) -> Path:
    """`export` pulled into folder/skill of a new git repository and committed: made once per
    test session, then copied into each test (a git init, a pull and a commit cost a test
    about 0.3 s; a copy of the folder a tenth of that)."""
    from assistantgit.pipeline import pull_file
    from testing.git_cli import init_repo

    repo = init_repo(folder)  # without sample hooks: fewer files to copy
    source = folder.parent / f"{folder.name}-export.json"
    source.write_bytes(export)
    pull_file(source, folder / "skill")
    Skill(repo, folder / "skill").commit("pull the skill")
    repo.git.gc("--quiet")  # one pack instead of a file per object
    return folder


def copy_committed(template: Path, into: Path) -> Skill:
    """A copy of a `committed_template` folder (its repository included) in `into`."""
    import git

    shutil.copytree(template, into, symlinks=True, dirs_exist_ok=True)
    return Skill(git.Repo(into), into / "skill")
