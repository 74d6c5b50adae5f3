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


def texts_and_values(edges: list[str], list_size: int, max_leaves: int):
    """Hypothesis strategies (texts, JSON-like values) whose texts sit on the style's edges."""
    from hypothesis import strategies as st

    text = st.one_of(st.text(max_size=12), st.sampled_from(edges + ["a\nb", "a\n", "a\n\n", "\nx", "x \ny", "a\n  b"]))
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text)
    json_like = st.recursive(
        scalars,
        lambda children: st.one_of(st.lists(children, max_size=list_size), st.dictionaries(text, children, max_size=4)),
        max_leaves=max_leaves,
    )
    return text, json_like


EDITS = ("chars", "value", "swap", "indent", "drop")


def hand_edited(written: str, draw, tokens: list[str], ways: tuple[str, ...] = EDITS) -> str:
    """`written` changed the way a hand or a tool changes a file: a few characters, a value
    re-spelled as one of `tokens`, two lines swapped, a line re-indented or removed."""
    from hypothesis import strategies as st

    lines = written[:-1].split("\n")
    where = draw(st.integers(0, len(lines) - 1))
    line = lines[where]
    how = draw(st.sampled_from(ways))
    if how == "chars":
        position = draw(st.integers(0, len(written)))
        inserted = draw(st.text(alphabet=st.sampled_from(' -:#"\\|+\n{}[]a1.e0u'), max_size=3))
        return written[:position] + inserted + written[position + draw(st.integers(0, 3)) :]
    if how == "value":
        cut = max(line.find(": "), line.find("- "))
        line = (line[: cut + 2] if cut >= 0 else line + ": ") + draw(st.sampled_from(tokens))
    elif how == "swap" and where + 1 < len(lines):
        lines[where], line = line, lines[where + 1]
        where += 1
    elif how == "drop" and len(lines) > 1:
        del lines[where]
        return "\n".join(lines) + "\n"
    else:
        line = line[2:] if line.startswith("  ") and draw(st.booleans()) else "  " + line
    lines[where] = line
    return "\n".join(lines) + "\n"
