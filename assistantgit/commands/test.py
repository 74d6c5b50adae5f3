"""assistantgit test: conversation tests and intent regression against an environment;
`assistantgit test record`: conversation files proposed from archived logs.

(`test record` is a command of its own, "test record", that cli.run reaches when `record`
follows `test`: `test` takes paths, so a sub-app could not tell a path from a subcommand.)
"""

from __future__ import annotations

from pathlib import Path

from ..cliparse import Argument, Option
from ..console import out
from ..options import ConversationFormat


def test(
    paths: list[Path] | None = Argument(
        None, help="Conversation files or folders.", show_default="conversations/ in the source tree"
    ),
    env: str = Option(..., "--env", "-e", help="The environment of assistantgit.yaml to talk to.", show_default=False),
    format: ConversationFormat = Option(
        ConversationFormat.text, "--format", "-f", help="Report: text, markdown (a pull-request comment) or json."
    ),
    junit: Path | None = Option(
        None, "--junit", help="Also write JUnit XML here (GitHub and GitLab show it).", show_default=False
    ),
    jobs: int = Option(4, "--jobs", "-j", min=1, max=32, help="Conversations (or utterance batches) sent at once."),
    min_coverage: float | None = Option(
        None,
        "--min-coverage",
        min=0,
        max=100,
        help="Fail when the intents, dialog nodes, actions or steps reached are below P percent.",
        show_default=False,
    ),
    environment: str = Option(
        "draft", "--environment", help="Actions: test the draft or the live environment (the deployed release)."
    ),
    dir: Path | None = Option(
        None,
        "--dir",
        "-d",
        help="The source tree that coverage is measured against.",
        show_default="assistantgit.yaml's source",
    ),
    utterances: Path | None = Option(
        None,
        "--utterances",
        help="Intent regression instead: a CSV of utterance,intent rows (the intents download).",
        show_default=False,
    ),
    baseline: Path | None = Option(
        None,
        "--baseline",
        help="With --utterances: the JSON report of an earlier run to compare with.",
        show_default=False,
    ),
    max_drop: float = Option(
        1.0,
        "--max-drop",
        min=0,
        max=100,
        help="With --baseline: fail when accuracy drops by more than this many points.",
    ),
    plot: Path | None = Option(
        None,
        "--plot",
        help="With --utterances: write a confusion picture (SVG) of the confused intents.",
        show_default=False,
    ),
) -> int:
    """Run conversation tests against an environment: each turn's intent, entities, text,
    options, dialog node or action and context are checked; the report names the file and
    line of every failing expectation with what was expected and what came back, and the
    intents, dialog nodes, actions and steps the suite never reached. Files are described
    in docs/testing.md; `assistantgit validate` checks them.

    With --utterances, classify every utterance of a CSV instead and report accuracy,
    precision/recall/F1 per intent and the most confused pairs.

    Exit 0 when everything passed, 1 on a failure (or coverage, or accuracy drop), 2 for
    an unusable test file or option. Record proposals from logs: assistantgit test record --help

    Example: assistantgit test --env dev --junit results.xml

    Example: assistantgit test --env dev --utterances intents.csv --baseline main.json --plot confusion.svg
    """
    from ..errors import InputError
    from ..project import load_project

    if utterances is None and (baseline is not None or plot is not None):
        raise InputError("--baseline and --plot go with --utterances FILE.csv")
    if junit is not None and not junit.resolve().parent.is_dir():
        raise InputError(f"--junit {junit}: the folder {junit.parent} does not exist")
    from ..project.trees import announced, project_tree

    project = load_project()
    target_env = project.environment(env)
    if utterances is not None:
        if paths or junit is not None or min_coverage is not None:
            raise InputError(
                "--utterances runs the intent regression; conversation files, --junit and "
                "--min-coverage belong to conversation tests"
            )
        return _regression(project, target_env, utterances, baseline, max_drop, plot, format.value, jobs, environment)
    from ..conversations.reports import RENDER
    from ..conversations.runner import run_for_environment, verdict

    root = announced(project_tree(project, dir))  # the intent regression above reads no tree
    with out.progress(f"Conversations against {env}") as progress:
        result = run_for_environment(project, target_env, root, list(paths or []), jobs, environment, progress)
    out.result(RENDER[format.value](result, min_coverage).rstrip("\n"))
    if junit is not None:
        _write_junit(junit, result)
    return verdict(result, min_coverage)


