"""publish and deploy as the commands run them (publish, deploy, promote --publish
--deploy-to): the release description from git, one line per step, and nothing
changed on the service when a step before it failed."""

from __future__ import annotations

from ..console import out
from ..errors import FindingsError


def publish_env(project, env, description: str | None = None, ref: str = "HEAD", verified: bool = False) -> dict:
    """Publish the environment's draft as a release and return it (available).

    Without a description, the release names the commit `ref`: after a verified push
    of that commit (`verified`), or when the draft is found to match it.
    """
    from ..git.commits import release_description
    from .releases import Assistant

    assistant = Assistant(project, env)  # fails on a missing assistant_id before anything is read
    if description is None:
        description = release_description(project.root, ref)
        if not verified:
            _require_draft_at(project, env, ref)
    release = assistant.publish(description)
    out.info(f"{env.name}: published release {release['release']} ({description})")
    return release


def _require_draft_at(project, env, ref: str) -> None:
    from ..diff.summary import counts_text
    from .status import draft_diff, revision_tree

    with revision_tree(project, ref) as root:
        diff = draft_diff(project, env, root, ref)
    if diff.changes:
        raise FindingsError(
            f"{env.name}: the draft differs from {ref} ({len(diff.changes)} changes: {counts_text(diff)}), so a "
            f"release could not name a commit; push it first (assistantgit promote --to {env.name} --ref {ref}) or "
            "say what it holds with --description"
        )


def deploy_env(project, env, release: str, to: str) -> str:
    """Deploy a release (N, latest, previous) to the environment named `to`; returns its number."""
    from .releases import Assistant

    assistant = Assistant(project, env)
    target = assistant.environment(to)
    before = assistant.running(target)
    number = assistant.resolve(release, target)
    name = target.get("name")
    if number == before:
        out.info(f"{env.name}: {name} already runs release {number}")
        return number
    assistant.deploy(number, target)
    out.info(f"{env.name}: {name} now runs release {number} (before: {before or 'none'})")
    return number
