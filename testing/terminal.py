"""The CLI as a person at a terminal runs it: its standard output on a pseudo-terminal, so
that colour and progress decide as they would there."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import tempfile
from dataclasses import dataclass


@dataclass
class TerminalRun:
    code: int
    out: str  # what the terminal showed
    err: str  # standard error when it went elsewhere ("" with stderr_too)


def run_on_a_terminal(args, cwd=None, env=None, stderr_too: bool = False) -> TerminalRun:
    """Run `assistantgit ARGS` with stdout on a pseudo-terminal; stderr there too with
    stderr_too, else into a file (never a pipe nobody reads while the terminal is read)."""
    leader, follower = pty.openpty()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistantgit", *map(str, args)],
            cwd=cwd,
            stdout=follower,
            stderr=follower if stderr_too else errors,
            env=env,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
        os.close(leader)
        errors.seek(0)
        err = errors.read().decode("utf-8", "replace")
    return TerminalRun(process.returncode, b"".join(chunks).decode("utf-8", "replace"), err)
