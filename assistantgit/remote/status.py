"""What each environment holds, compared with git (issue 15): `assistantgit status`.

For each environment of assistantgit.yaml: its draft (a dialog workspace, or the
draft of an assistant) compared with the source tree at a revision (HEAD), with the
environment's overrides applied as a push would, and, when it names an assistant,
the release each of its environments (live, staging...) runs, with the commit that
release's description names. Drift, what `status --exit-code` reports, is a draft
that differs from the revision, or a deployed release that names no commit of this
repository (published outside assistantgit).
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Deployment:
    environment: str  # as list_environments names it: "live"
    release: str | None  # None: nothing deployed there
    created: str | None = None
    description: str = ""
    commit: str | None = None  # the full sha the description names, when it is a commit here
    short: str | None = None
    behind: int | None = None  # commits of the revision the release lacks
    in_history: bool = False  # the commit is an ancestor of the revision

    @property
    def from_git(self) -> bool:
        return self.release is None or self.commit is not None


@dataclass
class EnvironmentStatus:
    name: str
    target: str
    diff: Any = None  # diff.SemanticDiff from the revision to the draft; None: no draft yet
    deployments: list = field(default_factory=list)
    note: str = ""  # why there is nothing to compare

    @property
    def changes(self) -> list:
        return self.diff.changes if self.diff is not None else []

    @property
    def drift(self) -> bool:
        return bool(self.changes) or any(not d.from_git for d in self.deployments)


@dataclass
class Report:
    revision: str  # the branch name, or the ref given
    sha: str
    short: str
    subject: str
    environments: list

    @property
    def drift(self) -> bool:
        return any(env.drift for env in self.environments)


@contextmanager
def revision_tree(project, ref: str):
    """The source tree as it is at `ref`, in a temporary folder (git objects; the working tree is untouched)."""
    from ..git.commits import export_revision

    with tempfile.TemporaryDirectory(prefix="assistantgit-status-") as temp:
        export_revision(project.root, project.source, ref, Path(temp))
        yield Path(temp)


def draft_diff(project, env, root: Path, label: str):
    """The semantic diff from the tree at `root` (overrides applied, secrets as placeholders) to the draft."""
    from ..console import out
    from ..diff.summary import semantic_diff
    from .sync import build_for, connect, skill_files

    quiet, out.quiet = out.quiet, True  # unset secrets are expected here: placeholders compare as they are
    try:
        fmt, export = build_for(project, env, root, tolerate_unset=True)
    finally:
        out.quiet = quiet
    remote = connect(project, env, fmt, export)
    held = remote.skill(remote.fetch())
    return semantic_diff(
        fmt,
        skill_files(fmt, export, label),
        skill_files(fmt, held, env.name),
        label,
        f"{env.name} draft ({env.target})",
    )


def deployments(project, env, ref: str) -> list[Deployment]:
    """The release each non-draft environment of the environment's assistant runs."""
    from ..git.commits import commit_of_description, distance
    from .releases import Assistant

    assistant = Assistant(project, env)
    found = []
    for environment in assistant.environments():
        if environment.get("environment") == "draft":
            continue
        number = assistant.running(environment)
        deployment = Deployment(str(environment.get("name")), number)
        if number is not None:
            release = assistant.release(number)
            deployment.created = release.get("created")
            deployment.description = release.get("description") or ""
            deployment.commit = commit_of_description(project.root, deployment.description)
            if deployment.commit:
                deployment.short = deployment.description.split()[0]
                deployment.behind, deployment.in_history = distance(project.root, deployment.commit, ref)
        found.append(deployment)
    return found


def collect(project, names: list[str], ref: str = "HEAD") -> Report:
    """The status of the named environments (all of assistantgit.yaml when none are named)."""
    from ..git.commits import branch_name, describe_commit

    environments = [project.environment(n) for n in names] if names else list(project.environments.values())
    sha, short, subject = describe_commit(project.root, ref)
    revision = (branch_name(project.root) or "HEAD") if ref == "HEAD" else ref
    report = Report(revision, sha, short, subject, [])
    with revision_tree(project, ref) as root:
        for env in environments:
            status = EnvironmentStatus(env.name, env.target)
            if (env.kind == "dialog" and not env.workspace_id) or (env.kind == "actions" and not env.assistant_id):
                status.note = f"not created yet (assistantgit push --env {env.name} --create)"
            else:
                status.diff = draft_diff(project, env, root, f"{revision} ({short})")
            if env.assistant_id:
                status.deployments = deployments(project, env, ref)
            report.environments.append(status)
    return report
