"""assistantgit push: the source tree into an upload-ready export file."""
from __future__ import annotations

from pathlib import Path

import typer

from ..console import out


def push(
    dir: Path = typer.Option(Path("."), "--dir", "-d", help="The source tree to read.", show_default="the current folder"),
    out_file: Path = typer.Option(..., "--out", "-o", help="The file to write (.json, or .zip for the published-version ZIP).", show_default=False),
) -> int:
    """Reassemble the source tree into one upload-ready export.

    The JSON is a single line of UTF-8 without BOM, with no raw tab, newline or carriage
    return, at most 10 MB: what the vendor's upload page accepts. The file is written to
    a temporary name first, so a failed push never leaves a half-written file.

    Example: assistantgit push --dir skills/customer-care --out upload.json
    """
    from ..pipeline import push_file

    with out.progress("Reading files") as progress:
        format_name, size = push_file(dir, out_file, progress)
    out.info(f"Wrote {out_file} ({format_name}, {size:,} bytes) from {dir}")
    return 0
