"""Source trees on disk: the files a format owns, reading them, writing them safely, their names.

    Managed, owned_files(root, managed)     which files of a tree a format owns (files.py)
    owned_paths(paths, managed)            the same, of a listing (git's)
    read_text(path)                        a source file's text, one-line errors
    write_tree(root, files, managed)       all-or-nothing pull into a tree (write.py)
    settle(root)                           finish or undo a pull that was killed (journal.py)
    tree_lock(root)                        one writer per tree at a time (lock.py)
    atomic_output / write_file_atomic      one output file replaced atomically
    refuse_overwrite(path, force)          an existing output file needs --force
    display_path(path)                     how messages name a file
    slug, assign_stems, short_hash         portable, stable file names (filenames.py)

Finding and opening a tree of some format (find_root, group_by_tree, open_tree,
SourceFile) is tree/source.py: it sits above the format registry, this package below it.
"""

from __future__ import annotations

from .filenames import MAX_STEM, assign_stems, short_hash, slug
from .files import (
    Managed,
    atomic_output,
    display_path,
    owned_files,
    owned_paths,
    read_text,
    refuse_overwrite,
    write_file_atomic,
)
from .journal import STAGING_PREFIX, settle
from .lock import tree_lock
from .write import WriteReport, write_tree

__all__ = [
    "MAX_STEM",
    "STAGING_PREFIX",
    "Managed",
    "WriteReport",
    "assign_stems",
    "atomic_output",
    "display_path",
    "owned_files",
    "owned_paths",
    "read_text",
    "refuse_overwrite",
    "settle",
    "short_hash",
    "slug",
    "tree_lock",
    "write_file_atomic",
    "write_tree",
]
