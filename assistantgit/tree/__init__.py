"""Source trees on disk: the files a format owns, reading them, writing them safely, their names.

    Managed, owned_files(root, managed)     which files of a tree a format owns (files.py);
    walk_managed(root, managed)            ... and the other files in its folders
    read_text(path) / read_bytes(path)     a source file, never through a link, size-capped
    open_source(path)                      the same, streamed (large Avaamo members)
    check_no_links / make_folders          a path from a project's root without links
    owned_paths(paths, managed)            which paths of a listing (git's) a format owns
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
    LINK_REFUSED,
    MAX_SOURCE_BYTES,
    Managed,
    atomic_output,
    check_no_links,
    decode_source,
    display_path,
    make_folders,
    open_source,
    owned_files,
    owned_paths,
    read_bytes,
    read_text,
    refuse_overwrite,
    walk_managed,
    write_file_atomic,
)
from .journal import STAGING_PREFIX, settle
from .lock import tree_lock
from .write import WriteReport, write_tree

__all__ = [
    "LINK_REFUSED",
    "MAX_SOURCE_BYTES",
    "MAX_STEM",
    "STAGING_PREFIX",
    "Managed",
    "WriteReport",
    "assign_stems",
    "atomic_output",
    "check_no_links",
    "decode_source",
    "display_path",
    "make_folders",
    "open_source",
    "owned_files",
    "owned_paths",
    "read_bytes",
    "read_text",
    "refuse_overwrite",
    "settle",
    "short_hash",
    "slug",
    "tree_lock",
    "walk_managed",
    "write_file_atomic",
    "write_tree",
]
