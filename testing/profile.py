"""How much the test run does: the default is the fast local run; ASSISTANTGIT_TESTS=full
(what .ci/run sets) adds the tests marked `slow` and runs every property test with its
full number of examples (the hypothesis profile `ci`, also selectable alone with
HYPOTHESIS_PROFILE=ci)."""

from __future__ import annotations

import os

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
