"""The git operations of the environment commands (gitpython).

- commit what `pull --env` wrote, with a message that says what changed;
- copy the source tree as it is at a revision into a folder, from git objects
  (no checkout: the working tree and index are never touched).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..tree import LINK_REFUSED
from .repo import open_repo

MAX_BODY_LINES = 100


def commit_pull(root: Path, env_name: str, before, pulled) -> str | None:
    """Commit the managed files under `root`; returns the message, or None when nothing changed."""
    import git

    from ..diff import ItemSet, compare, from_tree
    from ..diff.summary import Change, lines, summary
    from ..formats.registry import tree_format

    repo = open_repo(root)
    fmt = tree_format(root)
    after = from_tree(root, "after")
    changes = [
        Change(c.status, c.kind, c.what, c.name) for c in compare(before or ItemSet("before", fmt, {}), after).changes
    ]
    top = Path(repo.working_tree_dir).resolve()
    paths = []
    for spec in fmt.managed():
        target = Path(root).resolve() / spec.path
        rel = target.relative_to(top).as_posix()
        if target.exists() or repo.git.ls_files("--", rel):
            paths.append(rel)
    if not paths:
        return None
    repo.git.add("-A", "--", *paths)
    try:
        repo.git.diff("--cached", "--quiet", "--", *paths)
        return None  # nothing staged for these paths
    except git.GitCommandError:
        pass
    message = f"pull {env_name}: {summary(changes)}"
    body = lines(changes)
    if len(body) > MAX_BODY_LINES:
        body = body[:MAX_BODY_LINES] + [f"... and {len(changes) - MAX_BODY_LINES} more"]
    full = message + ("\n\n" + "\n".join(body) if body else "") + "\n"
    try:
        repo.git.commit("-m", full, "--", *paths)
    except git.GitCommandError as error:
        raise InputError(f"git commit failed: {' '.join(str(error.stderr).split())[:300]}") from None
    return message


def export_revision(project_root: Path, source: str, ref: str, target: Path) -> str:
    """Write the files of `source` (a folder of the project) at revision `ref` into `target`.

    Returns the commit's short id and subject, for messages.
    """
    import git

    repo = open_repo(project_root)
    try:
        commit = repo.commit(ref)
    except (git.BadName, ValueError, git.GitCommandError):
        raise InputError(f"{ref}: not a revision of {repo.working_tree_dir} (try a branch, tag or commit id)") from None
    top = Path(repo.working_tree_dir).resolve()
    folder = (Path(project_root).resolve() / source).resolve()
    try:
        rel = folder.relative_to(top).as_posix()
    except ValueError:
        raise InputError(f"{folder}: the source folder is outside the git repository {top}") from None
    tree = commit.tree
    if rel not in ("", "."):
        try:
            tree = tree / rel
        except KeyError:
            raise InputError(f"{rel}: no such folder at {ref} ({commit.hexsha[:10]})") from None
        if tree.type != "tree":  # a file, or a link a pull request committed in place of the folder
            raise InputError(f"{rel}: not a folder at {ref} ({commit.hexsha[:10]})")
    count = 0
    for item in tree.traverse():
        if item.type != "blob":
            continue
        if item.mode & 0o170000 == 0o120000:  # as in a working tree (tree/files.py): links are refused
            raise InputError.at(f"{ref}:{item.path}", LINK_REFUSED)
        out_path = target / Path(item.path).relative_to(Path(tree.path)) if tree.path else target / item.path
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_bytes(item.data_stream.read())
        count += 1
    if not count:
        raise InputError(f"{rel or '.'}: empty at {ref}")
    return f"{commit.hexsha[:10]} {commit.summary}"


def describe_commit(project_root: Path, ref: str = "HEAD") -> tuple[str, str, str]:
    """(full sha, git's short sha, subject) of a revision: what a release description names."""
    import git

    repo = open_repo(project_root)
    try:
        commit = repo.commit(ref)
    except (git.BadName, ValueError, git.GitCommandError):
        raise InputError(f"{ref}: not a revision of {repo.working_tree_dir} (try a branch, tag or commit id)") from None
    return commit.hexsha, repo.git.rev_parse("--short", commit.hexsha), commit.summary


def release_description(project_root: Path, ref: str = "HEAD") -> str:
    """`abc1234 Add the delivery intent`: every release on the service traces back to a commit."""
    _, short, subject = describe_commit(project_root, ref)
    return f"{short} {subject}"


def commit_of_description(project_root: Path, description: str | None) -> str | None:
    """The full sha of the commit a release description starts with, or None (not ours, not here)."""
    import re

    import git

    match = re.match(r"([0-9a-f]{7,40})\b", description or "")
    if not match:
        return None
    repo = open_repo(project_root)
    try:
        commit = repo.commit(match.group(1))
    except (git.BadName, ValueError, git.GitCommandError):
        return None
    return commit.hexsha


def distance(project_root: Path, sha: str, ref: str = "HEAD") -> tuple[int, bool]:
    """(commits in `ref` that `sha` lacks, whether `sha` is in the history of `ref`)."""
    repo = open_repo(project_root)
    behind = int(repo.git.rev_list("--count", f"{sha}..{ref}"))
    ahead = int(repo.git.rev_list("--count", f"{ref}..{sha}"))
    return behind, ahead == 0


def branch_name(project_root: Path) -> str | None:
    """The checked-out branch, or None on a detached HEAD."""
    repo = open_repo(project_root)
    return None if repo.head.is_detached else repo.active_branch.name
