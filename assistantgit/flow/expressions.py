"""An actions skill's condition expressions as one line people can read.

`{"eq": [{"variable": "step_220"}, {"scalar": "yes"}]}` reads `step 2 = "yes"`; an
operator this module does not know is shown as its name with its operands, so a new
vendor feature degrades to something readable rather than to an error.
"""

from __future__ import annotations

import json

INFIX = {
    "eq": "=",
    "neq": "≠",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "contains": "contains",
    "matches": "matches",
    "add": "+",
    "subtract": "-",
}
JOIN = {"and": " and ", "or": " or "}
MAX_DEPTH = 20  # an expression nested deeper is cut: a hostile file cannot recurse us out of stack


def condition_text(expr, names: dict[str, str] | None = None, depth: int = 0) -> str:
    """`expr` as text; `names` maps step variables to what people call them ("step 2")."""
    names = names or {}
    if depth > MAX_DEPTH:
        return "…"
    if isinstance(expr, list):
        return ", ".join(condition_text(e, names, depth + 1) for e in expr)
    if not isinstance(expr, dict):
        return _scalar(expr)
    if len(expr) == 1:
        ((op, arg),) = expr.items()
        if op in JOIN and isinstance(arg, list):
            return "(" + JOIN[op].join(condition_text(e, names, depth + 1) for e in arg) + ")"
        if op in INFIX and isinstance(arg, list) and len(arg) == 2:
            left, right = (condition_text(e, names, depth + 1) for e in arg)
            return f"{left} {INFIX[op]} {right}"
        if op == "not":
            return f"not {condition_text(arg, names, depth + 1)}"
        if op == "exists":
            return f"{condition_text(arg, names, depth + 1)} is defined"
    return _operand(expr, names, depth)


def _operand(expr: dict, names: dict[str, str], depth: int) -> str:
    if "scalar" in expr:
        return _scalar(expr["scalar"])
    if "expression" in expr:
        return str(expr["expression"])
    if "intent" in expr:
        return f"#{expr['intent']}"
    if "entity" in expr:
        return f"@{expr['entity']}"
    if "from_entity" in expr:
        return f"@{expr['from_entity']}:{expr.get('value')}"
    for key in ("variable", "skill_variable", "system_variable"):
        if key in expr:
            name = names.get(expr[key], str(expr[key])) if key == "variable" else str(expr[key])
            path = expr.get("variable_path")
            return f"{name}.{path}" if path else name
    if len(expr) == 1:
        ((op, arg),) = expr.items()
        return f"{op}({condition_text(arg, names, depth + 1)})"
    return json.dumps(expr, ensure_ascii=False, sort_keys=True)


def _scalar(value) -> str:
    return json.dumps(value, ensure_ascii=False)
