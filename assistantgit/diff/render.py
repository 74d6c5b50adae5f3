"""A semantic diff as text (for a terminal or a log), Markdown (a pull-request comment)
or JSON (for programs; the keys are documented in docs/diff.md). Returns strings or
styled lines; the command decides where they go."""

from __future__ import annotations

import json

from ..options import DiffFormat
from .compare import STATUSES, ItemChange, SemanticDiff
from .fields import Detail

SIGN = {"added": "+", "removed": "-", "changed": "~", "renamed": ">", "moved": "~"}
STYLE = {"added": "green", "removed": "red", "changed": "yellow", "renamed": "cyan", "moved": "magenta"}
INLINE_MAX = 70  # longer text shows as before/after lines
MARKDOWN_FOLD_ITEMS = 15  # a kind with more items than this is folded in <details>
MARKDOWN_FOLD_LINES = 12  # an item with more detail lines than this is folded too


def _one_line(value) -> str | None:
    """The value on one line, or None when it needs several."""
    if isinstance(value, str):
        return value if "\n" not in value and len(value) <= INLINE_MAX else None
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= INLINE_MAX else None


def _lines(value) -> list[str]:
    if isinstance(value, str):
        return value.split("\n") if value else [""]
    if isinstance(value, (dict, list)) and value:
        from .. import canonical

        return canonical.dumps(value).rstrip("\n").split("\n")
    return [json.dumps(value, ensure_ascii=False)]


def _place(position: dict) -> str:
    parent = position.get("parent_name") or position.get("parent")
    previous = position.get("previous_sibling_name") or position.get("previous_sibling")
    where = f"under {parent}" if parent else "at the root"
    return f"{where}, {'after ' + previous if previous else 'first'}"


def detail_lines(detail: Detail) -> list[tuple[str, str]]:
    """(text, change) lines for one detail: the first line names the field."""
    if detail.change == "moved":
        before, after = detail.before, detail.after
        verb = "moved" if before.get("parent") != after.get("parent") else "reordered"
        return [(f"~ {verb}: now {_place(after)} (was {_place(before)})", "moved")]
    if detail.change in ("added", "removed"):
        value = detail.after if detail.change == "added" else detail.before
        sign = SIGN[detail.change]
        short = _one_line(value)
        if short is not None:
            return [(f"{sign} {detail.field}: {short}", detail.change)]
        return [(f"{sign} {detail.field}:", detail.change)] + [(f"    {line}", detail.change) for line in _lines(value)]
    short_before, short_after = _one_line(detail.before), _one_line(detail.after)
    if short_before is not None and short_after is not None:
        return [(f"~ {detail.field}: {short_before} -> {short_after}", "changed")]
    return (
        [(f"~ {detail.field}:", "changed")]
        + [(f"    - {line}", "removed") for line in _lines(detail.before)]
        + [(f"    + {line}", "added") for line in _lines(detail.after)]
    )


def headline(change: ItemChange) -> str:
    if change.status == "renamed":
        return f"{change.old_name} renamed to {change.name}"
    return f"{change.name} {change.status}" if change.status != "changed" else change.name


def _counts_text(row: dict) -> str:
    return ", ".join(f"{row[s]} {s}" for s in STATUSES if row[s])


def text_lines(diff: SemanticDiff) -> list[tuple[str, str | None]]:
    """(line, style) pairs: style is a rich style name or None."""
    if not diff.changes:
        return [(f"No differences between {diff.left} and {diff.right}.", None)]
    total = len(diff.changes)
    lines: list[tuple[str, str | None]] = [
        (f"{diff.format}: {diff.left} -> {diff.right}: {total} change{'s' if total != 1 else ''}", "bold")
    ]
    counts = diff.counts()
    for kind in diff.kinds:
        if kind.key not in counts:
            continue
        lines.append(("", None))
        lines.append((f"{kind.label} ({_counts_text(counts[kind.key])})", "bold"))
        for change in diff.changes:
            if change.kind != kind.key:
                continue
            lines.append((f"  {SIGN[change.status]} {headline(change)}", STYLE[change.status]))
            for detail in change.details:
                for text, status in detail_lines(detail):
                    lines.append((f"      {text}", STYLE[status]))
    return lines


