"""assistantgit publish: the draft of an environment becomes a release (a "version")."""

from __future__ import annotations

from ..cliparse import Option
from ..console import out


def publish(
    env: str = Option(
        ...,
        "--env",
        "-e",
        help="The environment of assistantgit.yaml whose assistant publishes its draft.",
        show_default=False,
    ),
    description: str | None = Option(
        None,
        "--description",
        "-m",
        help="The release's description.",
        show_default="the commit the draft was pushed from: short sha and subject",
    ),
) -> int:
    """Publish the environment's draft as a release, wait until it is available, print its number.

    The description defaults to HEAD's short sha and subject, so every release on the
    service traces back to a commit; the draft must then match HEAD (as `status` would
    say), or give --description. `promote --publish` pushes a revision and publishes it
    in one step. Needs the environment's assistant_id (a classic workspace has no releases).

    Example: assistantgit publish --env prod

    Example: assistantgit publish --env dev --description "demo for the sales team"
    """
    from ..project import load_project
    from ..project.trees import announced, project_tree
    from ..remote.lifecycle import publish_env

    project = load_project()
    if description is None:  # the draft is compared with the tree at HEAD
        announced(project_tree(project, None))
    release = publish_env(project, project.environment(env), description)
    out.result(str(release["release"]))
    return 0
