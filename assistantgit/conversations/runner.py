"""Run conversation suites against a Target: every conversation in its own thread of a
bounded pool (--jobs), its turns in order with the context carried from turn to turn.

A conversation stops at its first failing turn (later turns would answer a conversation
that already went elsewhere). A request the service refuses for this conversation (400)
is that conversation's error; anything that will fail for all of them (credentials, a
missing workspace, the network after retries) stops the run with that error.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, RemoteError
from .assertions import check
from .model import Conversation, SuiteFile, read_suite, suite_files

if TYPE_CHECKING:
    from .coverage import Coverage

PER_CONVERSATION = {400, 409, 413, 422}  # answers about one request, not about the environment


@dataclass
class Failure:
    where: str  # file:line of the failing expectation
    key: str
    expected: str
    actual: str
    turn: int
    input: str


@dataclass
class Outcome:
    conversation: Conversation
    failures: list = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    replies: list = field(default_factory=list)

    @property
    def status(self) -> str:
        return "error" if self.error else "failed" if self.failures else "passed"


@dataclass
class RunResult:
    target: str
    outcomes: list
    seconds: float
    coverage: Coverage | None = None

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return all(o.status == "passed" for o in self.outcomes)


def load_suites(paths: list, root: Path | None, name=None) -> list[SuiteFile]:
    """The conversation files named (files or folders), or the tree's conversations/ folder.

    A file with a problem stops everything (InputError, exit 2): a suite that cannot be
    read would pass by running less. `name(path)` gives the name reports use (default:
    the path from the current folder).
    """
    files: list[Path] = []
    for given in paths or []:
        path = Path(given)
        if path.is_symlink():
            raise InputError(f"{path}: is a symbolic link; name the file itself")
        if path.is_dir():
            found = _yaml_under(path)
            if not found:
                raise InputError(f"{path}: no conversation files (*.yaml) in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    if not paths:
        if root is None:
            raise InputError("name the conversation files or folders to run (or run inside a project)")
        files = suite_files(root)
        if not files:
            raise InputError(
                f"{Path(root) / 'conversations'}: no conversation files; write one (see docs/testing.md) or name them"
            )
    suites = [read_suite(p, (name or _shown)(p)) for p in dict.fromkeys(files)]
    problems = [_first_problem(s) for s in suites if s.error or s.problems]
    count = sum(1 if s.error else len(s.problems) for s in suites)
    if problems:
        more = f" (+{count - 1} more problems; run: assistantgit validate)" if count > 1 else ""
        raise InputError(f"{problems[0]}{more}")
    return suites


def _first_problem(suite: SuiteFile) -> str:
    if suite.error:
        return f"{suite.path}:{suite.error[0]}: {suite.error[2]}"
    problem = suite.problems[0]
    return f"{suite.where(problem.path)}: {problem.rule} {problem.message}"


def _yaml_under(folder: Path) -> list[Path]:
    found = []
    for current, dirs, names in os.walk(folder):  # linked folders are not entered
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [
            Path(current) / n
            for n in names
            if n.endswith(".yaml") and not n.startswith(".") and not (Path(current) / n).is_symlink()
        ]
    return sorted(found)


def _shown(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return Path(path).as_posix()
    return Path(path).as_posix() if relative.startswith("..") else Path(relative).as_posix()


def run_conversation(target, conversation) -> Outcome:
    outcome = Outcome(conversation)
    started = time.perf_counter()
    context = target.start(conversation.context)
    try:
        for turn in conversation.turns:
            reply, context = target.send(turn.input, context)
            outcome.replies.append(reply)
            for expectation in turn.expectations:
                failed = check(expectation, reply)
                if failed:
                    outcome.failures.append(
                        Failure(
                            conversation.file.where(expectation.path),
                            expectation.key,
                            failed[0],
                            failed[1],
                            turn.number,
                            turn.input,
                        )
                    )
            if outcome.failures:
                break
    except RemoteError as error:
        if getattr(error, "status", None) not in PER_CONVERSATION:
            raise
        where = conversation.file.where(turn.path)
        outcome.error = f"{where}: turn {turn.number}: {error.message}"
    outcome.seconds = time.perf_counter() - started
    return outcome


def run_suites(target, suites: list, jobs: int = 4, progress=None) -> RunResult:
    conversations = [c for suite in suites for c in suite.conversations]
    started = time.perf_counter()
    outcomes = parallel_map(lambda c: run_conversation(target, c), conversations, jobs, progress)
    return RunResult(target.label, outcomes, time.perf_counter() - started)


def parallel_map(function, items: list, jobs: int, progress=None) -> list:
    """[function(item) for item in items] on at most `jobs` threads, in order; the first error stops the rest."""
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    if not items:
        return []
    if jobs <= 1 or len(items) == 1:
        results = []
        for index, item in enumerate(items):
            results.append(function(item))
            if progress:
                progress(index + 1, len(items))
        return results
    pool = ThreadPoolExecutor(max_workers=min(jobs, len(items)), thread_name_prefix="assistantgit-test")
    try:
        futures = [pool.submit(function, item) for item in items]
        pending, done_count = set(futures), 0
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_EXCEPTION)
            for future in done:
                future.result()  # raises the first error; the finally below cancels the rest
            done_count += len(done)
            if progress and done:
                progress(done_count, len(items))
        return [future.result() for future in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def run_for_environment(
    project, env, root: Path, paths: list, jobs: int = 4, environment: str = "draft", progress=None
) -> RunResult:
    """Read the suite (paths, or root/conversations), run it against `env`, measure coverage against `root`."""
    from .coverage import inventory, measure
    from .sessions import open_target

    suites = load_suites(paths, root)
    sections = inventory(root, env.kind)
    target = open_target(project, env, environment)
    result = run_suites(target, suites, jobs, progress)
    result.coverage = measure(sections, result.outcomes)
    return result


def verdict(result: RunResult, minimum: float | None) -> int:
    """0 when every conversation passed and coverage is at least `minimum` percent, else 1."""
    below = result.coverage.below(minimum) if minimum is not None and result.coverage is not None else []
    return 0 if result.ok and not below else 1
