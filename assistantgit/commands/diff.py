"""assistantgit diff: what changed in the assistant, item by item, for review and CI."""

from __future__ import annotations

from pathlib import Path

from ..cliparse import Argument, Option
from ..console import no_color_env, out
from ..options import DiffFormat


def diff(
    first: str = Argument(
        None, metavar="A", help="Revision, export file or tree folder (default: HEAD).", show_default=False
    ),
    second: str = Argument(
        None,
        metavar="B",
        help="Revision, export file or tree folder (default: the working tree).",
        show_default=False,
    ),
    dir: Path | None = Option(
        None,
        "--dir",
        "-d",
        help="The source tree's folder (inside the repository, for revisions).",
        show_default="the tree the current folder is in, else assistantgit.yaml's sources, else every tree below",
    ),
    format: DiffFormat = Option(
        DiffFormat.text,
        "--format",
        "-f",
        help="text (colour on a terminal), markdown (a pull-request comment) or json.",
    ),
    exit_code: bool = Option(
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
    from ..git.revisions import sides

    if _names_its_sides(first, second):
        compared = [_compared(*sides(first, second, Path(".")))]
    else:
        from ..project.trees import describe, find_trees

        trees = find_trees(dir)
        line = describe(trees)
        if line:
            out.info(line)
        compared = [_compared(*sides(first, second, tree.root)) for tree in trees]
    _print(compared, format)
    return 1 if exit_code and any(result.changes for _, _, result in compared) else 0


def _compared(left, right):
    """Both sides and their semantic diff: the markdown's pictures read the sides again."""
    from ..diff import compare

    return left, right, compare(left, right)


def _names_its_sides(first: str | None, second: str | None) -> bool:
    """Both sides are files or folders (or REV:PATH), so no tree has to be found."""
    return all(arg is not None and (Path(arg).exists() or ":" in arg) for arg in (first, second))


def _print(compared: list, format: DiffFormat) -> None:
    """One tree's diff as before; several trees' one after the other (json: a list)."""
    import json

    from ..diff.render import markdown, text_lines

    results = [result for _, _, result in compared]
    if format is DiffFormat.json:
        documents = [result.to_json() for result in results]
        out.result(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2, ensure_ascii=False))
    elif format is DiffFormat.markdown:
        from ..flow import diffpictures

        parts = [markdown(result, diffpictures.sections(left, right, result)) for left, right, result in compared]
        out.result("\n\n".join(part.rstrip("\n") for part in parts))
    else:
        lines: list = []
        for result in results:
            lines += ([("", None)] if lines else []) + text_lines(result)
        _print_text(lines)


def _print_text(lines) -> None:
    import sys

    if out.no_color or no_color_env() or not sys.stdout.isatty():
        out.result("\n".join(line for line, _ in lines))
        return
    from rich.text import Text

    console = out.console()
    for line, style in lines:
        console.print(Text(line, style=style or ""), soft_wrap=True)
