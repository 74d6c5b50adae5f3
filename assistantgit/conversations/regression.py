"""Intent regression: classify every utterance of a CSV (`utterance,intent`, the format of
the intents download) and report accuracy, per-intent precision/recall/F1 and the most
confused pairs; compare with the JSON report of an earlier run (e.g. main's CI).

An utterance counts as predicted `(no intent)` when the service would call it irrelevant
(no intent, or a top intent below 0.2 confidence): that is how the assistant treats it.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

NONE = "(no intent)"
MAX_ROWS = 100_000
SHOWN = 10


@dataclass
class Case:
    text: str
    expected: str
    line: int


@dataclass
class Report:
    target: str
    cases: list
    predicted: list  # intent name or NONE, per case
    confidences: list
    pairs: Counter = field(default_factory=Counter)  # (expected, predicted) -> count, all cases

    @property
    def correct(self) -> int:
        return sum(c.expected == p for c, p in zip(self.cases, self.predicted))

    @property
    def accuracy(self) -> float:
        return 100.0 * self.correct / len(self.cases) if self.cases else 0.0

    def metrics(self) -> dict:
        """intent -> {precision, recall, f1, support} (percentages; 0 where undefined)."""
        labels = sorted({c.expected for c in self.cases} | set(self.predicted))
        table = {}
        for label in labels:
            hits = self.pairs[(label, label)]
            predicted = sum(n for (e, p), n in self.pairs.items() if p == label)
            support = sum(n for (e, p), n in self.pairs.items() if e == label)
            precision = 100.0 * hits / predicted if predicted else 0.0
            recall = 100.0 * hits / support if support else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            table[label] = {
                "precision": round(precision, 1),
                "recall": round(recall, 1),
                "f1": round(f1, 1),
                "support": support,
            }
        return table

    def confused(self) -> list:
        """[(expected, predicted, count)] of wrong answers, most frequent first."""
        wrong = [(e, p, n) for (e, p), n in self.pairs.items() if e != p]
        return sorted(wrong, key=lambda item: (-item[2], item[0], item[1]))

    def as_dict(self) -> dict:
        misses = [
            {"line": c.line, "text": c.text, "expected": c.expected, "predicted": p, "confidence": round(k, 4)}
            for c, p, k in zip(self.cases, self.predicted, self.confidences)
            if c.expected != p
        ]
        return {
            "target": self.target,
            "utterances": len(self.cases),
            "correct": self.correct,
            "accuracy": round(self.accuracy, 2),
            "intents": self.metrics(),
            "confused": [{"expected": e, "predicted": p, "count": n} for e, p, n in self.confused()],
            "misclassified": misses,
        }


@dataclass
class Comparison:
    before: float
    after: float
    max_drop: float
    worse: list  # [(intent, f1 before, f1 after)] of intents whose F1 fell, worst first

    @property
    def drop(self) -> float:
        return round(self.before - self.after, 2)

    @property
    def failed(self) -> bool:
        return self.drop > self.max_drop


def read_utterances(path: Path) -> list[Case]:
    from ..tree import read_text

    text = read_text(Path(path))
    cases = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise InputError(f"{path}:{number}: expected utterance,intent (the format of the intents download)")
        utterance, intent = row[0].strip(), row[1].strip().lstrip("#")
        if number == 1 and intent.casefold() == "intent":
            continue  # a header row
        cases.append(Case(utterance, intent, number))
        if len(cases) > MAX_ROWS:
            raise InputError(f"{path}: more than {MAX_ROWS:,} utterances; split the file")
    if not cases:
        raise InputError(f"{path}: no utterances (rows of utterance,intent)")
    return cases


def read_baseline(path: Path) -> dict:
    from ..tree import read_text

    try:
        data = json.loads(read_text(Path(path)))
    except ValueError as error:
        raise InputError(f"{path}: not JSON ({error}); give the --format json output of an earlier run") from None
    accuracy = data.get("accuracy") if isinstance(data, dict) else None
    if not isinstance(accuracy, (int, float)) or isinstance(accuracy, bool) or not 0 <= accuracy <= 100:
        raise InputError(f"{path}: no accuracy (0-100) in it; give the --format json output of an earlier run")
    return data


def evaluate(cases: list, intents: list, target: str) -> Report:
    from .sessions import predicted

    names = [predicted(found) or NONE for found in intents]
    confidences = [found[0][1] if found else 0.0 for found in intents]
    report = Report(target, cases, names, confidences)
    report.pairs.update((c.expected, p) for c, p in zip(cases, names))
    return report


def compare(report: Report, baseline: dict, max_drop: float) -> Comparison:
    earlier = baseline.get("intents")
    earlier = earlier if isinstance(earlier, dict) else {}
    now = report.metrics()
    worse = []
    for intent, old in earlier.items():
        known = isinstance(old, dict) and isinstance(old.get("f1"), (int, float)) and intent in now
        if known and now[intent]["f1"] < old["f1"]:
            worse.append((intent, float(old["f1"]), now[intent]["f1"]))
    worse.sort(key=lambda item: item[2] - item[1])
    return Comparison(float(baseline["accuracy"]), round(report.accuracy, 2), max_drop, worse)


def text(report: Report, comparison: Comparison | None = None) -> str:
    lines = [
        f"{len(report.cases)} utterances on {report.target}: accuracy {report.accuracy:.1f}% ({report.correct} correct)"
    ]
    metrics = report.metrics()
    width = max([len("intent")] + [len(name) for name in metrics])
    lines.append(f"  {'intent':<{width}}  precision  recall     F1  utterances   (worst F1 first)")
    for name, row in sorted(metrics.items(), key=lambda item: (item[1]["f1"], item[0])):
        lines.append(
            f"  {name:<{width}}  {row['precision']:>9.1f}  {row['recall']:>6.1f}  {row['f1']:>5.1f}"
            f"  {row['support']:>10}"
        )
    confused = report.confused()[:SHOWN]
    if confused:
        lines.append("Most confused (expected -> predicted):")
        lines += [f"  {e} -> {p}: {n}" for e, p, n in confused]
    lines += _comparison_lines(comparison)
    return "\n".join(lines)


def _comparison_lines(comparison: Comparison | None) -> list:
    if comparison is None:
        return []
    verb = "FAILED" if comparison.failed else "ok"
    lines = [
        f"Baseline: accuracy {comparison.before:.1f}% -> {comparison.after:.1f}% "
        f"({-comparison.drop:+.1f} points; at most {comparison.max_drop:g} may be lost): {verb}"
    ]
    lines += [f"  {name}: F1 {old:.1f} -> {new:.1f}" for name, old, new in comparison.worse[:SHOWN]]
    return lines


def markdown(report: Report, comparison: Comparison | None = None) -> str:
    mark = "❌" if comparison is not None and comparison.failed else "✅"
    lines = [
        f"### {mark} Intent regression",
        "",
        f"{len(report.cases)} utterances on {report.target}: **accuracy {report.accuracy:.1f}%** "
        f"({report.correct} correct).",
        "",
    ]
    if comparison is not None:
        head, *worse = _comparison_lines(comparison)
        lines += [head, *("- " + line.strip() for line in worse), ""]
    lines += ["| Intent | Precision | Recall | F1 | Utterances |", "|---|---|---|---|---|"]
    for name, row in sorted(report.metrics().items(), key=lambda item: (item[1]["f1"], item[0])):
        lines.append(f"| {name} | {row['precision']:.1f} | {row['recall']:.1f} | {row['f1']:.1f} | {row['support']} |")
    confused = report.confused()[:SHOWN]
    if confused:
        lines += ["", "| Expected | Predicted | Utterances |", "|---|---|---|"]
        lines += [f"| {e} | {p} | {n} |" for e, p, n in confused]
    return "\n".join(lines) + "\n"


def to_json(report: Report, comparison: Comparison | None = None) -> str:
    document = report.as_dict()
    if comparison is not None:
        document["baseline"] = {
            "accuracy": comparison.before,
            "drop": comparison.drop,
            "max_drop": comparison.max_drop,
            "failed": comparison.failed,
            "worse": [{"intent": n, "f1_before": o, "f1_after": a} for n, o, a in comparison.worse],
        }
    return json.dumps(document, ensure_ascii=False, indent=2)


RENDER = {"text": text, "markdown": markdown, "json": to_json}
