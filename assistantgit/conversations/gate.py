"""`promote --test`: a revision reaches its target only after its conversation suite passed
on the same content somewhere customers do not see.

1. stage: put the revision where it can be tested.
   - `--via ENV`: another environment of assistantgit.yaml (a test workspace or assistant).
   - actions target without --via: the target's draft environment (customers talk to live).
   - dialog target without --via: refused; a classic workspace has no draft (what is pushed
     is live), so it needs a place to try the revision first.
2. test: the suite of the revision itself (its conversations/, read from git), or the
   files named, against the staged content; coverage against the revision's tree.
3. release, only when everything passed: push to the target (after --via), or, for an
   actions target tested in its draft, make the draft live (a release and its deployment).
   Otherwise the target is untouched and the report says why.

Stage and Release are small objects so that other ways to stage (a temporary preview
workspace) and to release (publish and deploy) plug in without touching the flow.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..console import out
from ..errors import InputError


@dataclass
class PushStage:
    """Stage by pushing the revision onto an environment (its draft, for actions)."""

    project: object
    env: object
    environment: str = "draft"  # the environment the suite talks to (actions)

    @property
    def description(self) -> str:
        return f"{self.env.name} ({self.env.target})"

    def put(self, root: Path, label: str) -> None:
        from ..remote.changes import summary
        from ..remote.sync import push_env

        result = push_env(self.project, self.env, root, label=label)
        out.info(f"Staged {label} on {self.description}: {summary(result.changes)}; backup {result.backup}")


@dataclass
class PushRelease:
    """Release by pushing the tested revision to the target."""

    project: object
    env: object

    def apply(self, root: Path, label: str) -> str:
        from ..remote.changes import summary
        from ..remote.sync import push_env

        result = push_env(self.project, self.env, root, label=label)
        return f"Promoted {label} to {self.env.name} ({self.env.target}): {summary(result.changes)}; backup {result.backup}"


@dataclass
class DraftRelease:
    """An actions target tested in its own draft: what remains is a release of the draft and
    its deployment to live. That lifecycle is not part of this build yet; the draft keeps
    the tested revision and the report says what to do."""

    env: object

    def apply(self, root: Path, label: str) -> str:
        return (
            f"{self.env.name}: the draft of assistant {self.env.assistant_id} holds {label} and passed; live is "
            "unchanged: publish a release from the draft and deploy it to live (watsonx Assistant: Publish)"
        )


def plan(project, target, via: str | None):
    """(stage, release) for promoting to `target` (an Environment)."""
    if via is not None:
        staged = project.environment(via)
        if staged.name == target.name:
            raise InputError(f"--via {via}: test on another environment than the target {target.name}")
        return PushStage(project, staged), PushRelease(project, target)
    if target.kind == "actions":
        return PushStage(project, target), DraftRelease(target)
    raise InputError(
        f"{target.name}: a dialog workspace has no draft (what is pushed is live); name an environment "
        "to test the revision on first: --via ENV (e.g. a test workspace)"
    )


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


def promote_tested(
    project,
    to: str,
    ref: str,
    tests: list,
    via: str | None,
    jobs: int = 4,
    minimum: float | None = None,
    format: str = "text",
    junit: Path | None = None,
) -> int:
    from ..git.commits import export_revision
    from .coverage import inventory, measure
    from .reports import RENDER
    from .runner import load_suites, run_suites, verdict
    from .sessions import open_target

    if format not in RENDER:
        raise InputError(f"--format must be one of {', '.join(RENDER)}, not '{format}'")
    if junit is not None and not junit.resolve().parent.is_dir():
        raise InputError(f"--junit {junit}: the folder {junit.parent} does not exist")
    target = project.environment(to)
    stage, release = plan(project, target, via)
    with tempfile.TemporaryDirectory(prefix="assistantgit-promote-") as temp:
        root = Path(temp)
        described = export_revision(project.root, project.source, ref, root)
        label = f"{ref} ({described.split()[0]})"
        # a bad test file stops before anything is pushed; reports name files as they are in the project
        suites = load_suites(tests_in_revision(project, tests, root), root, _named_in_project(project, root))
        sections = inventory(root, target.kind)
        out.info(f"Promoting {ref} ({described}) to {to}: testing it on {stage.description} first")
        stage.put(root, label)
        runner = open_target(project, stage.env, stage.environment)
        with out.progress(f"Conversations against {stage.env.name}") as progress:
            result = run_suites(runner, suites, jobs, progress)
        result.coverage = measure(sections, result.outcomes)
        out.result(RENDER[format](result, minimum).rstrip("\n"))
        if junit is not None:
            from ..tree import write_file_atomic
            from .junit import to_xml

            write_file_atomic(junit, to_xml(result), private=False)
        if verdict(result, minimum):
            untouched = f"{to}: live untouched (its draft holds {label})" if stage.env is target else f"{to} untouched"
            out.error(f"{untouched}: {_why(result, minimum)} on {stage.description}")
            return 1
        out.info(release.apply(root, label))
        return 0


def _named_in_project(project, root: Path):
    """Files of the exported revision are named where they are in the project (skill/conversations/...)."""
    import os

    def name(path: Path) -> str:
        try:
            inside = Path(path).resolve().relative_to(root.resolve())
        except ValueError:
            return Path(path).as_posix()
        shown = Path(os.path.relpath(project.source_dir / inside))
        return shown.as_posix() if not shown.as_posix().startswith("..") else (project.source_dir / inside).as_posix()

    return name


def _why(result, minimum) -> str:
    failed = result.count("failed") + result.count("error")
    if failed:
        return f"{failed} of {len(result.outcomes)} conversations failed"
    below = ", ".join(f"{s.name} {s.percent:.1f}%" for s in result.coverage.below(minimum))
    return f"coverage below {minimum:g}% ({below})"
