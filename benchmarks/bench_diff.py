"""Time `assistantgit diff` between two commits of the 10 MB synthetic skill that touch 10 items.

Builds a git repository in a scratch folder: commit the pulled synthetic skill, edit 10
items (4 intents, 2 entities, 4 dialog nodes), commit again; then times the diff of the
two commits as a fresh process (start-up included, what CI sees) and as a library call,
checks it names exactly the 10 items, and times the working tree against HEAD too.
Target: under 2 seconds. Exit 1 when it is missed or the diff is wrong.

Usage: python benchmarks/bench_diff.py [--runs N] [--work DIR]
Example: .venv/bin/python benchmarks/bench_diff.py
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate_workspace  # noqa: E402

from assistantgit import canonical  # noqa: E402
from assistantgit import diff as semdiff  # noqa: E402
from assistantgit.git.revisions import sides  # noqa: E402
from assistantgit.pipeline import pull_file  # noqa: E402

TARGET = 2.0


def git(repo: Path, *args) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def edit_ten_items(tree: Path) -> set:
    """Change 4 intents, 2 entities and 4 dialog nodes; return their ids."""
    touched = set()
    for folder, count, change in (
        ("intents", 4, lambda d: d["examples"].append(f"benchmark example for {d['intent']}")),
        (
            "entities",
            2,
            lambda d: d["values"].append({"value": "benchmark value", "type": "synonyms", "synonyms": ["bench"]}),
        ),
        ("dialog_nodes", 4, lambda d: d.update(conditions=f"{d.get('conditions') or 'true'} && $benchmark")),
    ):
        for path in sorted((tree / folder).glob("*.yaml"))[7 : 7 + count]:
            data = canonical.loads(path.read_text("utf-8"))
            change(data)
            path.write_text(canonical.dumps(data), "utf-8")
            touched.add(data.get("intent") or data.get("entity") or data.get("dialog_node"))
    return touched


def best_of(runs: int, action) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the best is kept (default 3)")
    parser.add_argument(
        "--work", type=Path, default=generate_workspace.DEFAULT_DIR, help="scratch folder (default benchmarks/_work/)"
    )
    args = parser.parse_args(argv)

    export = generate_workspace.generate(args.work)
    repo = args.work / "diff-repo"
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    tree = repo / "skill"
    pull_file(export, tree)
    files = sum(1 for _ in tree.rglob("*.yaml"))
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "pull")
    expected = edit_ten_items(tree)
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "ten items")
    print(
        f"skill: {export.stat().st_size / 1e6:.1f} MB export, {files} source files; commits touch {len(expected)} items"
    )

    cli = [sys.executable, "-m", "assistantgit", "diff", "HEAD~1", "HEAD", "--dir", "skill", "--format", "json"]
    process_time, proc = best_of(args.runs, lambda: subprocess.run(cli, cwd=repo, capture_output=True, text=True))
    found = {c["id"] for c in json.loads(proc.stdout)["changes"]} if proc.returncode == 0 else {proc.stderr.strip()}
    library_time, _ = best_of(args.runs, lambda: semdiff.compare(*sides("HEAD~1", "HEAD", tree)))
    for path in sorted((tree / "intents").glob("*.yaml"))[20:21]:  # one uncommitted change
        path.write_text(path.read_text("utf-8").replace("examples:\n", "examples:\n  - uncommitted\n", 1), "utf-8")
    worktree_time, worktree = best_of(args.runs, lambda: semdiff.compare(*sides(None, None, tree)))
    markdown_time, _ = best_of(
        args.runs, lambda: subprocess.run(cli[:-1] + ["markdown"], cwd=repo, capture_output=True)
    )

    changed_export = args.work / "synthetic-dialog-changed.json"
    data = json.loads(export.read_text("utf-8"))
    for intent in data["intents"][100:110]:
        intent["examples"].append({"text": f"benchmark example for {intent['intent']}"})
    changed_export.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    export_cli = [sys.executable, "-m", "assistantgit", "diff", str(export), str(changed_export), "--format", "json"]
    export_time, proc = best_of(args.runs, lambda: subprocess.run(export_cli, cwd=repo, capture_output=True, text=True))
    export_found = len(json.loads(proc.stdout)["changes"]) if proc.returncode == 0 else proc.stderr.strip()
    textconv_cli = [sys.executable, "-m", "assistantgit", "textconv", str(export)]
    textconv_time, _ = best_of(args.runs, lambda: subprocess.run(textconv_cli, capture_output=True))

    print(f"diff HEAD~1 HEAD (process, json):     {process_time:.2f} s  (target < {TARGET:.0f} s)")
    print(f"diff HEAD~1 HEAD (process, markdown): {markdown_time:.2f} s")
    print(f"diff HEAD~1 HEAD (library call):      {library_time:.2f} s")
    print(f"diff (working tree vs HEAD, library): {worktree_time:.2f} s, {len(worktree.changes)} change")
    print(f"diff of two 10 MB exports (process):  {export_time:.2f} s, {export_found} changes")
    print(f"textconv of the 10 MB export (process): {textconv_time:.2f} s (git runs it once per blob; cached)")
    ok = export_found == 10 and found == expected and len(worktree.changes) == 1 and process_time < TARGET
    if found != expected:
        print(f"WRONG: the diff named {sorted(found)[:5]}..., expected {sorted(expected)[:5]}...")
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
