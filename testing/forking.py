"""Reads that fork however few their files (tree/fastread.py), for the tests that compare them
with reads in one process."""

from __future__ import annotations

import os
import select

from assistantgit import forked
from assistantgit.tree import fastread


def fork_every_read(monkeypatch) -> list:
    """From now on every fast read forks, whatever the machine's load and however few its
    files; returns the list of (Ahead, pid) of each child started. The parent starts only
    once the child's first answer is in the pipe, so the child's work is used."""
    started: list = []
    ahead = forked.Ahead

    def start(produce):
        child = ahead(produce)
        started.append((child, child.pid))
        first: list = []
        while not first and child.fd is not None:
            select.select([child.fd], [], [], 30)
            first = child.ready_spans()
        assert first, "the child sent no answer"  # (a test whose child fails at once would prove nothing)
        taken = child.ready_spans

        def ready_spans() -> list:  # (Ahead.ready takes its items from ready_spans too)
            nonlocal first
            spans, first = first + taken(), []
            return spans

        child.ready_spans = ready_spans  # type: ignore[method-assign]
        return child

    monkeypatch.setattr(forked, "usable", lambda: True)
    monkeypatch.setattr(forked, "room_for_child", lambda: True)
    monkeypatch.setattr(forked, "Ahead", start)
    monkeypatch.setattr(fastread, "MIN_FILES", 1)
    return started


def reaped(pid: int) -> bool:
    """Whether the child is gone, reaped (no zombie left)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False
