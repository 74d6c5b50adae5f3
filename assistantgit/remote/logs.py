"""Conversation log archive: the service keeps logs 7 to 90 days depending on the
plan, so `assistantgit logs` copies them into JSON Lines files that last.

- Dialog environments: v1 `list_logs(workspace_id)`; actions environments: v2
  `list_logs(assistant_id)` (or an environment id), both sorted by request_timestamp.
- Pages follow `pagination.next_cursor` (or the cursor inside `next_url`) back to back:
  a cursor is only valid for 5 minutes. When the service says a cursor expired, the
  listing restarts with `request_timestamp>=` the newest timestamp seen (not from the
  beginning); `>=` rather than `>` so logs sharing that timestamp are not lost, and the
  duplicates it brings back are dropped by log_id.
- `<out>/<env>/YYYY-MM-DD.jsonl` (UTC day of request_timestamp), one log per line,
  sorted by request_timestamp then log_id, merged by log_id with what the file holds;
  a day file with nothing new is not rewritten, so a re-run changes no byte. Each file
  is replaced atomically and readable by its owner only (logs hold what users typed).
- Incremental by default: the listing starts at the newest request_timestamp archived.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..console import out
from ..errors import InputError, RemoteError

PAGE_LIMIT = 100
SORT = "request_timestamp"
WHAT = "list the conversation logs"


# -- timestamps -----------------------------------------------------------------------------------
def parse_timestamp(value) -> datetime | None:
    """A request_timestamp as an aware UTC datetime (None if it is not one)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def filter_time(moment: datetime) -> str:
    """The filter-syntax form, floored to the millisecond the service stores."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def since_filter_value(text: str) -> str:
    """--since: an ISO date (2026-11-01) or date-time (2026-11-01T08:00:00Z)."""
    text = text.strip()
    if len(text) == 10:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise InputError(f"--since {text!r}: not a date (YYYY-MM-DD)") from None
    moment = parse_timestamp(text)
    if moment is None:
        raise InputError(f"--since {text!r}: not an ISO date or date-time (2026-11-01 or 2026-11-01T08:00:00Z)")
    return filter_time(moment)


def combine_filters(user: str | None, since: str | None) -> str | None:
    """The user's filter AND the start time (`,` is AND; `[...]` keeps a user's `|` inside)."""
    parts = []
    if user:
        parts.append(f"[{user}]")
    if since:
        parts.append(f"request_timestamp>={since}")
    return ",".join(parts) or None


# -- the archive ----------------------------------------------------------------------------------
def _line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _identity(record: dict, line: str) -> str:
    log_id = record.get("log_id")
    return str(log_id) if log_id else "sha256:" + hashlib.sha256(line.encode("utf-8")).hexdigest()


@dataclass
class Archive:
    """One environment's folder of day files."""

    folder: Path
    new: int = 0
    days: set = field(default_factory=set)

    def path(self, day: str) -> Path:
        return self.folder / f"{day}.jsonl"

    def day_files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        # a link or a FIFO by a day file's name is listed, so that read() refuses it in one line
        return sorted(p for p in self.folder.glob("????-??-??.jsonl") if not p.is_dir() or p.is_symlink())

    def read(self, path: Path) -> dict:
        """log id -> (sort key, line) of a day file, its lines kept byte for byte."""
        from ..tree import read_bytes

        held: dict = {}
        if not os.path.lexists(path):
            return held
        raw = read_bytes(path, None)  # never through a link, never a FIFO: the folder may come from a commit
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: cannot read the archived logs ({error})") from None
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):  # not JSON, a huge number, nesting too deep
                record = None
            moment = parse_timestamp(record.get("request_timestamp")) if isinstance(record, dict) else None
            if moment is None:
                raise InputError(f"{path}:{number}: not a log with a request_timestamp; fix or move the file first")
            held[_identity(record, line)] = ((moment, str(record.get("log_id") or "")), line)
        return held

    def newest(self) -> datetime | None:
        """The newest request_timestamp archived: where an incremental run starts."""
        for path in reversed(self.day_files()):
            held = self.read(path)
            if held:
                return max(key for key, _ in held.values())[0]
        return None

    def merge(self, day: str, records: dict) -> int:
        """Add `records` (log id -> (key, line)) to a day file; returns how many were new."""
        from ..tree import write_file_atomic

        path = self.path(day)
        held = self.read(path)
        fresh = {k: v for k, v in records.items() if k not in held}
        if not fresh:
            return 0
        held.update(fresh)
        lines = [line for _, line in sorted(held.values(), key=lambda item: item[0])]
        if not self.folder.is_dir():
            from .backups import ignore_in_git, make_folder

            make_folder(self.folder)
            ignore_in_git(self.folder)  # inside .assistantgit/: git-ignored like the backups (user messages)
        write_file_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
        self.new += len(fresh)
        self.days.add(day)
        return len(fresh)


