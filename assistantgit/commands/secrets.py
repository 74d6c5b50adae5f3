"""assistantgit secrets: which secret placeholders a tree holds, and where their values come from."""

from __future__ import annotations

from pathlib import Path

import typer

from ..console import out

app = typer.Typer(
    help=(
        "The ${ASSISTANTGIT_...} placeholders pull put in place of credentials, and where push fills them from."
        "\n\nExample: assistantgit secrets list"
    ),
    no_args_is_help=True,
)


@app.command("list")
def list_secrets(
    dir: Path | None = typer.Option(
        None,
        "--dir",
        "-d",
        help="The source tree.",
        show_default="the tree the current folder is in, else assistantgit.yaml's source",
    ),
) -> int:
    """List each placeholder, where push takes its value from (environment, local store,
    missing) and the files that use it. Values are never printed.

    The local store is the tree's .assistantgit/secrets.env: what pull took out, on the
    machine that pulled (owner-only, never committed). An environment variable wins.

    Example: assistantgit secrets list
    """
    from ..local_secrets import MISSING, origins, store_path
    from ..project.trees import announced, find_tree
    from ..tree import display_path

    root = announced(find_tree(dir))
    used = _tree_placeholders(root)
    if not used:
        out.info(f"{display_path(root)}: no secret placeholders")
        return 0
    where = origins(root, sorted(used))
    width = max(map(len, used))
    for name in sorted(used):
        files = ", ".join(sorted(used[name]))
        out.result(f"{name:<{width}}  {where[name]:<11}  {files}")
    missing = sum(origin == MISSING for origin in where.values())
    summary = f"{len(used)} placeholder{'s' * (len(used) != 1)}; local store: {display_path(store_path(root))}"
    if missing:
        summary += f"; {missing} missing: export them (or pull the export on this machine) before a push"
    out.info(summary)
    return 0


def _tree_placeholders(root: Path) -> dict[str, set[str]]:
    """{variable name: the tree's files (relative paths) that hold its placeholder}."""
    from .. import canonical
    from ..formats.registry import tree_format
    from ..secrets import placeholders
    from ..tree import owned_files, read_text

    found: dict[str, set[str]] = {}
    for rel in sorted(owned_files(root, tree_format(root).managed())):
        if not rel.endswith(".yaml"):
            continue
        text = read_text(root / rel)
        if "${ASSISTANTGIT_" not in text:
            continue
        for name in placeholders(canonical.loads(text, str(root / rel))):
            found.setdefault(name, set()).add(rel)
    return found
