"""The confusion picture of an intent regression, as SVG written by hand: a grid of the
intents involved in the most frequent confusions, rows the expected intent, columns the
predicted one, each cell the number of utterances; right answers blue, wrong ones red,
shaded by their share of the row. SVG needs no plotting library (matplotlib alone would
add tens of megabytes and a second of import for one picture), opens in any browser and
shows in a pull request.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

MAX_INTENTS = 20
CELL = 30
CHAR = 7.2  # average width of a 12px sans-serif character, for laying out labels


def involved(report, limit: int = MAX_INTENTS) -> list:
    """The intents of the most frequent confusions, at most `limit`, in a stable order."""
    chosen: list = []
    for expected, predicted, _ in report.confused():
        for name in (expected, predicted):
            if name not in chosen and len(chosen) < limit:
                chosen.append(name)
    return sorted(chosen)


def confusion_svg(report) -> str:
    names = involved(report)
    if not names:
        return _empty(f"No confused intents: {report.correct} of {len(report.cases)} utterances right")
    longest = max(len(n) for n in names) * CHAR
    left, top = int(longest) + 20, int(longest * 0.72) + 60  # column labels run up and right at 45°
    title, legend = _title(report), "rows: expected intent, columns: predicted intent"
    width = max(
        left + CELL * len(names) + int(longest * 0.72) + 20,
        int(len(title) * CHAR * 1.25) + 20,
        int(len(legend) * CHAR) + 20,
    )
    height = top + CELL * len(names) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<text x="10" y="38" fill="#555">{legend}</text>',
    ]
    for index, name in enumerate(names):
        y = top + index * CELL + CELL / 2 + 4
        parts.append(f'<text x="{left - 6}" y="{y:.0f}" text-anchor="end">{escape(name)}</text>')
        x = left + index * CELL + CELL / 2 + 4
        parts.append(f'<text transform="translate({x:.0f},{top - 6}) rotate(-45)">{escape(name)}</text>')
    for row, expected in enumerate(names):
        total = sum(n for (e, _), n in report.pairs.items() if e == expected) or 1
        for column, predicted in enumerate(names):
            count = report.pairs.get((expected, predicted), 0)
            x, y = left + column * CELL, top + row * CELL
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{_colour(count / total, row == column)}" '
                f'stroke="#ccc"><title>{escape(expected)} -&gt; {escape(predicted)}: {count}</title></rect>'
            )
            if count:
                ink = "white" if count / total > 0.55 else "black"
                parts.append(
                    f'<text x="{x + CELL / 2:.0f}" y="{y + CELL / 2 + 4:.0f}" text-anchor="middle" '
                    f'fill="{ink}">{count}</text>'
                )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _title(report) -> str:
    return f"Intent confusion on {report.target}: accuracy {report.accuracy:.1f}% of {len(report.cases)} utterances"


def _colour(share: float, right: bool) -> str:
    """White to blue (right answers) or white to red (wrong ones) by the share of the row."""
    if share <= 0:
        return "#ffffff"
    strength = 0.15 + 0.85 * min(1.0, share)
    base = (33, 102, 172) if right else (203, 24, 29)
    mixed = (round(255 + (c - 255) * strength) for c in base)
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _empty(message: str) -> str:
    width = int(len(message) * CHAR) + 40
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60" font-family="sans-serif" '
        f'font-size="14"><rect width="{width}" height="60" fill="white"/>'
        f'<text x="20" y="35">{escape(message)}</text></svg>\n'
    )
