"""AG7xx: files in the canonical form, so diffs stay small and pulls change nothing."""

from __future__ import annotations

from ...errors import InputError
from .._core import ERROR, rule


def first_difference(old: str, new: str) -> int:
    """1-based line of the first difference between two texts."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    for number, (a, b) in enumerate(zip(old_lines, new_lines), 1):
        if a != b:
            return number
    return min(len(old_lines), len(new_lines))


@rule("AG701", ERROR, "a file not in canonical form (what `assistantgit fmt --check` reports)")
def canonical_form(tree):
    from ...canonical import format_text
    from ...formats.collection import normalizer
    from ...tree import display_path
    from .._cache import canonical_key

    key = canonical_key(tree.fmt.name)
    for source in tree.yaml_selected(known_only=True):
        rel = source.rel
        if tree.cache is not None and tree.cache.known(source, key) is True:
            continue  # canonical when fmt or validate last read it, and unchanged since
        source.load()
        if source.error:
            continue
        try:
            wanted = format_text(source.text, normalizer(tree.fmt, source.kind), rel, source.data, source.canonical)
        except InputError:
            continue
        if wanted == source.text and tree.cache is not None:
            tree.cache.put(source, key, True)
        if wanted != source.text:
            line = first_difference(source.text, wanted)
            yield (
                rel,
                (),
                f"not in canonical form (first difference on line {line}); run: assistantgit fmt {display_path(source.path)}",
                (line, 1),
            )
