"""`assistantgit status` as text (terminals, CI logs), markdown (a pull request or an
issue comment) and JSON (scripts): the same facts in each."""

from __future__ import annotations

import json

MAX_ITEMS = 20  # item lines shown per environment; the counts always cover all


def draft_line(env, revision: str) -> str:
    from ..diff.summary import counts_text

    if env.diff is None:
        return f"{env.name} draft: {env.note}"
    if not env.changes:
        return f"{env.name} draft: matches {revision}"
    count = len(env.changes)
    return f"{env.name} draft: {count} change{'s' if count != 1 else ''} not in git ({counts_text(env.diff)})"


def deployment_line(env_name: str, deployment, revision: str) -> str:
    head = f"{env_name} {deployment.environment}"
    if deployment.release is None:
        return f"{head}: no release deployed"
    release = f"release {deployment.release}" + (f" of {deployment.created[:10]}" if deployment.created else "")
    if deployment.commit is None:
        said = f'"{deployment.description}"' if deployment.description else "no description"
        return f"{head}: {release} was not published from git ({said})"
    if not deployment.in_history:
        return f"{head}: {release} = commit {deployment.short}, not in the history of {revision}"
    if not deployment.behind:
        return f"{head}: {release} = commit {deployment.short}, up to date with {revision}"
    plural = "s" if deployment.behind != 1 else ""
    return f"{head}: {release} = commit {deployment.short}, {deployment.behind} commit{plural} behind {revision}"


def _items(env) -> list[str]:
    from ..diff.summary import changes_of, lines

    shown = lines(changes_of(env.diff))[:MAX_ITEMS] if env.diff is not None else []
    if len(env.changes) > MAX_ITEMS:
        shown.append(f"... and {len(env.changes) - MAX_ITEMS} more")
    return shown


def text(report) -> str:
    rows = [f"Compared with {report.revision} ({report.short} {report.subject}):"]
    for env in report.environments:
        rows.append(draft_line(env, report.revision))
        rows.extend(f"  {item}" for item in _items(env))
        rows.extend(deployment_line(env.name, d, report.revision) for d in env.deployments)
    drifted = [env.name for env in report.environments if env.drift]
    rows.append(f"Drift: {', '.join(drifted)}" if drifted else "No drift.")
    return "\n".join(rows) + "\n"


def markdown(report) -> str:
    drifted = [env.name for env in report.environments if env.drift]
    title = f"drift in {', '.join(drifted)}" if drifted else "no drift"
    rows = [
        f"### assistantgit status: {title}",
        "",
        f"Compared with `{report.revision}` ({report.short} {report.subject}).",
        "",
        "| Environment | State |",
        "|---|---|",
    ]
    for env in report.environments:
        rows.append(f"| {env.name} draft | {_cell(draft_line(env, report.revision).split(': ', 1)[1])} |")
        for deployment in env.deployments:
            line = deployment_line(env.name, deployment, report.revision)
            rows.append(f"| {env.name} {deployment.environment} | {_cell(line.split(': ', 1)[1])} |")
    for env in report.environments:
        items = _items(env)
        if items:
            rows += [
                "",
                f"<details><summary>{env.name} draft: changes not in git</summary>",
                "",
                "```diff",
                *items,
                "```",
                "",
                "</details>",
            ]
    return "\n".join(rows) + "\n"


def _cell(value: str) -> str:
    return value.replace("|", "\\|")


def to_json(report) -> str:
    def deployment(d) -> dict:
        return {
            "environment": d.environment,
            "release": d.release,
            "created": d.created,
            "description": d.description,
            "commit": d.commit,
            "behind": d.behind,
            "in_history": d.in_history if d.commit else None,
            "from_git": d.from_git,
        }

    data = {
        "revision": report.revision,
        "commit": report.sha,
        "subject": report.subject,
        "drift": report.drift,
        "environments": [
            {
                "name": env.name,
                "target": env.target,
                "drift": env.drift,
                "note": env.note or None,
                "draft": None
                if env.diff is None
                else {
                    "matches": not env.changes,
                    "changes": len(env.changes),
                    "counts": env.diff.counts(),
                    "items": [c.to_json() for c in env.changes],
                },
                "deployments": [deployment(d) for d in env.deployments],
            }
            for env in report.environments
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
