"""push --env and its report, shared by the commands that push (push, promote, preview):
no command imports another."""
from __future__ import annotations

from pathlib import Path

from ..console import out
from ..errors import InputError

FORMATS = ("text", "markdown", "json")


def push_to(project, env_name: str, root: Path, dry_run: bool, label: str | None = None, format: str = "text") -> int:
    """Push (or dry-run) the tree at `root` to an environment and say what changed."""
    from .changes import summary
    from .sync import push_env

    if format not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}")
    environment = project.environment(env_name)
    label = label or str(root)
    result = push_env(project, environment, root, dry_run=dry_run, label=label)
    if dry_run:
        from .. import semdiff_render

        render = {"text": semdiff_render.text, "markdown": semdiff_render.markdown, "json": semdiff_render.to_json}
        out.result(render[format](result.diff).rstrip("\n"))
        out.info(f"Dry run, nothing was sent: {env_name} <- {label}: {summary(result.changes)}")
        return 0
    out.info(f"Pushed {label} to {env_name} ({environment.target}): {summary(result.changes)}; read back and verified")
    out.info(f"Backup of the previous content: {result.backup}")
    return 0
