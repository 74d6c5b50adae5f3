"""Where the tests find the project, its samples and the shared corpus of real exports."""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE_REPO = PROJECT / "sample-repo"
SAMPLE_DIALOG = SAMPLE_REPO / "exports" / "customer-care-dialog.json"
# Real public exports (../shared/corpus): present in CI and on developer machines; tests that
# use them say what they skip when it is absent.
SHARED_CORPUS = PROJECT.parent / "shared" / "corpus"


def corpus_files(kind: str) -> list[Path]:
    folder = SHARED_CORPUS / kind
    return sorted(folder.glob("*.json")) if folder.is_dir() else []