def _write_junit(path: Path, result) -> None:
    from ..conversations.junit import to_xml
    from ..tree import write_file_atomic

    write_file_atomic(path, to_xml(result), private=False)
    out.info(f"Wrote {path}")


def _regression(project, env, csv_path, baseline, max_drop, plot, format, jobs, environment) -> int:
    from ..conversations import regression
    from ..conversations.sessions import classify, open_target
    from ..tree import write_file_atomic

    cases = regression.read_utterances(csv_path)
    earlier = regression.read_baseline(baseline) if baseline is not None else None
    target = open_target(project, env, environment)
    with out.progress(f"Classifying {len(cases)} utterances on {env.name}") as progress:
        intents = classify(target, [c.text for c in cases], jobs, progress)
    report = regression.evaluate(cases, intents, target.label)
    comparison = regression.compare(report, earlier, max_drop) if earlier is not None else None
    out.result(regression.RENDER[format](report, comparison).rstrip("\n"))
    if plot is not None:
        from ..conversations.plot import confusion_svg

        write_file_atomic(plot, confusion_svg(report).encode("utf-8"), private=False)
        out.info(f"Wrote {plot}")
    return 1 if comparison is not None and comparison.failed else 0


def record(
    from_logs: Path = Option(
        ...,
        "--from-logs",
        help="The archive `assistantgit logs` wrote: <out>/<env>/YYYY-MM-DD.jsonl (give <out>/<env>, or <out> with --env).",
        show_default=False,
    ),
    env: str | None = Option(
        None, "--env", "-e", help="Read <from-logs>/<env>/ (the folder of that environment).", show_default=False
    ),
    out_dir: Path | None = Option(
        None,
        "--out",
        "-o",
        help="Where the proposed files go.",
        show_default="conversations/recorded/ of the project's source",
    ),
    since: str | None = Option(
        None, "--since", help="Only conversations started on or after this day (YYYY-MM-DD).", show_default=False
    ),
    limit: int = Option(50, "--limit", min=1, max=10000, help="At most this many conversations, the most recent."),
    force: bool = Option(False, "--force", help="Replace proposal files that already exist."),
) -> int:
    """Propose conversation files from real traffic, for a person to review and commit.

    Logs are grouped by conversation (v1 conversation_id, v2 session); each logged
    message becomes a turn whose expectations are what the assistant answered then (top
    intent, dialog node or action, text). One file per day is written under --out,
    never over an existing file without --force.

    Example: assistantgit test record --from-logs /srv/assistant-logs/prod --since 2026-11-01
    """
    from ..errors import InputError

    folder = from_logs / env if env else from_logs
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder (the archive of assistantgit logs)")
    if out_dir is None:
        from ..project import load_project
        from ..project.trees import announced, project_tree

        out_dir = announced(project_tree(load_project(), None)) / "conversations" / "recorded"
    written, skipped = _record_in_tree(folder, out_dir, since, limit, force)
    for path in written:
        out.info(f"Wrote {path}")
    for path in skipped:
        out.warning(f"{path} exists; not replaced (use --force)")
    count = sum(n for _, n in written.items())
    out.info(
        f"Proposed {count} conversation{'s' * (count != 1)} in {len(written)} file{'s' * (len(written) != 1)}; "
        "review them, keep what matters, then commit"
    )
    return 0


def _record_in_tree(folder: Path, out_dir: Path, since, limit: int, force: bool):
    """Write the proposals holding the lock of the source tree they land in, if any: one
    writer per tree (issue 10), as pull and fmt (which rewrites conversation files) take it."""
    from contextlib import nullcontext

    from ..conversations.record import record_from_logs
    from ..tree import tree_lock
    from ..tree.source import find_root

    existing = next(p for p in (out_dir, *out_dir.resolve().parents) if p.is_dir())
    tree = find_root(existing)
    with tree_lock(tree) if tree is not None else nullcontext():
        return record_from_logs(folder, out_dir, since=since, limit=limit, force=force)
