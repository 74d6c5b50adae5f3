"""assistantgit logs: archive an environment's conversation logs before the service drops them."""

from __future__ import annotations

from pathlib import Path

from ..cliparse import Option
from ..console import out


def logs(
    env: str = Option(
        ..., "--env", "-e", help="The environment of assistantgit.yaml whose logs to archive.", show_default=False
    ),
    out_dir: Path | None = Option(
        None,
        "--out",
        "-o",
        help="The archive folder; logs go to <out>/<env>/YYYY-MM-DD.jsonl.",
        show_default=".assistantgit/logs in the project",
    ),
    since: str | None = Option(
        None,
        "--since",
        help="Start at this ISO date or date-time (UTC), e.g. 2026-11-01.",
        show_default="the newest log archived, else everything the service holds",
    ),
    filter: str | None = Option(
        None,
        "--filter",
        help="A list_logs filter query, e.g. 'request.input.text:order' (see docs/config.md).",
        show_default=False,
    ),
    page_limit: int = Option(
        100, "--page-limit", min=1, max=1000, help="Logs per page; lower it if the service times out."
    ),
    environment_id: str | None = Option(
        None,
        "--environment-id",
        help="Actions: the environment id (draft or live) whose logs to list, instead of the assistant_id.",
        show_default=False,
    ),
) -> int:
    """Archive conversation logs as JSON Lines, one file per UTC day, appending only new logs.

    The service keeps logs 7 to 90 days depending on the plan. Run this daily (cron, CI):
    each run starts at the newest log already archived, adds only logs it has not seen
    (by log_id), and a run with nothing new changes no byte.

    Example: assistantgit logs --env prod --out /srv/assistant-logs
    """
    from ..project import load_project
    from ..remote.logs import archive_logs

    project = load_project()
    environment = project.environment(env)
    folder = out_dir if out_dir is not None else project.root / ".assistantgit" / "logs"
    with out.progress(f"Fetching logs from {env}") as progress:
        result = archive_logs(
            project,
            environment,
            folder,
            since=since,
            user_filter=filter,
            page_limit=page_limit,
            environment_id=environment_id,
            progress=progress,
        )
    start = f" since {result.since}" if result.since else ""
    days = f"{len(result.days)} day{'s' if len(result.days) != 1 else ''} touched"
    out.info(
        f"{env}: {result.new} new log{'s' if result.new != 1 else ''} ({result.fetched} fetched{start}), "
        f"{days}, archive {result.folder}"
    )
    return 0
