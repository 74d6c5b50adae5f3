"""One hooks repository and one pre-commit home for the whole test session, shared by every
xdist worker.

pre-commit installs the hooks (`language: python`) into a virtualenv it builds with pip from
the package index, about a minute and a half on 2 cores. Built per worker, that cost was paid
once per worker; built under a lock in the folder all workers share, it is paid once.
pre-commit's own store lock makes concurrent installs into one PRE_COMMIT_HOME safe; the lock
here makes every worker use the same hooks commit, so they share the environment too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from testing.git_cli import git
from testing.paths import PROJECT
from testing.session import exclusive, session_folder

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "NO_COLOR": "1",
}


def shared_hooks_repo(tmp_path_factory) -> tuple[Path, str]:
    """A committed git copy of the project as it is on disk now: made by the first worker
    that asks, reused by the others (same path, same commit, hence one hook environment)."""
    folder = session_folder(tmp_path_factory) / "pre-commit-hooks-repo"
    target = folder / "assistantgit"
    done = folder / "commit"
    folder.mkdir(exist_ok=True)
    with exclusive(folder.with_suffix(".lock")):
        if not done.is_file():
            _copy_project(target)
            git(target, "init", "-q", "-b", "main")
            git(target, "add", "-A")
            git(target, "commit", "-q", "-m", "hooks")
            done.write_text(git(target, "rev-parse", "HEAD").strip(), encoding="utf-8")
    return target, done.read_text(encoding="utf-8")


def shared_pre_commit_home(tmp_path_factory) -> Path:
    home = session_folder(tmp_path_factory) / "pre-commit-home"
    home.mkdir(exist_ok=True)
    return home


def _copy_project(target: Path) -> None:
    listed = git(PROJECT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for rel in filter(None, listed.split("\0")):
        source = PROJECT / rel
        if rel.startswith(("sample-repo/", "benchmarks/_work/")) or not source.is_file():
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / rel)
    assert (target / ".pre-commit-hooks.yaml").is_file()
