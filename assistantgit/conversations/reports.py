"""A run as text (terminal, CI log), markdown (pull-request comment) or JSON (scripts).

Every format carries the same facts: each failure with the file:line of the failing
expectation, expected and actual; errors; totals; coverage with what was never reached.
"""

from __future__ import annotations

import json

from .runner import RunResult

SHOWN_UNREACHED = 20  # per kind in text and markdown; JSON lists everything


def _summary(result: RunResult) -> str:
    total = len(result.outcomes)
    parts = [f"{result.count('passed')} passed", f"{result.count('failed')} failed"]
    if result.count("error"):
        parts.append(f"{result.count('error')} errors")
    return (
        f"{total} conversation{'s' * (total != 1)} against {result.target}: {', '.join(parts)} "
        f"in {result.seconds:.1f} s"
    )


def _more(items: list, limit: int = SHOWN_UNREACHED) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit} more)" if len(items) > limit else "")


def text(result: RunResult, minimum: float | None = None) -> str:
    lines = []
    for outcome in result.outcomes:
        name = outcome.conversation.name
        for failure in outcome.failures:
            lines.append(
                f"FAIL {failure.where}: {name}, turn {failure.turn} ({json.dumps(failure.input, ensure_ascii=False)}):"
                f" {failure.key}"
            )
            lines.append(f"    expected: {failure.expected}")
            lines.append(f"    actual:   {failure.actual}")
        if outcome.error:
            lines.append(f"ERROR {outcome.error} ({name})")
    if lines:
        lines.append("")
    lines.append(_summary(result))
    lines.extend(_coverage_lines(result, minimum))
    return "\n".join(lines)


def _coverage_lines(result: RunResult, minimum: float | None) -> list:
    if result.coverage is None:
        return []
    sections = result.coverage.sections
    lines = ["Coverage: " + ", ".join(f"{s.name} {s.hit}/{s.total} ({s.percent:.0f}%)" for s in sections)]
    for section in sections:
        if section.unreached:
            lines.append(f"  {section.name} never reached: {_more(section.unreached)}")
    for section in result.coverage.below(minimum) if minimum is not None else []:
        lines.append(f"Coverage of {section.name} is {section.percent:.1f}%, below --min-coverage {minimum:g}")
    return lines


def _cell(value: str) -> str:
    return str(value).replace("|", "\\|").replace("\n", "<br>")


def markdown(result: RunResult, minimum: float | None = None) -> str:
    failed = result.count("failed") + result.count("error")
    mark = "✅" if not failed else "❌"
    lines = [f"### {mark} Conversation tests", "", _summary(result) + ".", ""]
    rows = [
        (f.where, o.conversation.name, str(f.turn), f.key, f.expected, f.actual)
        for o in result.outcomes
        for f in o.failures
    ]
    rows += [
        (o.error.split(": ", 1)[0], o.conversation.name, "", "error", "", o.error.split(": ", 1)[-1])
        for o in result.outcomes
        if o.error
    ]
    if rows:
        lines += ["| Where | Conversation | Turn | Check | Expected | Actual |", "|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(_cell(c) for c in (f"`{row[0]}`",) + row[1:]) + " |" for row in rows]
        lines.append("")
    if result.coverage is not None:
        lines += ["| Coverage | Reached | | Never reached |", "|---|---|---|---|"]
        for section in result.coverage.sections:
            lines.append(
                f"| {section.name} | {section.hit}/{section.total} | {section.percent:.0f}% | "
                f"{_cell(_more(section.unreached)) or '—'} |"
            )
        for section in result.coverage.below(minimum) if minimum is not None else []:
            lines += ["", f"Coverage of {section.name} is {section.percent:.1f}%, below the required {minimum:g}%."]
    return "\n".join(lines).rstrip("\n") + "\n"


def to_json(result: RunResult, minimum: float | None = None) -> str:
    conversations = []
    for outcome in result.outcomes:
        conversation = outcome.conversation
        conversations.append(
            {
                "name": conversation.name,
                "file": conversation.file.path,
                "line": conversation.line,
                "status": outcome.status,
                "seconds": round(outcome.seconds, 3),
                "turns": len(outcome.replies),
                "failures": [
                    {
                        "where": f.where,
                        "turn": f.turn,
                        "input": f.input,
                        "check": f.key,
                        "expected": f.expected,
                        "actual": f.actual,
                    }
                    for f in outcome.failures
                ],
                "error": outcome.error,
            }
        )
    document = {
        "target": result.target,
        "seconds": round(result.seconds, 3),
        "summary": {
            "conversations": len(result.outcomes),
            "passed": result.count("passed"),
            "failed": result.count("failed"),
            "errors": result.count("error"),
        },
        "conversations": conversations,
        "coverage": result.coverage.as_dict() if result.coverage is not None else None,
        "min_coverage": minimum,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


RENDER = {"text": text, "markdown": markdown, "json": to_json}
