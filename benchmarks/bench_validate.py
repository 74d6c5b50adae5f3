"""Time the pre-commit path: `assistantgit validate` on one file of a ~10 MB tree, and start-up.

Targets (issue 4): a single-file validate in a 10 MB tree under 0.5 s, `assistantgit --help`
under 0.25 s, both as fresh processes (what a git hook pays). Also prints, for information,
a whole-tree validate and `fmt --check`. Each figure is the best of N runs. The tree is
pulled from benchmarks/generate_workspace.py's synthetic skill when that script exists,
otherwise from a small generator below. Exit 1 when a target is missed.

Usage: python benchmarks/bench_validate.py [--runs N] [--cli PATH] [--work DIR]
Example: .venv/bin/python benchmarks/bench_validate.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TARGETS = {"validate one file": 0.5, "--help": 0.25}


def default_cli() -> str:
    beside = Path(sys.executable).with_name("assistantgit")
    return str(beside) if beside.exists() else (shutil.which("assistantgit") or "assistantgit")


def fallback_export(path: Path) -> Path:
    """A ~10 MB dialog skill: 2,000 intents, 3,000 nodes (used when generate_workspace.py is absent)."""
    rng = random.Random(4)
    words = [
        "account",
        "balance",
        "card",
        "transfer",
        "payment",
        "loan",
        "branch",
        "hours",
        "agent",
        "fee",
        "rate",
        "travel",
        "pin",
        "address",
        "app",
    ]

    def say(n):
        return " ".join(rng.choice(words) for _ in range(n))

    intents = [
        {"intent": f"intent_{i:04d}", "examples": [{"text": f"{say(rng.randint(4, 12))} {i} {k}"} for k in range(30)]}
        for i in range(2000)
    ]
    entities = [
        {
            "entity": f"entity_{i}",
            "values": [{"value": f"v{i}_{j}", "synonyms": [f"s{i}_{j}_{k}" for k in range(5)]} for j in range(10)],
        }
        for i in range(80)
    ]
    nodes, previous = [], None
    for i in range(3000):
        node = {
            "dialog_node": f"node_{i}",
            "title": f"Node {i}",
            "conditions": f"#intent_{i % 2000:04d}",
            "output": {"generic": [{"response_type": "text", "values": [{"text": say(60)} for _ in range(3)]}]},
        }
        if previous:
            node["previous_sibling"] = previous
        nodes.append(node)
        previous = node["dialog_node"]
    export = {"name": "bench", "language": "en", "intents": intents, "entities": entities, "dialog_nodes": nodes}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(export), encoding="utf-8")
    return path


def make_export(work: Path) -> Path:
    try:
        import generate_workspace
    except ImportError:
        return fallback_export(work / "validate-fallback.json")
    export = work / generate_workspace.FILE_NAME
    if not export.exists():
        generate_workspace.generate(export)
    return export


def best(command: list[str], runs: int, cwd: Path) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) of `runs` fresh processes.

    CPU time is printed too because wall time on a shared machine includes waiting for a core."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cli", default=default_cli())
    parser.add_argument("--work", type=Path, default=HERE / "_work")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))

    from assistantgit.pipeline import pull_file

    export = make_export(args.work)
    tree = args.work / "validate-tree"
    pull_file(export, tree)
    files = sum(1 for _ in tree.rglob("*.yaml"))
    tree_bytes = sum(p.stat().st_size for p in tree.rglob("*.yaml"))
    one = sorted((tree / "intents").glob("*.yaml"))[len(list((tree / "intents").glob("*.yaml"))) // 2]
    rel = one.relative_to(tree).as_posix()
    node = sorted((tree / "dialog_nodes").glob("*.yaml"))[0].relative_to(tree).as_posix()
    # A first run fills the size cache (.assistantgit/cache), as the first commit of a clone does.
    subprocess.run([args.cli, "validate", rel], cwd=tree, capture_output=True, check=False)

    figures = {
        "validate one file": best([args.cli, "validate", rel], args.runs, tree),
        "validate one node": best([args.cli, "validate", node], args.runs, tree),
        "--help": best([args.cli, "--help"], args.runs, tree),
        "validate whole tree": best([args.cli, "validate"], 1, tree),
        "fmt --check whole tree": best([args.cli, "fmt", "--check"], 1, tree),
    }
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"export: {export} ({export.stat().st_size / 1048576:.1f} MB); tree: {files} files, {tree_bytes / 1048576:.1f} MB of YAML"
    )
    missed = 0
    print(f"load average: {os.getloadavg()[0]:.2f} (other processes share the cores)")
    print(f"{'':<24} {'wall':>8} {'cpu':>8}")
    for name, (seconds, cpu) in figures.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else (f"  target < {target:.2f} s: " + ("ok" if seconds < target else "MISSED"))
        missed += target is not None and seconds >= target
        print(f"{name:<24} {seconds:6.3f} s {cpu:6.3f} s{verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
