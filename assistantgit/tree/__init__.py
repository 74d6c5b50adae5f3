"""Source trees on disk: the files a format owns, reading them, writing them safely, their names.

    Managed, owned_files(root, managed)     which files of a tree a format owns (files.py)
    read_text(path)                        a source file's text, one-line errors
    write_tree(root, files, managed)       all-or-nothing pull into a tree (write.py)
    atomic_output / write_file_atomic      one output file replaced atomically
    display_path(path)                     how messages name a file
    slug, assign_stems, short_hash         portable, stable file names (filenames.py)

Finding and opening a tree of some format (find_root, group_by_tree, open_tree,
SourceFile) is tree/source.py: it sits above the format registry, this package below it.
"""

from __future__ import annotations

from .filenames import MAX_STEM, assign_stems, short_hash, slug
from .files import Managed, atomic_output, display_path, owned_files, read_text, write_file_atomic
from .write import STAGING_PREFIX, WriteReport, write_tree

__all__ = [
    "MAX_STEM",
    "STAGING_PREFIX",
    "Managed",
    "WriteReport",
    "assign_stems",
    "atomic_output",
    "display_path",
    "owned_files",
    "read_text",
    "short_hash",
    "slug",
    "write_file_atomic",
    "write_tree",
]
