"""assistantgit show: the dialog tree and the action flows, as an outline or Mermaid pictures."""

from __future__ import annotations

from pathlib import Path

from ..cliparse import Argument, Option
from ..console import no_color_env, out
from ..options import ShowFormat

# Outline styles as terminal colours (SGR codes); only used on a terminal without NO_COLOR.
COLOURS = {
    "heading": "1",
    "title": "1",
    "id": "2",
    "condition": "36",
    "jump": "35",
    "marker": "33",
    "problem": "31",
    "focus": "1;7",
    "tree": "2",
}


def show(
    item: str | None = Argument(
        None,
        metavar="[ITEM]",
        help="One dialog node or action, by id, title or file path: show its neighbourhood.",
        show_default=False,
    ),
    dir: Path | None = Option(
        None,
        "--dir",
        "-d",
        help="The source tree's folder.",
        show_default="the tree the current folder is in, else assistantgit.yaml's source",
    ),
    format: ShowFormat = Option(
        ShowFormat.text,
        "--format",
        "-f",
        help="text (an outline, colour on a terminal), mermaid (one flowchart) or markdown (flowcharts in ```mermaid blocks, large skills split).",
    ),
    depth: int | None = Option(
        None, "--depth", min=0, help="Levels of children to show (default: all; 1 around an ITEM).", show_default=False
    ),
) -> int:
    """Show the dialog tree or the actions' steps: titles, conditions, jumps, slots,
    handlers and folders. With ITEM, one node or action with its parent, siblings,
    children and the jumps that reach it or leave it.

    Mermaid output (GitHub and GitLab render it in markdown) never exceeds what Mermaid
    can draw: a large skill is drawn in parts (--format markdown) or bounded, with the
    rest counted in words.

    Example: assistantgit show 'Order status' --dir skills/customer-care --depth 2

    Example: assistantgit show --format markdown > flows.md
    """
    from ..flow import source
    from ..project.trees import announced, find_tree

    root = announced(find_tree(dir))
    with out.progress("Reading the tree") as progress:
        flows = source.read_flows(root, progress)
    found = source.find(flows, item, root) if item is not None else None
    if format is ShowFormat.text:
        from ..flow import outline

        if found is None:
            lines = outline.outline(flows, depth)
        else:
            lines = outline.neighbourhood(found[0], found[1].key, 1 if depth is None else depth)
        _print(lines)
        return 0
    from ..flow import pictures
    from ..tree import display_path

    if found is not None:
        diagrams = [pictures.neighbourhood(found[0], found[1].key, 1 if depth is None else depth)]
    elif format is ShowFormat.mermaid:
        diagrams = [pictures.overview(flow, depth) for flow in flows]
    else:
        out.result(pictures.markdown(flows, depth).rstrip("\n"))
        return 0
    if format is ShowFormat.markdown:
        out.result("\n\n".join(pictures.fenced(d.text) for d in diagrams))
    else:
        if len(diagrams) > 1:
            out.warning(
                f"{display_path(root)}: holds {len(diagrams)} flows; one diagram per flow follows (--format markdown "
                "puts each in its own block)"
            )
        out.result("\n\n".join(d.text.rstrip("\n") for d in diagrams))
    for diagram in diagrams:
        if diagram.left_out:
            out.warning(f"the picture leaves out {diagram.left_out}; --format markdown draws every part")
    return 0


def _print(lines) -> None:
    import sys

    colour = not out.no_color and not no_color_env() and sys.stdout.isatty()
    text = "\n".join(
        "".join(
            f"\033[{COLOURS[style]}m{segment}\033[0m" if colour and style in COLOURS and segment else segment
            for segment, style in line
        )
        for line in lines
    )
    out.result(text)
