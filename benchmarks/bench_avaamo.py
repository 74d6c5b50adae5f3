"""Peak memory and time of pull, re-pull and push on a ~1 GB Avaamo agent export (issue 7).

Builds benchmarks/_work/Bench_Agent_1001_<stamp>.zip: random image-like binary members
(stored, as exports store images) plus a few JSON members with nested skills and
intents, written member by member so the generator stays small too. Each command runs
as its own `assistantgit` process; its peak resident memory comes from os.wait4's
rusage (ru_maxrss) for that process alone. Exit 1 when a target is missed or the
rebuilt ZIP differs from the original.

Usage: python benchmarks/bench_avaamo.py [--mb 1024] [--member-mb 4] [--cli PATH] [--keep]
Example: .venv/bin/python benchmarks/bench_avaamo.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work" / "avaamo"
NAME = "Bench_Agent_1001_20251201120000.zip"
PEAK_TARGET_MB = 300


def default_cli() -> str:
    beside = Path(sys.executable).with_name("assistantgit")
    return str(beside) if beside.exists() else (shutil.which("assistantgit") or "assistantgit")


def agent_json(skills: int = 40, intents: int = 50) -> dict:
    return {
        "id": 1001,
        "name": "Bench Agent",
        "platform_version": "8.2.0",
        "skills": [
            {
                "uuid": f"skill-{s}",
                "name": f"Skill {s}",
                "type": "dialog",
                "intents": [
                    {
                        "key": f"s{s}_intent_{i}",
                        "name": f"Intent {s}.{i}",
                        "training_data": [f"utterance {j} for intent {i} of skill {s}" for j in range(8)],
                    }
                    for i in range(intents)
                ],
                "nodes": [
                    {
                        "uuid": f"s{s}-n{n}",
                        "name": f"Node {n}",
                        "responses": [{"type": "text", "text": f"Answer {n} of skill {s}"}],
                    }
                    for n in range(20)
                ],
            }
            for s in range(skills)
        ],
    }


def build(path: Path, total_mb: int, member_mb: int) -> int:
    """Write the export; returns the number of members."""
    count = 0
    block = 1024 * 1024
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        archive.writestr("manifest.json", json.dumps({"platform_version": "8.2.0", "agent_id": 1001}))
        archive.writestr("agent.json", json.dumps(agent_json()), compress_type=zipfile.ZIP_DEFLATED)
        count += 2
        for index in range(max(1, total_mb // member_mb)):
            info = zipfile.ZipInfo(
                f"assets/images/{index // 50:03d}/image_{index:05d}.png", date_time=(2025, 12, 1, 12, 0, 0)
            )
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = member_mb * block
            with archive.open(info, "w") as member:
                member.write(b"\x89PNG\r\n\x1a\n")
                for _ in range(member_mb):
                    member.write(os.urandom(block))
            count += 1
    return count


def run(cli: str, *args: str) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stderr) of one assistantgit process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [cli, "-q", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"}
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}): {stderr.strip()}")
    return elapsed, usage.ru_maxrss / 1024, stderr  # ru_maxrss is in KiB on Linux


def digest(archive: zipfile.ZipFile, name: str) -> str:
    sha = hashlib.sha256()
    with archive.open(name) as member:
        while chunk := member.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def same(original: Path, rebuilt: Path) -> bool:
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(rebuilt) as b:
        if a.namelist() != b.namelist():
            return False
        for name in a.namelist():
            if name.endswith(".json"):
                if json.loads(a.read(name)) != json.loads(b.read(name)):
                    return False
            elif digest(a, name) != digest(b, name):
                return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024, help="size of the binary members in MB")
    parser.add_argument("--member-mb", type=int, default=4, help="size of one image member in MB")
    parser.add_argument("--cli", default=default_cli())
    parser.add_argument("--keep", action="store_true", help="keep benchmarks/_work/avaamo afterwards")
    options = parser.parse_args()

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    export, tree, out = WORK / NAME, WORK / "tree", WORK / "out"
    out.mkdir()
    start = time.perf_counter()
    members = build(export, options.mb, options.member_mb)
    size_mb = export.stat().st_size / 1024**2
    print(f"export: {export.name}, {size_mb:,.0f} MB, {members} members (built in {time.perf_counter() - start:.1f} s)")

    figures = {
        "pull": run(options.cli, "pull", str(export), "--dir", str(tree)),
        "re-pull (unchanged)": run(options.cli, "pull", str(export), "--dir", str(tree)),
        "push": run(options.cli, "push", "--dir", str(tree), "--out", str(out), "--platform-version", "8.2.0"),
    }
    ok = True
    for label, (seconds, peak, _err) in figures.items():
        verdict = "ok" if peak < PEAK_TARGET_MB else f"OVER the {PEAK_TARGET_MB} MB target"
        ok &= peak < PEAK_TARGET_MB
        print(f"{label:20s} {seconds:7.1f} s   peak RSS {peak:6.1f} MB   ({size_mb / seconds:,.0f} MB/s)   {verdict}")
    identical = same(export, out / NAME)
    print(f"rebuilt ZIP: same members, equal JSON, identical binaries: {'yes' if identical else 'NO'}")
    if not options.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    return 0 if ok and identical else 1


if __name__ == "__main__":
    sys.exit(main())
