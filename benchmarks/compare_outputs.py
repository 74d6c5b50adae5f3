"""Compare validate findings and diff output of this checkout with another checkout's (main).

    git worktree add --detach /tmp/base main
    .venv/bin/python benchmarks/compare_outputs.py /tmp/base [--trees N]

Both run with this interpreter, each from its own source folder (PYTHONPATH) and its own
cache folder. On the generated realistic and stress trees and on the trees pulled (by the
base) from the shared corpus: `validate --format json` of the whole tree and of named
files (the first file of each folder), each cold (an empty cache folder) then warm; and
`diff` in text, json and markdown of consecutive corpus exports and of the benchmarks' two
10 MB exports. Prints each difference and exits 1 if there is one.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
TARGETS = HERE / "_work" / "targets"
CORPUS = PROJECT.parent / "shared" / "corpus"


def run(source: Path, args: list, cwd: Path, cache: Path) -> tuple[int, bytes]:
    env = dict(os.environ, PYTHONPATH=str(source), XDG_CACHE_HOME=str(cache))
    proc = subprocess.run(
        [sys.executable, "-m", "assistantgit", *map(str, args)], cwd=cwd, env=env, capture_output=True
    )
    return proc.returncode, proc.stdout


def named_files(tree: Path) -> list[str]:
    names = []
    for folder in sorted(p for p in tree.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = sorted(f for f in folder.iterdir() if f.suffix == ".yaml")
        names += [str(f.relative_to(tree)) for f in files[:1]]
    return names + (["skill.yaml"] if (tree / "skill.yaml").exists() else [])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base", type=Path)
    parser.add_argument("--trees", type=int, default=None, help="at most this many corpus trees")
    args = parser.parse_args()
    base, ours = args.base.resolve(), PROJECT
    work = Path(tempfile.mkdtemp(prefix="compare-outputs-"))
    differences, checks = [], 0

    def same(label: str, args_: list, cwd: Path, caches: tuple[Path, Path]) -> None:
        nonlocal checks
        checks += 1
        theirs, mine = run(base, args_, cwd, caches[0]), run(ours, args_, cwd, caches[1])
        if theirs != mine:
            differences.append(label)
            print(f"DIFFERS: {label} (exit {theirs[0]} vs {mine[0]})", flush=True)

    exports = sorted((CORPUS / "dialog").glob("*.json")) + sorted((CORPUS / "actions").glob("*.json"))
    trees = [TARGETS / "realistic-validate-tree", TARGETS / "stress-tree"]
    for index, export in enumerate(exports[: args.trees]):
        tree = work / f"corpus-{index}"
        if run(base, ["pull", export, "--dir", tree, "-q"], work, work / "pull-cache")[0] == 0:
            trees.append(tree)
    for tree in trees:
        if not tree.is_dir():
            print(f"skipped (not there: run bench_targets.py first): {tree}")
            continue
        for what, target in (("whole", ["--dir", "."]), ("named", named_files(tree))):
            caches = (work / "cache-base", work / "cache-ours")
            for cache in caches:
                shutil.rmtree(cache, ignore_errors=True)
            for state in ("cold", "warm"):
                same(f"validate {what} {state} {tree.name}", ["validate", "--format", "json", *target], tree, caches)
    pairs = [*itertools.pairwise(exports)] + [(TARGETS / "realistic-x1.json", TARGETS / "realistic-changed.json")]
    for old, new in pairs:
        if old.exists() and new.exists():
            for form in ("text", "json", "markdown"):
                same(f"diff {form} {old.name} {new.name}", ["diff", old, new, "--format", form], work, (work, work))
    shutil.rmtree(work, ignore_errors=True)
    print(f"{checks} comparisons, {len(differences)} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
