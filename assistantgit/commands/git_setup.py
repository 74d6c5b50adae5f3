"""assistantgit git-setup and textconv: readable `git diff` / `git log -p` of raw exports."""

from __future__ import annotations

import sys
from pathlib import Path

from ..cliparse import Argument, Option
from ..console import out


def git_setup(
    pattern: list[str] | None = Option(
        None,
        "--pattern",
        "-p",
        help="A .gitattributes pattern of export files (repeatable).",
        show_default="**/exports/*.json",
    ),
    command: str | None = Option(
        None,
        "--command",
        help="The textconv command git runs.",
        show_default="this assistantgit's absolute path, then textconv: it works from any shell or IDE",
    ),
    dir: Path = Option(
        Path("."), "--dir", "-d", help="A folder inside the repository.", show_default="the current folder"
    ),
) -> int:
    """Make `git diff` and `git log -p` show exports as normalized source files, not one long line.

    Registers the diff driver in .git/config (diff.assistantgit.textconv) and adds
    `PATTERN diff=assistantgit` lines to .gitattributes (commit that file). Running it
    again changes nothing.

    Example: assistantgit git-setup --pattern 'exports/*.json' && git log -p exports/customer-care-dialog.json
    """
    from ..git.driver import DEFAULT_PATTERNS, setup
    from ..git.repo import open_repo  # its error says what git-setup needs: a repository

    repo = open_repo(dir)
    report = setup(repo, pattern or list(DEFAULT_PATTERNS), command)
    if not report.changed:
        out.info(f"git-setup: already set up (textconv = {report.textconv}); nothing changed")
        return 0
    if report.config_changed:
        out.info(f"git-setup: set {', '.join(report.config_changed)} in .git/config; textconv = {report.textconv}")
    if report.lines_added:
        out.info(f"git-setup: added to {report.attributes}: {'; '.join(report.lines_added)} (commit this file)")
    return 0


def textconv(
    file: Path = Argument(..., help="An export file (git passes a temporary copy).", show_default=False),
) -> int:
    """Print an export as its normalized source files (what git's diff driver shows).

    git runs this for files marked `diff=assistantgit` (see git-setup). A file that is not
    a skill export is printed unchanged.

    Example: assistantgit textconv exports/customer-care-dialog.json | less
    """
    from ..exportjson import read_export_bytes
    from ..git.driver import normalized_view

    view = normalized_view(read_export_bytes(file), str(file))
    sys.stdout.flush()
    sys.stdout.buffer.write(view)
    sys.stdout.buffer.flush()
    return 0
