"""assistantgit diff: what changed in the assistant, item by item, for review and CI."""

from __future__ import annotations

from pathlib import Path

import typer

from ..console import no_color_env, out
from ..options import DiffFormat


def diff(
    first: str = typer.Argument(
        None, metavar="[A]", help="Revision, export file or tree folder (default: HEAD).", show_default=False
    ),
    second: str = typer.Argument(
        None,
        metavar="[B]",
        help="Revision, export file or tree folder (default: the working tree).",
        show_default=False,
    ),
    dir: Path = typer.Option(
        Path("."),
        "--dir",
        "-d",
        help="The source tree's folder (inside the repository, for revisions).",
        show_default="the current folder",
    ),
    format: DiffFormat = typer.Option(
        DiffFormat.text,
        "--format",
        "-f",
        help="text (colour on a terminal), markdown (a pull-request comment) or json.",
    ),
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Exit with 1 when there are differences, 0 when there are none."
    ),
) -> int:
    """Show what changed between two versions of a skill, per intent, entity, dialog node...

    A and B are git revisions (read from git objects, no checkout), REV:PATH (an export
    or a tree folder inside a revision), export files, or source-tree folders. No argument:
    HEAD against the working tree; one: A against the working tree. Ordering, formatting
    and volatile fields (timestamps, ids of the copy) never show as differences.

    Example: assistantgit diff origin/main HEAD --dir skills/customer-care --format markdown
    """
    from ..diff import compare
    from ..diff.render import markdown, render, text_lines
    from ..git.revisions import sides

    left, right = sides(first, second, dir)
    result = compare(left, right)
    if format is DiffFormat.text:
        _print_text(text_lines(result))
    elif format is DiffFormat.markdown:
        from ..flow import diffpictures

        out.result(markdown(result, diffpictures.sections(left, right, result)).rstrip("\n"))
    else:
        out.result(render(result, format).rstrip("\n"))
    return 1 if exit_code and result.changes else 0


def _print_text(lines) -> None:
    import sys

    if out.no_color or no_color_env() or not sys.stdout.isatty():
        out.result("\n".join(line for line, _ in lines))
        return
    from rich.text import Text

    console = out.console()
    for line, style in lines:
        console.print(Text(line, style=style or ""), soft_wrap=True)
