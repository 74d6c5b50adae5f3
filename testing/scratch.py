"""The test run's temporary files in memory when the machine offers it (Linux's /dev/shm)."""

from __future__ import annotations

import os
import stat
import sys
import tempfile

MEMORY_FOLDER = "/dev/shm"
# A full run used at most ~310 MB of its temp folder at once (the README's fresh clone holds a virtualenv);
# with less free than this (Docker gives /dev/shm 64 MB) the disk is used, as before.
NEEDED_FREE_BYTES = 2 << 30


def keep_temporary_files_in_memory() -> str | None:
    """Point TMPDIR (pytest's tmp_path, tempfile, every process the tests start) at a
    private folder in /dev/shm; return it, or None when the run keeps the default.

    The suite creates and removes tens of thousands of files. On the CI machine's ext4
    disk (mounted with `discard`) that cost 129 s of kernel time in a full run, on tmpfs
    41 s: 218 s of wall time became 168 s (issue 13). What the tests check is unchanged:
    they create, rename, lock and kill on a real file system either way.

    A TMPDIR the user set wins, and so does ASSISTANTGIT_TEST_TMP=disk. The folder is
    this user's own (0700, not a link, owned by us) or it is not used: /dev/shm is
    shared by every user of the machine."""
    if os.environ.get("TMPDIR") or os.environ.get("ASSISTANTGIT_TEST_TMP") == "disk":
        return None
    if not sys.platform.startswith("linux"):
        return None
    folder = os.path.join(MEMORY_FOLDER, "assistantgit-tests-%d" % os.getuid())
    try:
        space = os.statvfs(MEMORY_FOLDER)
        if space.f_bavail * space.f_frsize < NEEDED_FREE_BYTES:
            return None
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = None  # gettempdir() looks again, now at TMPDIR
    return folder
