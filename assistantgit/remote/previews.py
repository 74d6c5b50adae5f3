"""Preview environments for pull requests (issue 15): a separate workspace (classic
dialog skill) or assistant per branch, on the service instance of an environment of
assistantgit.yaml, named `<skill name> [<branch>]`.

A preview is found again by that name (never stored in git), so the pull request's
open and update steps run the same command, and the close step deletes it. Its
content goes in through the ordinary push (full replace, read-back check), with the
environment's overrides and the preview's name; it is not backed up: its branch
holds it.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

# Where CI services name the branch of a pull request (HEAD is detached there).
BRANCH_VARIABLES = ("GITHUB_HEAD_REF", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "BITBUCKET_BRANCH", "CHANGE_BRANCH")
MAX_NAME = 100  # the service's limit on a workspace's or assistant's name


@dataclass
class Preview:
    name: str
    ident: str | None
    created: bool = False
    changes: list = dataclasses.field(default_factory=list)
    link: str | None = None


def branch_of(project, given: str | None) -> str:
    """--branch, else the pull request's branch as CI names it, else the checked-out branch."""
    from ..git.commits import branch_name

    branch = given or next((os.environ[v] for v in BRANCH_VARIABLES if os.environ.get(v)), None)
    branch = branch or branch_name(project.root)
    if not branch or not branch.strip():
        raise InputError("no branch to name the preview after (HEAD is detached): give --branch NAME")
    if any(c in branch for c in "\r\n\t"):
        raise InputError(f"--branch {branch!r}: a name cannot hold a tab or a line break")
    return branch.strip()


def preview_name(skill_name: str, branch: str) -> str:
    """`<skill name> [<branch>]`, the skill name shortened so that the whole fits the service's limit."""
    suffix = f" [{branch[: MAX_NAME - 4]}]"
    return skill_name[: MAX_NAME - len(suffix)].rstrip() + suffix


def _client(project, env):
    from .client import Client

    return Client.unbound(project, env)


def open_preview(project, env, root: Path, branch: str) -> Preview:
    """Create the branch's preview (or find it) and push the tree into it."""
    from . import instances
    from .sync import push_env

    skill_name, language = instances.skill_identity(root)
    preview = Preview(preview_name(skill_name, branch), None)
    client = _client(project, env)
    preview.ident = instances.find(client, preview.name)
    if preview.ident is None:
        preview.ident = instances.create(client, preview.name, language, f"Preview of branch {branch}"[:200])
        preview.created = True
    key = "workspace_id" if env.kind == "dialog" else "assistant_id"
    target = dataclasses.replace(
        env, name=f"{env.name} preview", overrides={**env.overrides, "name": preview.name}, **{key: preview.ident}
    )
    preview.changes = push_env(project, target, root, label=f"branch {branch}", backup=False).changes
    preview.link = instances.ui_link(env, preview.ident)
    return preview


def close_preview(project, env, root: Path, branch: str) -> Preview:
    """Delete the branch's preview; Preview.ident is None when there was none."""
    from . import instances

    skill_name, _ = instances.skill_identity(root)
    preview = Preview(preview_name(skill_name, branch), None)
    client = _client(project, env)
    preview.ident = instances.find(client, preview.name)
    if preview.ident is not None:
        instances.delete(client, preview.ident)
    return preview
