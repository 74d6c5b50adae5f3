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


def read_blobs(repo, shas: list[str]) -> list[bytes | None]:
    """The contents of many blobs (hex ids) from one `git cat-file --batch` run, in order;
    None for an id that is not a blob of the repository (or for all, if git fails)."""
    import subprocess

    done = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=repo.git_dir,
        capture_output=True,
        input="".join(sha + "\n" for sha in shas).encode("ascii"),
    )
    if done.returncode != 0:
        return [None] * len(shas)
    found: list[bytes | None] = []
    output, start = done.stdout, 0
    for sha in shas:
        header_end = output.index(b"\n", start)
        header = output[start:header_end].split(b" ")
        if len(header) != 3:  # "<id> missing"
            found.append(None)
            start = header_end + 1
            continue
        size = int(header[2])
        found.append(
            output[header_end + 1 : header_end + 1 + size]
            if header[1] == b"blob" and header[0] == sha.encode()
            else None
        )
        start = header_end + 1 + size + 1
    return found
