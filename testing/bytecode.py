"""Bytecode for the test run, even under PYTHONDONTWRITEBYTECODE."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_bytecode_outside_the_checkout() -> None:
    """Under PYTHONDONTWRITEBYTECODE every xdist worker re-rewrote every test module's asserts
    (collection: 6.9 s of CPU instead of 2.7 s) and every `python -m assistantgit` the tests
    start compiled the package again. The test run keeps bytecode in a cache folder outside
    the checkout instead, for this process and the processes it starts (xdist's workers
    among them), so the checkout stays as clean as the variable asked."""
    if not (sys.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE")):
        return
    prefix = os.environ.get("PYTHONPYCACHEPREFIX") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assistantgit-tests" / "pycache"
    )
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False
