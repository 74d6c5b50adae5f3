"""The semantic diff: which intents, entities, dialog nodes... changed between two sides, and how.

    compare(left, right) -> SemanticDiff      (compare.py; field details in fields.py)
    from_tree / from_export_file / from_export_bytes -> ItemSet   (sources.py)
    render.text / render.markdown / render.to_json                (render.py)

A side from a git revision comes from git/revisions.py: this package knows nothing of git.
"""

from __future__ import annotations

from .compare import STATUSES, ItemChange, Kind, SemanticDiff, compare
from .fields import Detail
from .sources import Entry, ItemSet, blob_id, from_export_bytes, from_export_file, from_tree

__all__ = [
    "STATUSES",
    "Detail",
    "Entry",
    "ItemChange",
    "ItemSet",
    "Kind",
    "SemanticDiff",
    "blob_id",
    "compare",
    "from_export_bytes",
    "from_export_file",
    "from_tree",
]
