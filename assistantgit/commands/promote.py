"""assistantgit promote: push the source tree as it is at a git revision to an environment."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer

from ..console import out
from ..options import DiffFormat


def promote(
    to: str = typer.Option(
        ..., "--to", "-t", help="The environment of assistantgit.yaml to update.", show_default=False
    ),
    ref: str = typer.Option("HEAD", "--ref", "-r", help="The git revision whose tree is pushed (branch, tag, commit)."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Print what would change and send nothing."),
    format: DiffFormat = typer.Option(
        DiffFormat.text, "--format", "-f", help="--dry-run output: text, markdown (a pull-request comment) or json."
    ),
) -> int:
    """Push the source tree at a git revision to an environment: what CI runs after a merge.

    The files are read from git objects (the working tree is not used or changed); the
    environments and their overrides come from the current assistantgit.yaml, so one
    branch serves dev, test and prod. Backup, read-back check and exit codes as push --env.

    Example: assistantgit promote --to prod --ref main
    """
    from ..project import load_project
    from ..git.commits import export_revision
    from ..remote.push import push_to

    project = load_project()
    project.environment(to)  # fail on a typo before reading git
    with tempfile.TemporaryDirectory(prefix="assistantgit-promote-") as temp:
        described = export_revision(project.root, project.source, ref, Path(temp))
        out.info(f"Promoting {ref} ({described}) to {to}")
        return push_to(project, to, Path(temp), dry_run, label=f"{ref} ({described.split()[0]})", format=format)
