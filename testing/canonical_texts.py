"""Canonical texts for the reader's and the counter's tests: a tree's files, and each of
them with lines re-spelled (a canonical line turned into one the style may not write)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path


def tree_texts(root: Path) -> list[str]:
    """The text of every YAML file under `root`, in path order."""
    return [path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.yaml")) if path.is_file()]


def respelled(text: str, tokens_for: Callable[[str], Iterable[str]], lines_tried: int) -> Iterator[str]:
    """`text` with one line re-spelled at a time, about `lines_tried` lines spread over it:
    the value after the line's `: ` or `- ` (or the whole line) becomes each of
    `tokens_for(line)` in turn."""
    lines = text.split("\n")
    for index in range(0, len(lines) - 1, max(1, len(lines) // lines_tried)):
        head = lines[index]
        cut = max(head.find(": "), head.find("- "))
        for token in tokens_for(head):
            edited = lines.copy()
            edited[index] = head[: cut + 2] + token if cut >= 0 else token
            yield "\n".join(edited)
