"""pipeline's reading side: what a push does to the process around it."""

from __future__ import annotations

import gc
import shutil

import pytest

from assistantgit import pipeline
from assistantgit.errors import InputError
from testing.paths import SAMPLE_REPO


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("broken", [False, True])
def test_building_an_export_leaves_the_cycle_collector_as_it_found_it(enabled, broken, tmp_path):
    """build_export turns the cycle collector off while it reads (a fast path): it must be
    back as it was afterwards, after a refusal too, and nothing may stay frozen."""
    tree = tmp_path / "tree"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", tree)
    if broken:
        node = sorted((tree / "dialog_nodes").iterdir())[0]
        node.write_text(node.read_text(encoding="utf-8").replace("dialog_node:", "dialog_node: [1]\nx:", 1))
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        if broken:
            with pytest.raises(InputError):
                pipeline.build_export(tree)
        else:
            _fmt, export = pipeline.build_export(tree)
            assert export["dialog_nodes"]
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == 0
    finally:
        (gc.enable if was else gc.disable)()
