"""git as the tests run it: the real command, with an identity and no signing, so that a
commit works on any machine (a CI runner has no user.name)."""

from __future__ import annotations

import subprocess
from pathlib import Path

IDENTITY = ["-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


def git(cwd: Path, *args: str) -> str:
    """Run `git ARGS` in cwd; its standard output (CalledProcessError when it fails)."""
    return subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def init_repo(folder: Path):
    """A new git repository in `folder` (gitpython's Repo), with a test identity and no signing
    in its config, and without git's 13 sample hooks (files a test would create for nothing)."""
    import git as gitpython

    git(folder, "init", "--quiet", "--template=", "--initial-branch=main")
    repo = gitpython.Repo(folder)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
        config.set_value("commit", "gpgsign", "false")
    return repo
