"""assistantgit promote: push the source tree at a git revision to an environment, and
optionally publish it as a release and deploy that release."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer

from ..console import out
from ..errors import InputError
from ..options import DiffFormat


def promote(
    to: str = typer.Option(
        ..., "--to", "-t", help="The environment of assistantgit.yaml to update.", show_default=False
    ),
    ref: str = typer.Option("HEAD", "--ref", "-r", help="The git revision whose tree is pushed (branch, tag, commit)."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Print what would change and send nothing."),
    format: DiffFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="With --dry-run: its output as text, markdown (a pull-request comment) or json.",
        show_default="text",
    ),
    publish: bool = typer.Option(
        False,
        "--publish",
        help="After the verified push, publish the draft as a release named after the revision's commit.",
    ),
    deploy_to: str | None = typer.Option(
        None,
        "--deploy-to",
        help="With --publish: deploy the new release to this environment of the assistant (live, staging...).",
        show_default=False,
    ),
) -> int:
    """Push the source tree at a git revision to an environment: what CI runs after a merge.

    The files are read from git objects (the working tree is not used or changed); the
    environments and their overrides come from the current assistantgit.yaml, so one
    branch serves dev, test and prod. Backup, read-back check and exit codes as push --env.
    With --publish, the verified draft becomes a release whose description is the
    commit's short sha and subject; with --deploy-to, that release is deployed and
    waited for. A failed step stops there: what was deployed before stays in place.

    Example: assistantgit promote --to prod --ref main

    Example: assistantgit promote --to prod --ref "$GITHUB_SHA" --publish --deploy-to live
    """
    from ..git.commits import export_revision
    from ..project import load_project
    from ..project.trees import announced, project_tree
    from ..remote.push import push_to

    if format is not None and not dry_run:
        raise InputError("--format chooses the output of --dry-run: add --dry-run, or drop --format")
    if deploy_to is not None and not publish:
        raise InputError("--deploy-to deploys the release that --publish makes: give both")
    if dry_run and publish:
        raise InputError("--dry-run sends nothing, so it cannot --publish")
    project = load_project()
    environment = project.environment(to)  # fail on a typo before reading git
    if publish:
        environment.require_assistant("publish a release")
    announced(project_tree(project, None))
    with tempfile.TemporaryDirectory(prefix="assistantgit-promote-") as temp:
        described = export_revision(project.root, project.source, ref, Path(temp))
        out.info(f"Promoting {ref} ({described}) to {to}")
        code = push_to(
            project, to, Path(temp), dry_run, label=f"{ref} ({described.split()[0]})", format=format or DiffFormat.text
        )
    if publish:
        from ..remote.lifecycle import deploy_env, publish_env

        number = str(publish_env(project, environment, ref=ref, verified=True)["release"])
        if deploy_to is not None:
            deploy_env(project, environment, number, deploy_to)
        out.result(number)
    return code
