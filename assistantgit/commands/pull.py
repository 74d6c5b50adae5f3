"""assistantgit pull: an export file into the source tree."""
from __future__ import annotations

from pathlib import Path

import typer

from ..console import out


def pull(
    export: Path = typer.Argument(..., help="The downloaded export: a skill JSON, or a ZIP.", show_default=False),
    dir: Path = typer.Option(Path("."), "--dir", "-d", help="The source tree to write.", show_default="the current folder"),
) -> int:
    """Explode an export into stable, reviewable files (one per intent, entity, dialog node...).

    Only the files assistantgit manages are replaced; README, .git and other files stay.
    Pulling the same content again changes no byte.

    Example: assistantgit pull ~/Downloads/customer-care-dialog.json --dir skills/customer-care
    """
    from ..pipeline import pull_file

    with out.progress("Writing files") as progress:
        pulled = pull_file(export, dir, progress)
    report = pulled.report
    out.info(
        f"Pulled {export} ({pulled.format_name}) into {dir}: {len(report.created)} created, "
        f"{len(report.changed)} changed, {len(report.deleted)} deleted, {report.unchanged} unchanged"
    )
    return 0
