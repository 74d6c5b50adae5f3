"""The translate package's only contact with trees and git: reading a tree (now, or at a git
revision) and writing one, all through the project's own public functions (pipeline,
tree, git), so their safety rules apply here too.
"""

from __future__ import annotations

import os
from pathlib import Path

from ...errors import InputError

SUPPORTED = ("watson-dialog", "watson-actions", "watson-assistant-zip")


def _supported(fmt, root) -> None:
    if fmt.name not in SUPPORTED:
        raise InputError(
            f"{root}: a {fmt.name} tree; translate works on Watson Assistant trees ({', '.join(SUPPORTED)})"
        )


def read(root: Path):
    """(format, files) of the source tree at `root`."""
    from ...pipeline import read_tree

    fmt, files = read_tree(Path(root))
    _supported(fmt, root)
    return fmt, files


def is_tree(root: Path) -> bool:
    from ...formats import registry

    return Path(root).is_dir() and any((Path(root) / name).is_file() for name in registry.root_files())


def write(root: Path, fmt, files: dict):
    """Make the managed part of `root` hold exactly `files` (all-or-nothing, see tree.write_tree)."""
    from ...pipeline import render_files
    from ...tree import write_tree

    rendered = render_files(files)
    report = write_tree(Path(root), rendered, fmt.managed())
    return len(report.created) + len(report.changed) + len(report.deleted), {
        rel: content.decode("utf-8") for rel, content in rendered.items() if isinstance(content, bytes)
    }


def at_revision(root: Path, revision: str, fmt) -> dict:
    """The tree's files as they were at a git revision (read from git objects, no checkout);
    empty when the tree did not exist yet."""
    from ...git.repo import open_repo, repo_relative, resolve_object
    from ...git.revisions import from_git_object

    repo = open_repo(Path(root))
    obj = resolve_object(repo, revision)
    if obj is None:
        raise InputError(f"--since {revision}: not a revision of the git repository at {repo.working_tree_dir}")
    side = from_git_object(repo, obj, revision, repo_relative(repo, Path(root)), fmt)
    return {rel: side.data(rel) for rel in side.entries}


def head_revision(root: Path) -> str:
    """The commit the tree's repository is at ('' outside git): recorded in exports."""
    from ...git.repo import open_repo

    try:
        repo = open_repo(Path(root))
        return repo.head.commit.hexsha if repo.head.is_valid() else ""
    except (InputError, ValueError):
        return ""


def skill_settings(files: dict) -> list[dict]:
    """The settings (workspace, then envelope) of each skill of the tree."""
    from ..units import skill_parts

    found: list = []
    for prefix in skill_parts(files):
        doc = files.get(f"{prefix}skill.yaml")
        if isinstance(doc, dict):
            found.extend(doc[p] for p in ("envelope", "workspace") if isinstance(doc.get(p), dict))
    return found


def language(files: dict) -> str:
    return next((s["language"] for s in skill_settings(files) if isinstance(s.get("language"), str)), "")


def skill_name(files: dict) -> str:
    return next((s["name"] for s in skill_settings(files) if isinstance(s.get("name"), str)), "")


def relative(path: Path, start: Path) -> str:
    """`path` as seen from `start` (for the record's `source:`), with '/'."""
    return Path(os.path.relpath(Path(path).resolve(), Path(start).resolve())).as_posix()


def last_changed(roots: list[Path]) -> dict:
    """Absolute path -> time of the last commit that changed it, for the files under `roots`
    (one `git log` for all; files never committed, or outside git, are absent)."""
    from ...git.repo import open_repo, repo_relative

    try:
        repo = open_repo(Path(roots[0]))
        folders = [repo_relative(repo, Path(root)) or "." for root in roots]
        log = (
            repo.git.log("--format=%x00%ct", "--name-only", "--no-renames", "--", *folders)
            if repo.head.is_valid()
            else ""
        )
    except (InputError, ValueError):
        return {}
    top = Path(repo.working_tree_dir).resolve()
    found: dict = {}
    for chunk in log.split("\x00")[1:]:
        head, _, names = chunk.partition("\n")
        for name in names.split("\n"):
            if name:
                found.setdefault(top / name, int(head))  # newest first: the first time seen is the last change
    return found
