"""assistantgit restore: upload a backup (or any export) to an environment."""

from __future__ import annotations

from pathlib import Path

from ..cliparse import Argument, Option
from ..console import out


def restore(
    backup: Path = Argument(
        ..., help="A backup from .assistantgit/backups/<env>/ (or an export the API returned).", show_default=False
    ),
    env: str = Option(..., "--env", "-e", help="The environment of assistantgit.yaml to restore.", show_default=False),
) -> int:
    """Put a backup back on an environment, exactly as it was saved.

    `push --env` saves what an environment holds before replacing it and prints the
    backup's path. Restoring also backs up the current content first, so a restore
    can itself be undone.

    Example: assistantgit restore --env prod .assistantgit/backups/prod/20261123T101500.000000Z.json
    """
    from ..diff.summary import summary
    from ..project import load_project
    from ..remote.sync import restore_env

    project = load_project()
    environment = project.environment(env)
    result = restore_env(project, environment, backup)
    out.info(f"Restored {backup} to {env} ({environment.target}): {summary(result.changes)}; read back and verified")
    out.info(f"Backup of the content it replaced: {result.backup}")
    return 0