def text(diff: SemanticDiff) -> str:
    return "\n".join(line for line, _ in text_lines(diff))


# --- Markdown -----------------------------------------------------------------------------------


def _code(value: str) -> str:
    """Inline code that survives backticks and pipes in the text."""
    fence = "`"
    while fence in value:
        fence += "`"
    pad = " " if value.startswith("`") or value.endswith("`") or not value.strip() else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _fenced(lines: list[str], indent: str) -> list[str]:
    longest = max((len(line) - len(line.lstrip("`")) for line in lines), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{indent}{fence}diff"] + [f"{indent}{line}" for line in lines] + [f"{indent}{fence}"]


def _md_detail(detail: Detail, indent: str) -> list[str]:
    if detail.change == "moved":
        ((line, _),) = detail_lines(detail)
        return [f"{indent}- {line[2:]}"]
    if detail.change in ("added", "removed"):
        value = detail.after if detail.change == "added" else detail.before
        short = _one_line(value)
        if short is not None:
            return [f"{indent}- {detail.change} {_code(detail.field)}: {_code(short)}"]
        sign = SIGN[detail.change]
        return [f"{indent}- {detail.change} {_code(detail.field)}:"] + _fenced(
            [f"{sign} {line}" for line in _lines(value)], indent + "  "
        )
    short_before, short_after = _one_line(detail.before), _one_line(detail.after)
    if short_before is not None and short_after is not None:
        return [f"{indent}- changed {_code(detail.field)}: {_code(short_before)} → {_code(short_after)}"]
    return [f"{indent}- changed {_code(detail.field)}:"] + _fenced(
        [f"- {line}" for line in _lines(detail.before)] + [f"+ {line}" for line in _lines(detail.after)], indent + "  "
    )


def _md_item(change: ItemChange) -> list[str]:
    if change.status == "renamed":
        head = f"- **renamed** {_code(change.old_name or '')} → {_code(change.name)}"
    else:
        head = f"- **{change.status}** {_code(change.name)}"
    body = [line for detail in change.details for line in _md_detail(detail, "  ")]
    if len(body) > MARKDOWN_FOLD_LINES:
        return (
            [head, "", "  <details><summary>" + f"{len(change.details)} field changes</summary>", ""]
            + body
            + ["", "  </details>", ""]
        )
    return [head] + body


def markdown(diff: SemanticDiff, pictures: dict | None = None) -> str:
    """The diff as a pull-request comment; `pictures` (kind key -> markdown lines) go under their kind."""
    title = f"### Assistant changes: {_code(diff.left)} → {_code(diff.right)}"
    if not diff.changes:
        return f"{title}\n\nNo differences.\n"
    counts = diff.counts()
    labels = {k.key: k.label for k in diff.kinds}
    out = [
        title,
        "",
        "| Kind | " + " | ".join(s.capitalize() for s in STATUSES) + " |",
        "| --- | " + " | ".join("---:" for _ in STATUSES) + " |",
    ]
    for key, row in counts.items():
        out.append(f"| {labels[key]} | " + " | ".join(str(row[s]) for s in STATUSES) + " |")
    totals = {s: sum(row[s] for row in counts.values()) for s in STATUSES}
    out.append("| **Total** | " + " | ".join(f"**{totals[s]}**" for s in STATUSES) + " |")
    for key in counts:
        items = [c for c in diff.changes if c.kind == key]
        section = [line for change in items for line in _md_item(change)]
        out += ["", f"#### {labels[key]}", ""]
        if len(items) > MARKDOWN_FOLD_ITEMS:
            out += (
                [f"<details><summary>{len(items)} {labels[key].lower()} ({_counts_text(counts[key])})</summary>", ""]
                + section
                + ["", "</details>"]
            )
        else:
            out += section
        out += (pictures or {}).get(key, [])
    return "\n".join(out) + "\n"


def to_json(diff: SemanticDiff) -> str:
    return json.dumps(diff.to_json(), indent=2, ensure_ascii=False) + "\n"


def render(diff: SemanticDiff, format: DiffFormat) -> str:
    """The diff as one text in the given format (no colour; the diff command colours text itself)."""
    if format is DiffFormat.json:
        return to_json(diff)
    if format is DiffFormat.markdown:
        return markdown(diff)
    return text(diff)
