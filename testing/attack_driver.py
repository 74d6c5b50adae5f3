"""Run the commands of some attack cases in this process, under an address-space cap.

Usage (attack_test.py does it): python attack_driver.py SPEC.json RESULTS.json
SPEC holds {"limit": bytes, "runs": [{"case": name, "args": [...], "cwd": "...", "env": {...}}]}.
Each command runs through `assistantgit.cli.run` with its stdout and stderr captured at
the file-descriptor level (textconv writes bytes to fd 1). Before each run a line goes to
RESULTS.progress, so that a hang can be pinned to a command.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time


def main() -> None:
    spec_path, results_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    limit = spec["limit"]
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from assistantgit.cli import run

    results = []
    with open(results_path + ".progress", "w", encoding="utf-8") as progress:
        for index, item in enumerate(spec["runs"]):
            progress.write(f"{index} {item['args']}\n")
            progress.flush()
            results.append(run_one(run, item))
    with open(results_path, "w", encoding="utf-8") as handle:
        json.dump(results, handle)


def run_one(run, item: dict) -> dict:
    """One command in its folder, its exit code and what it printed (fd-level capture)."""
    os.chdir(item["cwd"])
    os.environ.update(item.get("env", {}))
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        try:
            code = run(list(item["args"]))
        except BaseException as error:  # the CLI's own net failed: record it
            code = f"raised {type(error).__name__}: {error}"
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        out.seek(0)
        err.seek(0)
        return {
            "case": item.get("case"),
            "args": item["args"],
            "code": code,
            "seconds": round(time.monotonic() - started, 2),
            "stdout": out.read().decode("utf-8", "replace")[-20000:],
            "stderr": err.read().decode("utf-8", "replace")[-20000:],
        }


if __name__ == "__main__":
    main()
