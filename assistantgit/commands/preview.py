"""assistantgit preview: a workspace or assistant of its own for a branch (a pull request)."""

from __future__ import annotations

from pathlib import Path

from ..cliparse import Option
from ..console import out


def preview(
    env: str = Option(
        ...,
        "--env",
        "-e",
        help="The environment of assistantgit.yaml whose service instance, credentials and overrides the preview uses.",
        show_default=False,
    ),
    branch: str | None = Option(
        None,
        "--branch",
        "-b",
        help="The branch the preview is for.",
        show_default="the pull request's branch in CI, else the checked-out one",
    ),
    delete: bool = Option(False, "--delete", help="Delete the branch's preview (when the pull request closes)."),
    dir: Path | None = Option(
        None, "--dir", "-d", help="The source tree to push.", show_default="assistantgit.yaml's source"
    ),
) -> int:
    """Create or update a preview of a branch: a separate workspace (classic dialog skill) or
    assistant, named '<skill name> [<branch>]', holding the branch's tree.

    Prints its id, then the link to open it in the web UI (the environment's ui_link,
    else the region's web UI). The preview is found again by its name, so running the
    command again updates it, and --delete removes it; nothing about it is stored in git.
    The push is the ordinary one (full replace, read-back check), without a backup.

    Example: assistantgit preview --env dev --branch "$GITHUB_HEAD_REF"

    Example: assistantgit preview --env dev --branch "$GITHUB_HEAD_REF" --delete
    """
    from ..diff.summary import summary
    from ..project import load_project
    from ..project.trees import announced, project_tree
    from ..remote.previews import branch_of, close_preview, open_preview

    project = load_project()
    environment = project.environment(env)
    root = announced(project_tree(project, dir))
    name = branch_of(project, branch)
    if delete:
        gone = close_preview(project, environment, root, name)
        out.info(
            f"Deleted preview '{gone.name}' ({gone.ident})"
            if gone.ident
            else f"No preview named '{gone.name}': nothing to delete"
        )
        return 0
    made = open_preview(project, environment, root, name)
    verb = "Created" if made.created else "Updated"
    out.info(f"{verb} preview '{made.name}': {summary(made.changes)}; read back and verified")
    out.result(made.ident or "")
    if made.link:
        out.result(made.link)
    return 0
