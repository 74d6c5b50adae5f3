"""`promote --test`: a revision reaches its target only after its conversation suite passed
on the same content somewhere customers do not see.

1. stage: put the revision where it can be tested.
   - `--via ENV`: another environment of assistantgit.yaml (a test workspace or assistant).
   - actions target without --via: the target's draft environment (customers talk to live).
   - dialog target without --via: a preview workspace of its own on the target's service
     instance (remote/previews.py; a classic workspace has no draft: what is pushed is
     live), deleted after the run.
2. test: the suite of the revision itself (its conversations/, read from git), or the
   files named, against the staged content; coverage against the revision's tree.
3. release, only when everything passed: push to the target (unless the stage was its
   own draft), then with --publish make a release of the draft and with --deploy-to
   deploy it (remote/lifecycle.py). Otherwise the target is untouched and the report
   says why.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..console import out
from ..errors import InputError


@dataclass
class PushStage:
    """Stage by pushing the revision onto an environment (its draft, for actions)."""

    project: Any
    env: Any
    environment: str = "draft"  # the environment of the assistant the suite talks to

    @property
    def description(self) -> str:
        return f"{self.env.name} ({self.env.target})"

    def put(self, root: Path, label: str):
        """Push; returns the Environment to run the suite against."""
        from ..diff.summary import summary
        from ..remote.sync import push_env

        result = push_env(self.project, self.env, root, label=label)
        out.info(f"Staged {label} on {self.description}: {summary(result.changes)}; backup {result.backup}")
        return self.env

    def cleanup(self, root: Path) -> None:
        pass


@dataclass
class PreviewStage:
    """Stage in a preview workspace (or assistant) of the target's instance, deleted afterwards."""

    project: Any
    target: Any
    branch: str
    environment: str = "draft"

    @property
    def description(self) -> str:
        return f"a preview of {self.target.name} ('{self.branch}')"

    def put(self, root: Path, label: str):
        from ..remote.previews import open_preview

        preview = open_preview(self.project, self.target, root, self.branch)
        out.info(f"Staged {label} on preview '{preview.name}' ({preview.ident})")
        key = "workspace_id" if self.target.kind == "dialog" else "assistant_id"
        return dataclasses.replace(self.target, name=f"{self.target.name} preview", **{key: preview.ident})

    def cleanup(self, root: Path) -> None:
        from ..remote.previews import close_preview

        gone = close_preview(self.project, self.target, root, self.branch)
        if gone.ident:
            out.info(f"Deleted preview '{gone.name}' ({gone.ident})")


@dataclass
class Release:
    """What makes a tested revision the target's: a push (unless it was staged in the target's
    own draft), then optionally a release of the draft and its deployment."""

    project: Any
    env: Any
    push: bool
    publish: bool = False
    deploy_to: str | None = None

    def apply(self, root: Path, label: str, ref: str) -> None:
        from ..diff.summary import summary
        from ..remote.sync import push_env

        if self.push:
            result = push_env(self.project, self.env, root, label=label)
            out.info(
                f"Promoted {label} to {self.env.name} ({self.env.target}): {summary(result.changes)}; "
                f"backup {result.backup}"
            )
        if self.publish:
            from ..remote.lifecycle import deploy_env, publish_env

            number = str(publish_env(self.project, self.env, ref=ref, verified=True)["release"])
            if self.deploy_to is not None:
                deploy_env(self.project, self.env, number, self.deploy_to)
            out.result(number)
        elif not self.push:
            out.info(
                f"{self.env.name}: the draft holds {label} and passed; live is unchanged (add --publish "
                "--deploy-to live to release it)"
            )


def plan(project, target, via: str | None, ref_label: str, publish: bool = False, deploy_to: str | None = None):
    """(stage, release) for promoting to `target` (an Environment)."""
    if via is not None:
        staged = project.environment(via)
        if staged.name == target.name:
            raise InputError(f"--via {via}: test on another environment than the target {target.name}")
        if staged.kind != target.kind:
            raise InputError(
                f"--via {via}: a {staged.kind} environment cannot stand for the {target.kind} {target.name}"
            )
        return PushStage(project, staged), Release(project, target, True, publish, deploy_to)
    if target.kind == "actions":
        return PushStage(project, target), Release(project, target, False, publish, deploy_to)
    return PreviewStage(project, target, f"test {ref_label}"), Release(project, target, True, publish, deploy_to)


