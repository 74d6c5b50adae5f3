"""Time `assistantgit test`: 500 conversations against the local Watson look-alike.

Target (issue 16): 500 conversations with --jobs 8 in under 10 s, as a fresh process (what
CI runs). The suite repeats the conversations of sample-repo/dialog-skill/conversations
under new names until there are --conversations of them; the server is testing/watson_message.py
(the toy assistant answering from the sample skill) on 127.0.0.1, in this process.

For scale it also times a floor in the same run: the same messages sent by the bare
ibm-watson SDK on as many threads, with no file reading, assertions or reports. It prints
conversations per second, turns per second and the ratio to the floor; exit 1 when the
target is missed or a conversation fails.

Usage: python benchmarks/bench_conversations.py [--conversations 500] [--jobs 8] [--cli PATH]
Example: .venv/bin/python benchmarks/bench_conversations.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path[:0] = [str(PROJECT)]

TARGET_SECONDS = 10.0


def default_cli() -> str:
    beside = Path(sys.executable).with_name("assistantgit")
    return str(beside) if beside.exists() else (shutil.which("assistantgit") or "assistantgit")


def make_project(folder: Path, url: str, count: int) -> list:
    """A project whose suite holds `count` conversations; returns their inputs, turn by turn."""
    from assistantgit import canonical
    from assistantgit.conversations.model import read_suite, suite_files

    sample = PROJECT / "sample-repo" / "dialog-skill"
    shutil.copytree(sample, folder / "skill", ignore=shutil.ignore_patterns("conversations"))
    originals = [c for path in suite_files(sample) for c in read_suite(path).conversations]
    data = [canonical.loads(path.read_text(encoding="utf-8")) for path in suite_files(sample)]
    raw = [c for document in data for c in document["conversations"]]
    conversations = [{**raw[n % len(raw)], "name": f"{raw[n % len(raw)]['name']} #{n}"} for n in range(count)]
    (folder / "skill" / "conversations").mkdir()
    for part in range(0, count, 100):  # files of 100 conversations, as a team would split them
        text = canonical.dumps({"conversations": conversations[part : part + 100]})
        (folder / "skill" / "conversations" / f"suite_{part // 100:02d}.yaml").write_text(text, encoding="utf-8")
    (folder / "assistantgit.yaml").write_text(
        f"source: skill\nkind: dialog\nenvironments:\n  bench:\n    url: {url}\n    workspace_id: ws-bench\n"
        "    credentials: ASSISTANT_BENCH\n",
        encoding="utf-8",
    )
    return [[turn.input for turn in originals[n % len(originals)].turns] for n in range(count)]


def floor(url: str, inputs: list, jobs: int) -> float:
    """The same messages through the bare SDK on `jobs` threads."""
    from ibm_cloud_sdk_core.authenticators import IAMAuthenticator
    from ibm_watson import AssistantV1

    from testing.watson_server import API_KEY

    service = AssistantV1(version="2021-11-27", authenticator=IAMAuthenticator(API_KEY, url=url))
    service.set_service_url(url)

    def talk(turns):
        context = None
        for text in turns:
            context = service.message("ws-bench", input={"text": text}, context=context).get_result()["context"]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(talk, inputs))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--cli", default=default_cli())
    args = parser.parse_args()

    from testing.watson_message import ChatServer
    from testing.watson_server import API_KEY

    export = json.loads((PROJECT / "sample-repo" / "exports" / "customer-care-dialog.json").read_text(encoding="utf-8"))
    with ChatServer() as server, tempfile.TemporaryDirectory(prefix="bench-conversations-") as temp:
        server.state.workspaces["ws-bench"] = export
        inputs = make_project(Path(temp), server.url, args.conversations)
        turns = sum(len(t) for t in inputs)
        env = {
            **os.environ,
            "ASSISTANT_BENCH_APIKEY": API_KEY,
            "ASSISTANT_BENCH_AUTH_URL": server.url,
            "IBM_CREDENTIALS_FILE": str(Path(temp) / "absent.env"),
            "NO_COLOR": "1",
        }
        started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run(
            [args.cli, "test", "--env", "bench", "--jobs", str(args.jobs), "--format", "json"],
            cwd=temp,
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
        if proc.returncode != 0:
            print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n")
            print("FAIL: the suite did not pass")
            return 1
        summary = json.loads(proc.stdout)["summary"]
        floor_seconds = floor(server.url, inputs, args.jobs)
    ok = seconds < TARGET_SECONDS and summary["passed"] == args.conversations
    print(
        f"{args.conversations} conversations ({turns} turns), --jobs {args.jobs}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"assistantgit test (fresh process): {seconds:.2f} s = {args.conversations / seconds:.0f} conversations/s, "
        f"{turns / seconds:.0f} turns/s (CPU {cpu_seconds:.2f} s); {summary['passed']} passed  "
        f"[{'PASS' if ok else 'FAIL'} < {TARGET_SECONDS:g} s]"
    )
    print(
        f"floor (bare SDK, same messages, {args.jobs} threads): {floor_seconds:.2f} s = "
        f"{args.conversations / floor_seconds:.0f} conversations/s; ratio {seconds / floor_seconds:.2f}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
