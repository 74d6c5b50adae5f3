"""How much the test run does: the default is the fast local run; ASSISTANTGIT_TESTS=full
(what .ci/run sets) adds the tests marked `slow` and runs every property test with its
full number of examples (the hypothesis profile `ci`, also selectable alone with
HYPOTHESIS_PROFILE=ci)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

FULL = os.environ.get("ASSISTANTGIT_TESTS") == "full"
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if FULL else "dev")

settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """A property test's number of examples: `count` in the ci profile, a thirtieth (at least
    5) in dev, so the local run stays fast and CI still searches hard."""
    return count if PROFILE == "ci" else max(5, count // 30)


def sweep(files: list[Path], ids=lambda path: path.name) -> list:
    """Parameters for a test that runs once per export of a sweep (the shared corpus): the
    smallest export runs in every run, so the default run still exercises the behaviour on a
    real export; the others are marked `slow` and run in the full suite (.ci/run)."""
    smallest = min(files, key=lambda path: path.stat().st_size, default=None)
    return [pytest.param(path, id=ids(path), marks=() if path == smallest else pytest.mark.slow) for path in files]