def tests_in_revision(project, tests: list, root: Path) -> list:
    """Test paths inside the project's source tree are read from the revision; others as they are."""
    source = project.source_dir.resolve()
    mapped = []
    for given in tests:
        path = Path(given).resolve()
        try:
            inside = path.relative_to(source)
        except ValueError:
            mapped.append(Path(given))
            continue
        candidate = root / inside
        if not candidate.exists():
            raise InputError(
                f"{given}: not in the revision being promoted (it is in the working tree only); commit it first"
            )
        mapped.append(candidate)
    return mapped


@dataclass
class Gate:
    tests: list
    via: str | None = None
    jobs: int = 4
    minimum: float | None = None
    format: str = "text"
    junit: Path | None = None
    publish: bool = False
    deploy_to: str | None = None


def promote_tested(project, to: str, ref: str, gate: Gate) -> int:
    from ..git.commits import export_revision
    from .reports import RENDER

    if gate.format not in RENDER:
        raise InputError(f"--format must be one of {', '.join(RENDER)}, not '{gate.format}'")
    if gate.junit is not None and not gate.junit.resolve().parent.is_dir():
        raise InputError(f"--junit {gate.junit}: the folder {gate.junit.parent} does not exist")
    target = project.environment(to)
    with tempfile.TemporaryDirectory(prefix="assistantgit-promote-") as temp:
        root = Path(temp)
        described = export_revision(project.root, project.source, ref, root)
        label = f"{ref} ({described.split()[0]})"
        stage, release = plan(project, target, gate.via, described.split()[0], gate.publish, gate.deploy_to)
        out.info(f"Promoting {ref} ({described}) to {to}: testing it on {stage.description} first")
        result = _test_on_stage(project, stage, target, root, label, gate)
        if result is None:
            return 1
        release.apply(root, label, ref)
        return 0


def _test_on_stage(project, stage, target, root: Path, label: str, gate: Gate):
    """The run on the stage (the stage cleaned up after), or None when it failed (reported)."""
    from .coverage import inventory, measure
    from .reports import RENDER
    from .runner import load_suites, run_suites, verdict
    from .sessions import open_target

    # a bad test file stops before anything is pushed; reports name files as they are in the project
    suites = load_suites(tests_in_revision(project, gate.tests, root), root, _named_in_project(project, root))
    sections = inventory(root, target.kind)
    try:
        tested = stage.put(root, label)
        runner = open_target(project, tested, stage.environment)
        with out.progress(f"Conversations against {tested.name}") as progress:
            result = run_suites(runner, suites, gate.jobs, progress)
    finally:
        stage.cleanup(root)
    result.coverage = measure(sections, result.outcomes)
    out.result(RENDER[gate.format](result, gate.minimum).rstrip("\n"))
    if gate.junit is not None:
        from ..tree import write_file_atomic
        from .junit import to_xml

        write_file_atomic(gate.junit, to_xml(result), private=False)
    if not verdict(result, gate.minimum):
        return result
    own_draft = isinstance(stage, PushStage) and stage.env is target
    untouched = f"{target.name}: live untouched (its draft holds {label})" if own_draft else f"{target.name} untouched"
    out.error(f"{untouched}: {_why(result, gate.minimum)} on {stage.description}")
    return None


def _named_in_project(project, root: Path):
    """Files of the exported revision are named where they are in the project (skill/conversations/...)."""
    from ..tree import display_path

    def name(path: Path) -> str:
        try:
            inside = Path(path).resolve().relative_to(root.resolve())
        except ValueError:
            return Path(path).as_posix()
        return display_path(project.source_dir / inside)

    return name


def _why(result, minimum) -> str:
    failed = result.count("failed") + result.count("error")
    if failed:
        return f"{failed} of {len(result.outcomes)} conversations failed"
    below = ", ".join(f"{s.name} {s.percent:.1f}%" for s in result.coverage.below(minimum))
    return f"coverage below {minimum:g}% ({below})"
