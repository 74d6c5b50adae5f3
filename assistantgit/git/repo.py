"""Opening the repository a path is in, and naming things inside it (gitpython)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError


def open_repo(path: Path):
    """The git repository that holds `path`, or an error saying there is none."""
    import git

    try:
        return git.Repo(Path(path).resolve(), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise InputError(f"{path}: not inside a git repository; run 'git init' first") from None


def repo_relative(repo, folder: Path) -> str:
    """The path of `folder` inside the repository ('' for its top), with '/'."""
    top = Path(repo.working_tree_dir).resolve()
    try:
        rel = Path(folder).resolve().relative_to(top)
    except ValueError:
        raise InputError(f"{folder}: is outside the git repository at {top}") from None
    return "" if str(rel) == "." else rel.as_posix()


def resolve_object(repo, spec: str):
    """A revision ('HEAD~1', 'main') -> its commit; 'REV:path' -> that blob or tree; None if unknown."""
    import git

    try:
        return repo.rev_parse(spec)
    except (git.BadName, git.BadObject, ValueError, IndexError, KeyError):
        return None
