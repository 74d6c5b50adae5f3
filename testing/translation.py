"""Helpers for the translate tests: fill a translation file's targets the way a translator's
tool would (through translate-toolkit, not through assistantgit), and compare trees."""

from __future__ import annotations

from pathlib import Path


def fill(path: Path, translate) -> int:
    """Set every unit's target to translate(source) in an XLIFF 2.0, PO or CSV file; returns the unit count."""
    from translate.storage import csvl10n, po, xliff2

    raw = path.read_bytes()
    if path.suffix == ".xlf":
        store = xliff2.Xliff2File.parsestring(raw)
    elif path.suffix == ".po":
        store = po.pofile.parsestring(raw)
    else:
        store = csvl10n.csvfile()
        store.parse(raw)
        store.escape_formulas = True
    units = [unit for unit in store.units if not unit.isheader()]
    for unit in units:
        source = str(unit.source)
        if path.suffix == ".csv" and source[:1] == "'" and source[1:2] in "=+-@":
            source = source[1:]
        unit.target = translate(source)
    path.write_bytes(bytes(store))
    return len(units)


def tree_bytes(root: Path) -> dict:
    """Every file the tree's format owns, as bytes (what a pull would compare)."""
    from assistantgit.pipeline import tree_format
    from assistantgit.tree import owned_files

    fmt = tree_format(root)
    return {rel: (root / rel).read_bytes() for rel in sorted(owned_files(root, fmt.managed()))}


def same_but_language(source: Path, target: Path, language: str) -> list[str]:
    """The files that differ between two trees, `language: <source's>` -> `language: <language>` aside."""
    before, after = tree_bytes(source), tree_bytes(target)
    differ = sorted(set(before) ^ set(after))
    for rel in sorted(set(before) & set(after)):
        old = before[rel]
        if rel.endswith("skill.yaml"):
            old = b"\n".join(
                line.split(b"language:")[0] + b"language: " + language.encode()
                if line.strip().startswith(b"language:")
                else line
                for line in old.split(b"\n")
            )
        if old != after[rel]:
            differ.append(rel)
    return differ


def pseudo_problems(source: Path, target: Path) -> tuple[list[str], list[str], int]:
    """Check a pseudo-translated tree with the semantic diff: (changes that are not a string
    of the source pseudo-translated, source strings whose pseudo-translation is not in the
    target, how many items changed)."""
    from assistantgit import diff as semdiff
    from assistantgit.diff import from_tree
    from assistantgit.pipeline import read_tree
    from assistantgit.translate.placeholders import pseudo
    from assistantgit.translate.units import locations

    def text_of(value):
        return value.get("text") if isinstance(value, dict) else value

    _, files = read_tree(source)
    _, translated = read_tree(target)
    texts = {location.text for location in locations(files)}
    pseudos = {pseudo(text) for text in texts}
    problems = []
    diff = semdiff.compare(from_tree(source), from_tree(target))
    for change in diff.changes:
        if change.kind.endswith("counterexamples") and change.status in ("added", "removed"):
            if change.name not in (texts if change.status == "removed" else pseudos):
                problems.append(f"counterexample {change.status}: {change.name!r}")
            continue
        if change.status != "changed":
            problems.append(f"{change.status}: {change.name}")
            continue
        for detail in change.details:
            problems.extend(_detail_problems(change.name, detail, texts, pseudos, text_of, pseudo))
    after = {location.text for location in locations(translated)}
    unchanged = sorted(text for text in texts if pseudo(text) != text and pseudo(text) not in after)
    return problems, unchanged, len(diff.changes)


def _detail_problems(name, detail, texts, pseudos, text_of, pseudo) -> list[str]:
    if detail.field.endswith("language"):
        return []
    values = [v for v in (detail.before, detail.after) if v is not None]
    if ".text_expression.concat" in detail.field and all(
        isinstance(v, str) or (isinstance(v, dict) and set(v) == {"scalar"}) for v in values
    ):
        return []  # the scalars of one actions text, joined again after translation
    if detail.change == "changed":
        ok = isinstance(detail.before, str) and detail.after == pseudo(detail.before)
        return [] if ok else [f"{name} {detail.field}: {detail.before!r} -> {detail.after!r}"]
    if detail.change in ("added", "removed"):
        value = detail.after if detail.change == "added" else detail.before
        allowed = pseudos if detail.change == "added" else texts
        return [
            f"{name} {detail.field} {detail.change} {v!r}"
            for v in (value if isinstance(value, list) else [value])
            if text_of(v) not in allowed
        ]
    return [f"{name} {detail.field} {detail.change}"]
