"""The attack corpus (attack_corpus.py) against every command that reads a tree or an export.

Each case runs in a subprocess capped at 512 MB of address space (attack_driver.py), and
must: give each command one of its allowed exit codes (never 3, never a hang), refuse in
one line with no traceback, touch no file outside tree/ and out/, and leave no secret
value in any written file or printed output.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from testing import attack_driver
from testing.attack_corpus import OUTSIDE_SECRET, cases
from testing.session import exclusive, session_folder

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(os, "mkfifo"), reason="POSIX links, FIFOs and resource limits"
)


MEMORY_LIMIT = 512 * 1024 * 1024
TIMEOUT = 120  # seconds per case
WRITABLE = ("tree", "out", "cache", ".git")  # where commands may write (and git's own objects)
CASES = cases()


def snapshot(base: Path) -> dict:
    """rel path -> (kind, digest) of everything outside the writable folders, links not followed."""
    found = {}
    for folder, dirs, files in os.walk(base):
        rel_folder = os.path.relpath(folder, base)
        if rel_folder == ".":
            dirs[:] = [d for d in dirs if d not in WRITABLE]
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.normpath(os.path.join(rel_folder, name))
            info = os.lstat(path)
            if os.path.islink(path):
                found[rel] = ("link", os.readlink(path))
            elif os.path.isfile(path):
                with open(path, "rb") as handle:
                    found[rel] = ("file", hashlib.sha256(handle.read()).hexdigest(), info.st_mtime_ns)
            elif not os.path.isdir(path):
                found[rel] = ("special", info.st_mode)
    return found


def written_files(base: Path) -> list[Path]:
    """The regular files commands may have written (tree/ and out/), links not followed."""
    paths = []
    for top in ("tree", "out"):
        for folder, _dirs, files in os.walk(base / top):
            paths.extend(
                Path(folder) / n
                for n in files
                if os.path.isfile(Path(folder) / n) and not os.path.islink(Path(folder) / n)
            )
    return paths


CHUNK = 9  # cases per driver process: imports are paid once per process, not per case
PARALLEL = 2  # driver processes at a time


def _python_and_env() -> tuple[list[str], dict]:
    env = {**os.environ, "NO_COLOR": "1", "GIT_CONFIG_NOSYSTEM": "1"}
    # ATTACK_BASELINE=/path/to/an/old/checkout runs the corpus against that code (its
    # `assistantgit` package first on the path, site-packages without the editable hook).
    baseline = os.environ.get("ATTACK_BASELINE")
    python = [sys.executable]
    if baseline:
        import site

        python.append("-S")
        env["PYTHONPATH"] = os.pathsep.join([baseline, *site.getsitepackages()])
    return python, env


# The default run tries one case of each kind of attack; the full suite (.ci/run) tries them all.
DEV_CASES = {
    "link-file-out",
    "fifo",
    "avaamo-name-escape",
    "journal-into-git",
    "alias-bomb-item",
    "deep-json-5000",
    "duplicate-key-json",
    "format-list",
    "xliff-billion-laughs",
    "secrets-dialog",
}


@pytest.fixture(scope="session")
def corpus(request, tmp_path_factory) -> dict:
    """The selected cases built and run: name -> (case, runs, base folder, snapshot before, results).

    The first xdist worker that needs them builds and runs them all, in a folder every worker
    shares; the others wait for it and read its outcome (each worker would otherwise run the
    whole corpus again)."""
    selected = sorted(
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_attack"
        and hasattr(item, "callspec")
        and not item.get_closest_marker("skip")
    )
    folder = (
        session_folder(tmp_path_factory) / f"attacks-{hashlib.sha256(' '.join(selected).encode()).hexdigest()[:12]}"
    )
    outcome_file = folder / "outcome.json"
    folder.mkdir(exist_ok=True)
    with exclusive(folder.with_suffix(".lock")):
        if not outcome_file.is_file():
            outcome_file.write_text(json.dumps(_run_corpus(selected, folder)), encoding="utf-8")
    by_name = {case.name: case for case in CASES}
    return {
        name: (
            by_name[name],
            [set(expect) for expect in entry["expects"]],
            Path(entry["base"]),
            {rel: tuple(value) for rel, value in entry["before"].items()},
            entry["results"],
        )
        for name, entry in json.loads(outcome_file.read_text(encoding="utf-8")).items()
    }


def _run_corpus(selected: list[str], top: Path) -> dict:
    """Build each selected case, run its commands in a few driver processes of CHUNK cases
    each (each under the memory cap); a case whose driver hung or died gets an explanation
    instead of results."""
    built = {}
    for number, case in enumerate(CASES):
        if case.name not in selected:
            continue
        base = top / f"{number:02d}-{case.name}" / "world"
        base.mkdir(parents=True)
        runs = case.build(base)
        built[case.name] = (runs, base, snapshot(base))
    python, env = _python_and_env()
    names = list(built)
    chunks = [names[i : i + CHUNK] for i in range(0, len(names), CHUNK)]
    outcome: dict = {}
    for wave in range(0, len(chunks), PARALLEL):
        started = []
        for index, chunk in enumerate(chunks[wave : wave + PARALLEL]):
            spec_path, results_path = top / f"spec{wave + index}.json", top / f"results{wave + index}.json"
            runs = [
                {
                    "case": name,
                    "args": [str(a) for a in run.args],
                    "cwd": str(built[name][1] / run.cwd),
                    "env": {"XDG_CACHE_HOME": str(built[name][1] / "cache"), "HOME": str(built[name][1].parent)},
                }
                for name in chunk
                for run in built[name][0]
            ]
            spec_path.write_text(json.dumps({"limit": MEMORY_LIMIT, "runs": runs}), encoding="utf-8")
            command = [*python, attack_driver.__file__, str(spec_path), str(results_path)]
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started.append((process, chunk, results_path))
        for process, chunk, results_path in started:
            try:
                process.wait(timeout=TIMEOUT * len(chunk))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            progress_path = Path(str(results_path) + ".progress")
            progress = progress_path.read_text(encoding="utf-8").splitlines() if progress_path.exists() else []
            if not results_path.exists():
                failure = f"the driver hung or died at {progress[-1] if progress else 'start-up'}"
                for name in chunk:
                    outcome[name] = failure
                continue
            results = json.loads(results_path.read_text(encoding="utf-8"))
            for name in chunk:
                outcome[name] = [r for r in results if r["case"] == name]
    return {
        name: {
            "expects": [sorted(run.expect) for run in runs],
            "base": str(base),
            "before": before,
            "results": outcome[name],
        }
        for name, (runs, base, before) in built.items()
    }


@pytest.mark.parametrize(
    "name", [pytest.param(c.name, marks=() if c.name in DEV_CASES else pytest.mark.slow) for c in CASES]
)
def test_attack(corpus, name):
    case, expects, base, before, results = corpus[name]
    if isinstance(results, str):
        pytest.fail(results)
    problems = []
    for expect, result in zip(expects, results):
        command = " ".join(result["args"])
        if result["code"] not in expect:
            problems.append(f"{command}: exit {result['code']} (expected {sorted(expect)}): {result['stderr'][-600:]}")
        if "Traceback" in result["stderr"] or "unexpected error" in result["stderr"]:
            problems.append(f"{command}: a traceback or crash: {result['stderr'][-600:]}")
        if result["code"] == 2:
            errors = [line for line in result["stderr"].splitlines() if line.startswith("error: ")]
            if len(errors) != 1 and result["args"][0] != "fmt":
                problems.append(f"{command}: refused with {len(errors)} error lines: {result['stderr'][-600:]}")
        printed = result["stdout"] + result["stderr"]
        for secret in (*case.secrets, OUTSIDE_SECRET):
            if secret in printed and result["args"][0] != "textconv":
                problems.append(f"{command}: printed {secret!r}")
    after = snapshot(base)
    changed = sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))
    if changed:
        problems.append(f"files outside tree/ and out/ changed: {changed}")
    for path in written_files(base):
        content = path.read_bytes()
        if path.parts[-2:] == (".assistantgit", "secrets.env"):  # pull's local store (issue 12): the owner's only
            if (
                stat.S_IMODE(path.stat().st_mode) != 0o600
                or "*" not in (path.parent / ".gitignore").read_text().split()
            ):
                problems.append(f"{path.relative_to(base)} is a local store git or others could read")
            continue
        for secret in (*case.secrets, OUTSIDE_SECRET):
            if secret.encode() in content:
                problems.append(f"{path.relative_to(base)} holds {secret!r}")
    assert not problems, "\n".join(problems)
