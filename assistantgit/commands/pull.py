"""assistantgit pull: an export file, or a live environment, into the source tree."""

from __future__ import annotations

from pathlib import Path

from ..cliparse import Argument, Option
from ..console import out
from ..errors import InputError


def pull(
    export: Path | None = Argument(
        None, help="The downloaded export: a skill JSON, or a ZIP. Not with --env.", show_default=False
    ),
    dir: Path | None = Option(
        None,
        "--dir",
        "-d",
        help="The source tree to write.",
        show_default="the tree the current folder is in, else assistantgit.yaml's source, else an empty current folder",
    ),
    env: str | None = Option(
        None,
        "--env",
        "-e",
        help="Fetch the draft from this environment of assistantgit.yaml over the API.",
        show_default=False,
    ),
    commit: bool = Option(
        False, "--commit", help="With --env: commit the pulled files, with a message summarizing the change."
    ),
    release: str | None = Option(
        None,
        "--release",
        "-r",
        help="With --env: a published version (release number, or 'latest') instead of the draft, through the release export.",
        show_default=False,
    ),
    environment: str | None = Option(
        None,
        "--environment",
        help="With --env: the release an environment of the assistant runs (live, staging...).",
        show_default=False,
    ),
    platform_version: str | None = Option(
        None,
        "--platform-version",
        help="Avaamo: the platform version the export came from, when the export does not say.",
        show_default=False,
    ),
    force: bool = Option(
        False, "--force", help="Replace managed files even when they hold changes git has not committed."
    ),
) -> int:
    """Explode an export into stable, reviewable files (one per intent, entity, dialog node...).

    Only the files assistantgit manages are replaced; README, .git and other files stay.
    Pulling the same content again changes no byte. Webhook header values and other
    credentials become ${ASSISTANTGIT_...} placeholders, filled from the environment on push.

    A pull is all or nothing, even when it is killed: the next command finishes or undoes
    it. It refuses (exit 2, nothing written) when a file it would replace holds changes git
    has not committed (unless --force), and a folder inside another source tree.

    Example: assistantgit pull ~/Downloads/customer-care-dialog.json --dir skills/customer-care

    Example: assistantgit pull --env dev --commit

    Example: assistantgit pull --env prod --environment live --dir released
    """
    if env is None and (release is not None or environment is not None):
        raise InputError("--release and --environment work with --env (a release of an environment's assistant)")
    if release is not None and environment is not None:
        raise InputError("give either --release or --environment, not both")
    if env is None:
        if export is None:
            raise InputError("give an EXPORT file, or --env NAME to fetch from an environment of assistantgit.yaml")
        if commit:
            raise InputError("--commit works with --env (commit what an environment holds)")
        from ..pipeline import pull_file, pull_guard
        from ..project.trees import announced, find_tree

        root = announced(find_tree(dir, new=True))
        with pull_guard(root, force) as note, out.progress("Writing files") as progress:
            pulled = pull_file(export, root, progress, platform_version=platform_version)
        _report(str(export), pulled, root, note)
        return 0
    if export is not None:
        raise InputError("give either an EXPORT file or --env NAME, not both")
    from ..pipeline import pull_guard
    from ..project import load_project
    from ..project.trees import announced, project_tree
    from ..remote.sync import pull_env

    project = load_project()
    target, live = project.environment(env), environment
    root = announced(project_tree(project, dir))
    before = None
    with pull_guard(root, force) as note:  # before anything is fetched
        if commit:
            from ..git.repo import open_repo

            open_repo(next(p for p in (root, *root.resolve().parents) if p.exists()))  # fail before fetching
            before = _snapshot(root)
        source = f"environment {env} ({target.target})"
        with out.progress("Writing files") as progress:
            if release is None and live is None:
                pulled = pull_env(project, target, root, progress)
            else:
                from ..remote.release_files import pull_release

                pulled, number = pull_release(project, target, root, release, live, progress)
                source = f"release {number} of environment {env}"
        _report(source, pulled, root, note)
        if commit:
            from ..git.commits import commit_pull

            message = commit_pull(root, env, before, pulled)
            out.info(f"Committed: {message}" if message else "Nothing to commit: the tree already matched")
    return 0


def _report(source: str, pulled, root: Path, unchecked: str | None = None) -> None:
    report = pulled.report
    out.info(
        f"Pulled {source} ({pulled.format_name}) into {root}: {len(report.created)} created, "
        f"{len(report.changed)} changed, {len(report.deleted)} deleted, {report.unchanged} unchanged"
    )
    if unchecked and (report.changed or report.deleted):
        out.warning(unchecked)
    if pulled.secrets_kept is not None:
        from ..tree import display_path

        out.info(
            f"Credentials became ${{ASSISTANTGIT_...}} placeholders; their values are kept for push on this machine "
            f"only, in {display_path(pulled.secrets_kept)} (never committed): see 'assistantgit secrets list'"
        )


def _snapshot(root: Path):
    """The tree's item set before the pull (contents read now), or None for a new tree."""
    try:
        from ..diff import from_tree

        return from_tree(root, "before")
    except (InputError, ImportError):
        return None
