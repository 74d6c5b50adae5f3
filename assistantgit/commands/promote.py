"""assistantgit promote: push the source tree at a git revision to an environment, and
optionally publish it as a release and deploy that release."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..cliparse import Option
from ..console import out
from ..errors import InputError
from ..options import DiffFormat


def promote(
    to: str = Option(..., "--to", "-t", help="The environment of assistantgit.yaml to update.", show_default=False),
    ref: str = Option("HEAD", "--ref", "-r", help="The git revision whose tree is pushed (branch, tag, commit)."),
    dry_run: bool = Option(False, "--dry-run", "-n", help="Print what would change and send nothing."),
    format: DiffFormat | None = Option(
        None,
        "--format",
        "-f",
        help="--dry-run output, and the --test report: text, markdown (a pull-request comment) or json.",
        show_default="text",
    ),
    test: list[Path] | None = Option(
        None,
        "--test",
        help="Gate: run these conversation files or folders (repeatable) on the revision first; promote only if all pass.",
        show_default=False,
    ),
    via: str | None = Option(
        None,
        "--via",
        help="With --test: the environment to test on first (needed for dialog workspaces, which have no draft).",
        show_default="actions: the target's draft",
    ),
    jobs: int = Option(4, "--jobs", "-j", min=1, max=32, help="With --test: conversations sent at once."),
    min_coverage: float | None = Option(
        None,
        "--min-coverage",
        min=0,
        max=100,
        help="With --test: also require this coverage (percent) of intents, nodes, actions, steps.",
        show_default=False,
    ),
    junit: Path | None = Option(
        None, "--junit", help="With --test: write JUnit XML of the run here.", show_default=False
    ),
    publish: bool = Option(
        False,
        "--publish",
        help="After the verified push, publish the draft as a release named after the revision's commit.",
    ),
    deploy_to: str | None = Option(
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

    With --test, the revision is tested first where customers do not see it (--via ENV, an
    actions target's draft, or a preview workspace of a dialog target) and reaches the
    target (and --publish/--deploy-to) only when every conversation passed; otherwise the
    target is untouched, the report says why and the exit code is 1.

    Example: assistantgit promote --to prod --ref main

    Example: assistantgit promote --to prod --ref "$GITHUB_SHA" --publish --deploy-to live

    Example: assistantgit promote --to prod --ref main --test skill/conversations --via test
    """
    from ..git.commits import export_revision
    from ..project import load_project
    from ..project.trees import announced, project_tree
    from ..remote.push import push_to

    if format is not None and not dry_run and not test:
        raise InputError("--format chooses the output of --dry-run or --test: add one, or drop --format")
    if deploy_to is not None and not publish:
        raise InputError("--deploy-to deploys the release that --publish makes: give both")
    if dry_run and publish:
        raise InputError("--dry-run sends nothing, so it cannot --publish")
    project = load_project()
    environment = project.environment(to)  # fail on a typo before reading git
    if publish:
        environment.require_assistant("publish a release")
    announced(project_tree(project, None))
    if test:
        if dry_run:
            raise InputError("--dry-run shows what would change; it runs no test (leave out --test)")
        from ..conversations.gate import Gate, promote_tested

        gate = Gate(list(test), via, jobs, min_coverage, (format or DiffFormat.text).value, junit, publish, deploy_to)
        return promote_tested(project, to, ref, gate)
    if via is not None or junit is not None or min_coverage is not None:
        raise InputError("--via, --junit and --min-coverage go with --test PATH")
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
