"""Time `translate export`, `import` and `status` on the synthetic 10 MB skill, as ratios to a
floor measured in the same run.

The floor is `assistantgit push` of the same tree (read every file, assemble, write): every
translate command reads at least one whole tree, so what a ratio shows is the cost of the
translation work and of translate-toolkit's readers and writers. Figures are CPU seconds of
fresh processes (the best of N runs): steadier than the clock on a shared machine, which is
printed too. Exit 1 when a ratio is above its target.

Usage: python benchmarks/bench_translate.py [--runs N] [--cli PATH] [--work DIR]
Example: .venv/bin/python benchmarks/bench_translate.py --runs 1
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate_workspace  # noqa: E402

# ratio to the floor (push of the same tree), CPU time
TARGETS = {
    "export po": 8.0,
    "export xliff": 14.0,
    "import po (new tree)": 14.0,
    "import xliff (again)": 18.0,
    "status": 10.0,
}


def default_cli() -> str:
    beside = Path(sys.executable).with_name("assistantgit")
    return str(beside) if beside.exists() else (shutil.which("assistantgit") or "assistantgit")


def best(command: list, runs: int, prepare=None) -> tuple[float, float]:
    """(best wall seconds, best CPU seconds) of `runs` fresh processes; each must succeed."""
    walls, cpus = [], []
    for _ in range(runs):
        if prepare:
            prepare()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cli", default=default_cli())
    parser.add_argument("--work", type=Path, default=HERE / "_work")
    args = parser.parse_args(argv)
    export = args.work / generate_workspace.FILE_NAME
    if not export.exists():
        generate_workspace.generate(export)
    work = args.work / "translate"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    source, target = work / "en", work / "xx"
    subprocess.run([args.cli, "pull", export, "--dir", source, "-q"], check=True)
    po, xliff = work / "xx.po", work / "xx.xlf"
    cli = args.cli
    figures = {"floor: push": best([cli, "push", "--dir", source, "--out", work / "upload.json", "-q"], args.runs)}
    figures["export po"] = best(
        [cli, "translate", "export", "--dir", source, "--out", po, "--pseudo", "--language", "xx", "-q"], args.runs
    )
    figures["export xliff"] = best(
        [cli, "translate", "export", "--dir", source, "--out", xliff, "--pseudo", "--language", "xx", "-q"], args.runs
    )
    figures["import po (new tree)"] = best(
        [cli, "translate", "import", po, "--into", target, "--from", source, "-q"],
        args.runs,
        lambda: shutil.rmtree(target, ignore_errors=True),
    )
    figures["import xliff (again)"] = best([cli, "translate", "import", xliff, "--into", target, "-q"], args.runs)
    figures["status"] = best(
        [cli, "translate", "status", "--dir", source, "--into", target, "--exit-code", "-q"], args.runs
    )
    units = sum(1 for line in po.read_text(encoding="utf-8").splitlines() if line.startswith("msgid ")) - 1
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.2f} (other processes share the cores)"
    )
    print(
        f"skill: {export.stat().st_size / 1048576:.1f} MB, {sum(1 for _ in source.rglob('*.yaml'))} files, {units} units"
    )
    floor = figures["floor: push"][1]
    missed = 0
    print(f"{'':<24} {'wall':>8} {'cpu':>8} {'ratio':>7}")
    for name, (wall, cpu) in figures.items():
        target_ratio = TARGETS.get(name)
        verdict = (
            ""
            if target_ratio is None
            else f"  target <= {target_ratio:.0f}x: " + ("ok" if cpu / floor <= target_ratio else "MISSED")
        )
        missed += target_ratio is not None and cpu / floor > target_ratio
        print(f"{name:<24} {wall:6.2f} s {cpu:6.2f} s {cpu / floor:6.1f}x{verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
