"""Time pull, re-pull, push and start-up on the synthetic 10 MB skill, and check the targets.

Each figure is the best of N runs (default 3), both as a fresh `assistantgit` process (what
a user and a git hook see, start-up included) and as an in-process library call (the
work alone). Re-pulling the unchanged export must write nothing: the script compares every
file's size, mtime and inode before and after. Exit 1 when a target is missed.

Usage: python benchmarks/bench_pull_push.py [--runs N] [--cli PATH] [--export FILE] [--work DIR]
Example: .venv/bin/python benchmarks/bench_pull_push.py
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate_workspace  # noqa: E402

TARGETS = {"pull": 2.0, "re-pull": 2.0, "push": 2.0, "--help": 0.25}
UPLOAD_LIMIT = 10 * 1024 * 1024


def default_cli() -> str:
    beside = Path(sys.executable).with_name("assistantgit")
    return str(beside) if beside.exists() else (shutil.which("assistantgit") or "assistantgit")


def snapshot(root: Path) -> dict:
    """Every file under root with what a write would change: size, mtime, inode."""
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            info = os.stat(path)
            found[os.path.relpath(path, root)] = (info.st_size, info.st_mtime_ns, info.st_ino)
    return found


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: steadier than the clock when
    other work shares the machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of(runs: int, action, prepare=None) -> tuple[float, float]:
    """(best wall-clock seconds, best CPU seconds) over `runs` runs."""
    best, best_cpu = float("inf"), float("inf")
    for run in range(runs):
        argument = prepare(run) if prepare else None
        cpu, start = cpu_seconds(), time.perf_counter()
        action(argument)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, cpu_seconds() - cpu)
    return best, best_cpu


class Bench:
    def __init__(self, export: Path, work: Path, cli: str, runs: int):
        self.export, self.work, self.cli, self.runs = export, work, cli, runs
        self.env = {**os.environ, "NO_COLOR": "1"}
        self.problems: list[str] = []

    def run_cli(self, *args) -> None:
        proc = subprocess.run([self.cli, *map(str, args)], capture_output=True, text=True, env=self.env)
        if proc.returncode != 0:
            raise SystemExit(f"{self.cli} {' '.join(map(str, args))} failed ({proc.returncode}): {proc.stderr.strip()}")

    def fresh_dir(self, name: str) -> Path:
        path = self.work / name
        shutil.rmtree(path, ignore_errors=True)
        return path

    def check_unchanged(self, tree: Path, before: dict, how: str) -> None:
        if snapshot(tree) != before:
            self.problems.append(f"re-pull ({how}) wrote or removed files in an unchanged tree")

    def subprocess_figures(self) -> dict:
        figures = {}
        figures["pull"] = best_of(
            self.runs,
            lambda d: self.run_cli("pull", self.export, "--dir", d),
            lambda run: self.fresh_dir(f"cli-pull-{run}"),
        )
        tree = self.work / "cli-pull-0"
        before = snapshot(tree)
        figures["re-pull"] = best_of(self.runs, lambda _: self.run_cli("pull", self.export, "--dir", tree))
        self.check_unchanged(tree, before, "subprocess")
        out = self.work / "cli-push.json"
        figures["push"] = best_of(self.runs, lambda _: self.run_cli("push", "--dir", tree, "--out", out, "--force"))
        self.pushed_bytes = out.stat().st_size
        figures["--help"] = best_of(max(self.runs, 5), lambda _: self.run_cli("--help"))
        self.files = len(before)
        return figures

    def library_figures(self) -> dict:
        from assistantgit.pipeline import pull_file, push_file

        figures = {}
        figures["pull"] = best_of(
            self.runs, lambda d: pull_file(self.export, d), lambda run: self.fresh_dir(f"lib-pull-{run}")
        )
        tree = self.work / "lib-pull-0"
        before = snapshot(tree)
        touched = []
        figures["re-pull"] = best_of(self.runs, lambda _: touched.append(_written(pull_file(self.export, tree).report)))
        self.check_unchanged(tree, before, "library")
        if any(touched):
            self.problems.append(f"re-pull (library) reported {max(touched)} files touched")
        out = self.work / "lib-push.json"
        figures["push"] = best_of(self.runs, lambda _: push_file(tree, out, force=True))
        if out.read_bytes() != (self.work / "cli-push.json").read_bytes():
            self.problems.append("push in-process and as a process gave different bytes")
        return figures


def _written(report) -> int:
    """Files a pull created, changed or deleted (WriteReport lost its `touched` count)."""
    return len(report.created) + len(report.changed) + len(report.deleted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the best is kept (default 3)")
    parser.add_argument(
        "--cli", default=default_cli(), help="the assistantgit executable (default: the one beside this Python)"
    )
    parser.add_argument("--export", type=Path, help="export to use (default: the generated synthetic skill)")
    parser.add_argument(
        "--work", type=Path, default=generate_workspace.DEFAULT_DIR, help="scratch folder (default benchmarks/_work/)"
    )
    args = parser.parse_args(argv)

    export = args.export or args.work / generate_workspace.FILE_NAME
    args.work.mkdir(parents=True, exist_ok=True)
    if not export.exists():
        if args.export:
            raise SystemExit(f"{export}: no such file")
        generate_workspace.generate(export)
    # Scratch trees in a folder of their own, so two runs at once do not collide.
    scratch = Path(tempfile.mkdtemp(prefix="bench-", dir=args.work))
    try:
        bench = Bench(export.resolve(), scratch.resolve(), args.cli, args.runs)
        process = bench.subprocess_figures()
        library = bench.library_figures()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if bench.pushed_bytes > UPLOAD_LIMIT:
        bench.problems.append(f"the pushed file is {bench.pushed_bytes:,} bytes, over the 10 MB upload limit")

    print(
        f"export {export} ({export.stat().st_size / 1e6:.1f} MB), {bench.files} source files, "
        f"pushed {bench.pushed_bytes / 1e6:.1f} MB"
    )
    load = os.getloadavg()[0]
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {load:.1f}, best of {args.runs} "
        "(wall-clock seconds, CPU seconds in brackets)"
    )
    print(f"{'step':<22}{'process':>16}{'library':>16}{'target':>10}  result")
    failed = False
    labels = {"pull": "pull (empty dir)", "re-pull": "re-pull (unchanged)", "push": "push", "--help": "--help start-up"}
    for step, limit in TARGETS.items():
        walls = [process[step][0]] + ([library[step][0]] if step in library else [])
        ok = max(walls) < limit
        failed |= not ok
        cells = [
            f"{wall:.3f} ({cpu:.3f})"
            for wall, cpu in (process[step], library.get(step, (None, None)))
            if wall is not None
        ]
        print(
            f"{labels[step]:<22}{cells[0]:>16}{(cells[1:] or ['-'])[0]:>16}{'< ' + format(limit, 'g') + ' s':>10}  "
            f"{'PASS' if ok else 'FAIL'}"
        )
    if failed and load > (os.cpu_count() or 1):
        print(f"note: the machine was busy (load {load:.1f}); compare the CPU seconds, or run again when it is idle")
    for problem in bench.problems:
        print(f"FAIL: {problem}")
    return 1 if failed or bench.problems else 0


if __name__ == "__main__":
    sys.exit(main())