class DayBuffer:
    """Logs waiting for their day file. The listing is sorted, so a day is written as
    soon as a later day shows up: a failure part-way keeps everything before it."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.pending: dict[str, dict] = {}
        self.undated = 0

    def add(self, record) -> None:
        moment = parse_timestamp(record.get("request_timestamp")) if isinstance(record, dict) else None
        if moment is None:
            self.undated += 1
            return
        day = moment.date().isoformat()
        line = _line(record)
        self.pending.setdefault(day, {})[_identity(record, line)] = ((moment, str(record.get("log_id") or "")), line)
        for earlier in sorted(d for d in self.pending if d < day):
            self.archive.merge(earlier, self.pending.pop(earlier))

    def flush(self) -> None:
        for day in sorted(self.pending):
            self.archive.merge(day, self.pending.pop(day))


# -- the listing ----------------------------------------------------------------------------------
def _next_cursor(pagination) -> str | None:
    if not isinstance(pagination, dict):
        return None
    if pagination.get("next_cursor"):
        return str(pagination["next_cursor"])
    next_url = pagination.get("next_url")
    if next_url:
        cursor = parse_qs(urlsplit(str(next_url)).query).get("cursor")
        if cursor:
            return cursor[-1]
    return None


def _cursor_expired(error: RemoteError) -> bool:
    return getattr(error, "status", None) == 400 and "cursor" in error.message.lower()


def list_logs(client, source_id: str, user_filter: str | None, since: str | None, page_limit: int, on_page=None):
    """Yield every log the service holds from `since` on, oldest first, following cursors
    and restarting from the newest timestamp seen when a cursor expires."""
    method = getattr(client.service, "list_logs", None)
    env = client.env
    if method is None:  # pragma: no cover - every ibm-watson since 4 has it
        raise RemoteError(f"{env.name}: this ibm-watson SDK has no list_logs for {env.kind} environments; upgrade it")
    start, cursor, newest, restarts, progressed, previous = since, None, None, 0, False, None
    while True:
        query = combine_filters(user_filter, start)
        try:
            page = client.call(WHAT, method, source_id, sort=SORT, filter=query, page_limit=page_limit, cursor=cursor)
        except RemoteError as error:
            if cursor is None or not _cursor_expired(error):
                raise
            restarts = 0 if progressed else restarts + 1
            if restarts >= client.attempts:
                raise RemoteError(
                    f"{env.name}: {WHAT}: the page cursor expired {restarts} times in a row without "
                    "reaching a newer log; try again (a larger --page-limit helps when many logs "
                    "share one request_timestamp)"
                ) from None
            start = filter_time(newest) if newest else since
            out.info(f"{env.name}: the page cursor expired; listing again from {start or 'the beginning'}")
            cursor, previous, progressed = None, None, False
            continue
        logs = page.get("logs") if isinstance(page, dict) else None
        if not isinstance(logs, list):
            raise RemoteError(f"{env.name}: {WHAT}: the answer has no 'logs' list")
        for record in logs:
            moment = parse_timestamp(record.get("request_timestamp")) if isinstance(record, dict) else None
            if moment is not None and (newest is None or moment > newest):
                newest, progressed = moment, True
            yield record
        if on_page:
            on_page(len(logs))
        cursor = _next_cursor(page.get("pagination"))
        if cursor is None:
            return
        if cursor == previous:
            raise RemoteError(f"{env.name}: {WHAT}: the service returned the same page cursor twice; stopped")
        previous = cursor


# -- the command's library part ---------------------------------------------------------------------
@dataclass
class LogsResult:
    folder: Path
    fetched: int
    new: int
    days: list
    since: str | None


def archive_logs(
    project,
    env,
    out_dir: Path,
    since: str | None = None,
    user_filter: str | None = None,
    page_limit: int = PAGE_LIMIT,
    environment_id: str | None = None,
    progress=None,
) -> LogsResult:
    """Fetch the environment's logs from `since` (default: the newest archived) into `out_dir/<env>/`."""
    from .client import Client

    if env.kind == "dialog" and environment_id:
        raise InputError(
            "--environment-id is for actions environments (v2 logs); a dialog skill's logs are listed "
            "by its workspace_id"
        )
    archive = Archive(Path(out_dir) / env.name)
    if since is not None:
        since = since_filter_value(since)
    else:
        newest = archive.newest()
        since = filter_time(newest) if newest else None
    client = Client.for_project(project, env)
    source_id = env.workspace_id if env.kind == "dialog" else (environment_id or env.assistant_id)
    buffer = DayBuffer(archive)
    fetched = 0

    def on_page(count: int) -> None:
        if progress:
            progress(fetched, fetched)

    try:
        for record in list_logs(client, source_id, user_filter, since, page_limit, on_page):
            fetched += 1
            buffer.add(record)
    except RemoteError as error:
        buffer.flush()
        if archive.new:
            raise type(error)(
                f"{error.message}; {archive.new} new logs archived before the failure in "
                f"{archive.folder}: run again to continue"
            ) from None
        raise
    buffer.flush()
    if buffer.undated:
        out.warning(f"{env.name}: {buffer.undated} logs without a request_timestamp were not archived")
    return LogsResult(archive.folder, fetched, archive.new, sorted(archive.days), since)
