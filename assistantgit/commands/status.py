"""assistantgit status: what each environment holds, and whether it drifted from git."""

from __future__ import annotations

from ..cliparse import Option
from ..console import out
from ..options import ReportFormat


def status(
    env: list[str] | None = Option(
        None,
        "--env",
        "-e",
        help="An environment of assistantgit.yaml (repeat for several).",
        show_default="all of them",
    ),
    ref: str = Option("HEAD", "--ref", "-r", help="The git revision to compare with."),
    format: ReportFormat = Option(
        ReportFormat.text, "--format", "-f", help="text, markdown (a pull-request or issue comment) or json."
    ),
    exit_code: bool = Option(
        False, "--exit-code", help="Exit with 1 when an environment drifted (for a scheduled CI job)."
    ),
) -> int:
    """Show what each environment holds and how it differs from git.

    For each environment: its draft compared with the source tree at --ref (with the
    environment's overrides, as a push would send it), counted as the semantic diff
    counts ("3 changes not in git (intents +1, dialog nodes ~2)") with the items named;
    and, when it names an assistant, the release each of its environments runs and the
    commit that release was published from ("release 14 = commit abc1234, 2 commits
    behind main"). Drift: a draft that differs, or a release not published from git.
    `pull --env NAME --commit` brings a draft's changes into git.

    Example: assistantgit status

    Example: assistantgit status --env prod --format markdown --exit-code
    """
    from ..project import load_project
    from ..project.trees import announced, project_tree
    from ..remote import status_render
    from ..remote.status import collect

    project = load_project()
    announced(project_tree(project, None))
    report = collect(project, list(env or []), ref)
    render = {"text": status_render.text, "markdown": status_render.markdown, "json": status_render.to_json}
    out.result(render[format.value](report).rstrip("\n"))
    return 1 if exit_code and report.drift else 0
