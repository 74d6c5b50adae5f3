"""assistantgit deploy: a release onto an environment of the assistant (live, staging...)."""

from __future__ import annotations

from ..cliparse import Option
from ..console import out


def deploy(
    env: str = Option(
        ..., "--env", "-e", help="The environment of assistantgit.yaml that names the assistant.", show_default=False
    ),
    release: str = Option(
        ...,
        "--release",
        "-r",
        help="A release number, 'latest', or 'previous' (the one before what --to runs: a rollback).",
        show_default=False,
    ),
    to: str = Option(
        ...,
        "--to",
        "-t",
        help="The assistant's environment, as the service names it: live, staging...",
        show_default=False,
    ),
) -> int:
    """Deploy a release to an environment of the assistant and wait until it runs it.

    `--release previous` rolls back: the newest available release older than the one
    the environment runs now. A refused deploy leaves the environment as it was. The
    release number is printed.

    Example: assistantgit deploy --env prod --release latest --to live

    Example: assistantgit deploy --env prod --release previous --to live
    """
    from ..project import load_project
    from ..remote.lifecycle import deploy_env

    project = load_project()
    out.result(deploy_env(project, project.environment(env), release, to))
    return 0
