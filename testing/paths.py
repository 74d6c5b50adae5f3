"""Where the tests find the project, its samples and the shared corpus of real exports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE_REPO = PROJECT / "sample-repo"
SAMPLE_DIALOG = SAMPLE_REPO / "exports" / "customer-care-dialog.json"
# Real public exports (../shared/corpus): present in CI and on developer machines; tests that
# use them say what they skip when it is absent. ASSISTANTGIT_TEST_CORPUS names another place
# (tests/corpus_skip_test.py points it nowhere to check what the suite says without it).
SHARED_CORPUS = Path(os.environ.get("ASSISTANTGIT_TEST_CORPUS") or PROJECT.parent / "shared" / "corpus")


def corpus_files(kind: str) -> list[Path]:
    folder = SHARED_CORPUS / kind
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def corpus_cases(kind: str, limit: int | None = None, names: bool = False) -> list:
    """Parameters for a test run once per corpus export of a kind (its path, or its name).

    Without the corpus, one case that skips saying which folder is missing, instead of
    pytest's bare "got empty parameter set"."""
    files = corpus_files(kind)[:limit]
    if files:
        return [pytest.param(p.name if names else p, id=p.name) for p in files]
    reason = (
        f"{SHARED_CORPUS / kind} is not present (the shared corpus of real exports: in CI and on developer machines)"
    )
    return [pytest.param(None, id="no-corpus", marks=pytest.mark.skip(reason=reason))]
