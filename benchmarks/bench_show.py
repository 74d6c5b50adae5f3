"""Time `assistantgit show` on the 10 MB synthetic skill: the whole outline, as a fresh process.

Target (issue 18): the whole outline of the 3,000-node dialog in under 1 second. The floor,
measured in the same run, is a fresh Python process that only loads the export with
`json.load` (the least any tool that reads this skill does); the ratio says how far show
is from it whatever the machine's load. Also printed, for information: one item's
neighbourhood, the bounded Mermaid overview and every part as markdown. Each figure is the
best of N runs. Exit 1 when the target is missed or the outline misses a node.

Usage: python benchmarks/bench_show.py [--runs N] [--work DIR]
Example: .venv/bin/python benchmarks/bench_show.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate_workspace  # noqa: E402

from assistantgit.pipeline import pull_file  # noqa: E402

TARGET = 1.0
NODES = generate_workspace.DIALOG_NODES


def best_of(runs: int, command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(best wall seconds, its CPU seconds, the last run)."""
    best, cpu, done = float("inf"), 0.0, None
    for _ in range(runs):
        before = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
        wall = time.perf_counter() - start
        if wall < best:
            best, cpu = wall, _children_cpu() - before
    return best, cpu, done


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the best is kept (default 5)")
    parser.add_argument(
        "--work", type=Path, default=generate_workspace.DEFAULT_DIR, help="scratch folder (default benchmarks/_work/)"
    )
    args = parser.parse_args(argv)

    export = generate_workspace.generate(args.work)
    tree = args.work / "show-tree"
    pull_file(export, tree)  # a re-pull of the same export writes nothing
    show = [sys.executable, "-m", "assistantgit", "show", "--dir", str(tree)]
    floor = [sys.executable, "-c", "import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))", str(export)]

    floor_time, floor_cpu, _ = best_of(args.runs, floor)
    show_time, show_cpu, done = best_of(args.runs, show)
    lines = done.stdout.count("\n") if done.returncode == 0 else 0
    first_root = next(line for line in done.stdout.split("\n") if line.startswith("├─ "))
    item = first_root[3:].split("  ")[0].removeprefix("[folder] ")
    item_time, _, item_done = best_of(args.runs, show + [item])
    mermaid_time, _, _ = best_of(args.runs, show + ["--format", "mermaid"])
    markdown_time, _, parts = best_of(args.runs, show + ["--format", "markdown"])
    pictures = parts.stdout.count("```mermaid")

    print(f"skill: {export.stat().st_size / 1e6:.1f} MB export, {NODES:,} dialog nodes")
    print(f"floor: json.load of the export (process)  {floor_time:.2f} s ({floor_cpu:.2f} s CPU)")
    print(
        f"show, whole outline (process)             {show_time:.2f} s ({show_cpu:.2f} s CPU)  "
        f"{show_time / floor_time:.1f}x the floor  (target < {TARGET:.0f} s)"
    )
    print(f"show ITEM (process)                       {item_time:.2f} s ({item!r}, exit {item_done.returncode})")
    print(f"show --format mermaid (process)           {mermaid_time:.2f} s")
    print(f"show --format markdown (process)          {markdown_time:.2f} s, {pictures} pictures")
    ok = done.returncode == 0 and lines == NODES + 1 and item_done.returncode == 0 and show_time < TARGET
    if lines != NODES + 1:
        print(f"WRONG: the outline has {lines} lines, expected {NODES + 1} (a heading and one per node)")
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
