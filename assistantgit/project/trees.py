"""Which source tree (or trees) a command acts on, found the same way for every command.

`--dir` wins. Otherwise, from the current folder:

1. the nearest tree root at or above it (a root file with `format:`), so a command run
   anywhere inside a tree acts on that tree;
2. else the trees `assistantgit.yaml` names (`source:` or `sources:`), found in the
   current folder or its nearest parent;
3. else, for the commands that check or compare several trees (validate, fmt, diff),
   every tree found below the current folder (git-ignored folders skipped);
4. else, for `pull EXPORT` only, the current folder when it is empty: a new tree.

Commands print `describe()` as their first line when the tree was not named on the
command line, so nobody wonders which of a repository's trees was pulled or pushed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

# Why a tree was chosen, as the first line of a command says it.
GIVEN = "given"
ABOVE = "the tree this folder is in"
PROJECT = "assistantgit.yaml"
BELOW = "found below the current folder"
NEW = "the current folder, empty: a new tree"
SHOWN = 5  # trees named in the first line; each has its own summary line anyway


@dataclass(frozen=True)
class Located:
    """A tree folder a command acts on, and why it was chosen."""

    root: Path
    why: str = GIVEN

    @property
    def explicit(self) -> bool:
        return self.why == GIVEN


def describe(trees: list[Located]) -> str | None:
    """The line a command starts with when it chose its tree(s) itself, else None."""
    if not trees or all(t.explicit for t in trees):
        return None
    why = trees[0].why
    names = ", ".join(shown(t.root) for t in trees[:SHOWN])
    if len(trees) > SHOWN:
        names += f" and {len(trees) - SHOWN} more"
    reason = f"{PROJECT}'s source" + ("s" if len(trees) > 1 else "") if why == PROJECT else why
    return f"{'Trees' if len(trees) > 1 else 'Tree'}: {names} ({reason})"


def announced(located: Located) -> Path:
    """The tree's folder, after saying which it is (on stderr) when the command line did not name it."""
    from ..console import out

    line = describe([located])
    if line:
        out.info(line)
    return located.root


def shown(folder: Path) -> str:
    """A folder as messages name it: relative to the current folder when inside it."""
    from ..tree import display_path

    return display_path(folder)


def find_tree(given: Path | None, start: Path | None = None, new: bool = False) -> Located:
    """The one tree a command acts on (pull EXPORT, push --out, and the environment commands).

    `new`: the tree may not exist yet (pull), so the project's source or an empty current
    folder will do.
    """
    if given is not None:
        return Located(_relative(_checked_folder(given, must_exist=not new)))
    here = Path(start or Path.cwd())
    root = _root_above(here)
    if root is not None:
        return Located(_relative(root), ABOVE)
    project = _project(here)
    if project is not None:
        return _one_of_project(project, here, new)
    if new and _is_empty(here):
        return Located(_relative(here.resolve()), NEW)
    raise InputError(_nothing_found(here, new))


def find_trees(given: Path | None, start: Path | None = None) -> list[Located]:
    """The trees validate, fmt and diff act on when no file is named: the tree above, the
    project's sources, or every tree below the current folder."""
    if given is not None:
        return [Located(_relative(_checked_folder(given, must_exist=True)))]
    here = Path(start or Path.cwd())
    root = _root_above(here)
    if root is not None:
        return [Located(_relative(root), ABOVE)]
    project = _project(here)
    if project is not None:
        return [_existing(Located(folder, PROJECT)) for folder in _project_folders(project)]
    from ..tree.source import trees_below

    below = trees_below(here)
    if below:
        return [Located(_relative(folder), BELOW) for folder in below]
    raise InputError(_nothing_found(here, False))


# --- helpers ---------------------------------------------------------------------------------------


def _checked_folder(folder: Path, must_exist: bool) -> Path:
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file; --dir names the source tree's folder (the one holding skill.yaml)")
    if must_exist and not folder.exists():
        raise InputError(f"{folder}: no such folder")
    return folder


def _root_above(here: Path) -> Path | None:
    from ..tree.source import find_root

    return find_root(here.resolve())


def _project(here: Path):
    """The project around `here`, or None; a broken assistantgit.yaml is an error, not ignored."""
    from .config import PROJECT_FILE, load_project

    current = here.resolve()
    if not any((folder / PROJECT_FILE).is_file() for folder in (current, *current.parents)):
        return None
    return load_project(current)


def _project_folders(project) -> list[Path]:
    return [_relative(project.root / source) for source in project.source_list]


def _one_of_project(project, here: Path, new: bool) -> Located:
    folders = _project_folders(project)
    if len(folders) == 1:
        chosen = folders[0]
    else:
        current = here.resolve()
        inside = [f for f in folders if current == f.resolve() or f.resolve() in current.parents]
        if not inside:
            names = ", ".join(shown(f) for f in folders)
            raise InputError(
                f"{shown(project.root / 'assistantgit.yaml')}: names {len(folders)} trees ({names}); "
                "run the command inside one of them, or name one with --dir"
            )
        chosen = inside[0]
    located = Located(chosen, PROJECT)
    return located if new else _existing(located)


def _existing(located: Located) -> Located:
    if not located.root.is_dir():
        raise InputError(
            f"{shown(located.root)}: no source tree yet (assistantgit.yaml names it); "
            f"create it with 'assistantgit pull EXPORT' (it writes there)"
        )
    return located


def _is_empty(folder: Path) -> bool:
    try:
        return not any(not entry.name.startswith(".") for entry in os.scandir(folder))
    except OSError:
        return False


def _relative(folder: Path) -> Path:
    """Relative to the current folder when one is inside the other, so messages stay short
    and a report never mixes absolute and relative paths."""
    from ..tree.files import tree_root_as_shown

    return tree_root_as_shown(folder)


def _nothing_found(here: Path, new: bool) -> str:
    where = shown(here.resolve())
    if new:
        return (
            f"{where}: no source tree here or above, no assistantgit.yaml, and the folder is not empty; "
            "name the tree's folder with --dir (pull creates it)"
        )
    return (
        f"{where}: no source tree here or above (no skill.yaml with a format:), none below, and no assistantgit.yaml; "
        "name the tree's folder with --dir, or create one with 'assistantgit pull EXPORT --dir FOLDER'"
    )


def project_tree(project, given: Path | None) -> Located:
    """The tree an environment command (pull/push --env, promote) acts on: --dir, else the
    project's source (a project with environments names one)."""
    if given is not None:
        return Located(_checked_folder(given, must_exist=False))
    return Located(_relative(project.root / project.source), PROJECT)


def named_or_found(paths, given: Path | None) -> tuple[dict, str | None]:
    """validate's and fmt's trees: {tree root: the files named in it} and the line that says
    which trees were found (None when files or --dir named them)."""
    from ..tree.source import group_by_tree

    if paths:
        groups = group_by_tree(paths, given)
        return {(_relative(root) if root is not None else None): named for root, named in groups.items()}, None
    trees = find_trees(given)
    return {tree.root: [] for tree in trees}, describe(trees)
