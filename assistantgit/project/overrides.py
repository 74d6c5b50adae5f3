"""Per-environment overrides, applied to the assembled export at push time, so one
branch serves dev, test and prod (issue 6).

    overrides:
      name: Customer care (prod)          # the skill's name
      description: ...
      webhooks: {main_webhook: https://prod.example.com/hook}   # webhook name -> url
      context: {api_base: https://prod.example.com}             # variable -> value

A context override sets the variable wherever a dialog node's context sets it, or
the initial value of the actions skill's session variable of that name. An override
that matches nothing is an error: a typo must not silently push dev settings to prod.
"""

from __future__ import annotations

import copy

from ..errors import InputError


def skill_parts(export) -> tuple[dict, dict]:
    """(the mapping holding name/description, the workspace with the content)."""
    if isinstance(export, dict) and isinstance(export.get("workspace"), dict):
        return export, export["workspace"]
    return export, export


def apply(export, overrides: dict, where: str):
    """A copy of `export` with the overrides applied."""
    if not overrides:
        return export
    export = copy.deepcopy(export)
    top, workspace = skill_parts(export)
    for key in ("name", "description"):
        if key in overrides:
            top[key] = overrides[key]
            if top is not workspace and key in workspace:
                workspace[key] = overrides[key]
    for name, url in (overrides.get("webhooks") or {}).items():
        hooks = [h for h in workspace.get("webhooks") or [] if isinstance(h, dict) and h.get("name") == name]
        if not hooks:
            raise InputError(f"{where}: overrides.webhooks: the skill has no webhook named '{name}'")
        for hook in hooks:
            hook["url"] = url
    for variable, value in (overrides.get("context") or {}).items():
        if not _set_context(workspace, str(variable), value):
            raise InputError(
                f"{where}: overrides.context: no dialog node context or session variable sets '{variable}'"
            )
    return export


def _set_context(workspace: dict, variable: str, value) -> int:
    count = 0
    for node in workspace.get("dialog_nodes") or []:
        context = node.get("context") if isinstance(node, dict) else None
        if isinstance(context, dict) and variable in context:
            context[variable] = value
            count += 1
    for session_variable in workspace.get("variables") or []:
        if isinstance(session_variable, dict) and session_variable.get("variable") == variable:
            session_variable["initial_value"] = {"scalar": value}
            count += 1
    return count
