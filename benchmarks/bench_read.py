"""The canonical reader alone: `fast_loads` of every file of a pulled target tree, in one
process with the garbage collector off, this checkout against a baseline revision's reader
in turn (A, B, A, B ... best of N), so both see the same load. Prints CPU and wall seconds
per tree and checks that both readers return the same data for every file.

Why: push, whole-tree validate and diff spend most of their parsing here, and the
whole-command figures of bench_targets.py are too noisy to see a reader change of 10 %.
The trees are bench_targets.py's (run `bench_targets.py --only pull` once first).

`--instructions` also counts the machine instructions of one pass of each reader with
valgrind (cachegrind; a process doing two passes minus one doing one, hash seed fixed):
a figure the load of a shared machine does not move, where times move by 10 % between
runs. About a minute per tree and reader.

Usage: .venv/bin/python benchmarks/bench_read.py [--runs 7] [--baseline integrate] [--trees stress,realistic]
       [--instructions]
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
TARGETS = HERE / "_work" / "targets"
sys.path.insert(0, str(PROJECT))

from assistantgit.canonical import read as ours  # noqa: E402
from assistantgit.tree.files import read_text  # noqa: E402


def baseline_reader(revision: str):
    """The read module of `revision`'s package, extracted by git archive and imported under
    another name (the package's imports are relative, so it uses its own modules)."""
    sha = subprocess.run(["git", "rev-parse", "--short", revision], cwd=PROJECT, capture_output=True, text=True)
    folder = HERE / "_work" / f"read-base-{sha.stdout.strip() or revision}"
    if not folder.is_dir():
        folder.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", revision, "assistantgit"], cwd=PROJECT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    package = folder / "assistantgit"
    spec = importlib.util.spec_from_file_location(
        "assistantgit_base", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["assistantgit_base"] = module
    spec.loader.exec_module(module)
    return importlib.import_module("assistantgit_base.canonical.read")


def tree_texts(tree: Path) -> list[str]:
    return [read_text(path) for path in sorted(tree.rglob("*.yaml"))]


def timed(fast_loads, texts: list[str]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        fast_loads(text)
    return time.perf_counter() - wall, time.process_time() - cpu


def instructions(reader: str, tree: str, baseline: str) -> int:
    """Machine instructions of one pass of `reader` ('this' or 'baseline') over `tree`."""
    counts = []
    for passes in (1, 2):
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        command += [sys.executable, __file__, "--passes-of", reader, "--passes", str(passes)]
        command += ["--trees", tree, "--baseline", baseline]
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
        if done.returncode or not found:
            raise SystemExit(f"valgrind failed: {done.stderr[-500:]}")
        counts.append(int(found.group(1).replace(",", "")))
    return counts[1] - counts[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", default="integrate")
    parser.add_argument("--trees", default="stress,realistic")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    parser.add_argument("--passes-of", choices=["this", "baseline"], help=argparse.SUPPRESS)  # valgrind's process
    parser.add_argument("--passes", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    base = baseline_reader(args.baseline)
    if args.passes_of:
        module = ours if args.passes_of == "this" else base
        texts = tree_texts(TARGETS / f"{args.trees}-tree")
        gc.disable()
        for _ in range(args.passes):
            timed(module.fast_loads, texts)
        return 0
    if args.instructions and not shutil.which("valgrind"):
        print("--instructions needs valgrind")
        return 2
    print(f"load {os.getloadavg()[0]:.2f}, Python {sys.version.split()[0]}, baseline {args.baseline}")
    differ = 0
    for name in args.trees.split(","):
        tree = TARGETS / f"{name}-tree"
        if not tree.is_dir():
            print(f"{tree} is missing: run benchmarks/bench_targets.py --only pull first")
            return 2
        texts = tree_texts(tree)
        differ += sum(pickle.dumps(base.fast_loads(t)) != pickle.dumps(ours.fast_loads(t)) for t in texts)
        best = {"baseline": (9e9, 9e9), "this": (9e9, 9e9)}
        gc.disable()
        for _ in range(args.runs):
            for label, module in (("baseline", base), ("this", ours)):
                wall, cpu = timed(module.fast_loads, texts)
                best[label] = (min(best[label][0], wall), min(best[label][1], cpu))
        gc.enable()
        (bw, bc), (tw, tc) = best["baseline"], best["this"]
        print(
            f"{name}: {len(texts):,} files, {sum(map(len, texts)) / 1e6:.1f} M characters: "
            f"baseline {bw:.3f} s ({bc:.3f} cpu), this {tw:.3f} s ({tc:.3f} cpu): {100 * (tc / bc - 1):+.1f} % cpu"
        )
        if args.instructions:
            bi, ti = instructions("baseline", name, args.baseline), instructions("this", name, args.baseline)
            print(f"{name}: instructions of one pass: baseline {bi:,}, this {ti:,}: {100 * (ti / bi - 1):+.1f} %")
    print(f"load at the end {os.getloadavg()[0]:.2f}; files read to other data than the baseline's: {differ}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
