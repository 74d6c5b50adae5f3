"""push --env and promote: send a tree to an environment and say what changed.

Below the commands, so that push and promote share it without importing each other.
"""

from __future__ import annotations

from pathlib import Path

from ..console import out
from ..options import DiffFormat


def push_to(
    project, env_name: str, root: Path, dry_run: bool, label: str | None = None, format: DiffFormat = DiffFormat.text
) -> int:
    """Push (or dry-run) the tree at `root` to an environment; the exit code."""
    from ..diff.render import render
    from ..diff.summary import summary
    from .sync import push_env

    environment = project.environment(env_name)
    label = label or str(root)
    result = push_env(project, environment, root, dry_run=dry_run, label=label)
    if dry_run:
        assert result.diff is not None  # a dry run always has its diff
        out.result(render(result.diff, format).rstrip("\n"))
        out.info(f"Dry run, nothing was sent: {env_name} <- {label}: {summary(result.changes)}")
        return 0
    out.info(f"Pushed {label} to {env_name} ({environment.target}): {summary(result.changes)}; read back and verified")
    out.info(f"Backup of the previous content: {result.backup}")
    return 0
