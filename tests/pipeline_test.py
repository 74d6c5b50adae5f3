"""pipeline's pull side: what it leaves of the interpreter's state behind it."""

from __future__ import annotations

import gc

import pytest

from assistantgit.errors import InputError
from assistantgit.pipeline import pull_file
from testing.paths import SAMPLE_DIALOG


def test_a_pull_pauses_the_cycle_collector_and_gives_it_back(tmp_path):
    # pull turns gc off for its bulk work (issue 14); a library caller's gc must be on afterwards,
    # after a failed pull too, and stay off for a caller that had turned it off
    assert gc.isenabled()
    during: list[bool] = []
    pull_file(SAMPLE_DIALOG, tmp_path / "tree", progress=lambda done, total: during.append(gc.isenabled()))
    assert during and not any(during)
    assert gc.isenabled()
    broken = tmp_path / "broken.json"
    broken.write_text('{"intents": [}', encoding="utf-8")
    with pytest.raises(InputError):
        pull_file(broken, tmp_path / "other")
    assert gc.isenabled()
    gc.disable()
    try:
        pull_file(SAMPLE_DIALOG, tmp_path / "tree")
        assert not gc.isenabled()
    finally:
        gc.enable()
