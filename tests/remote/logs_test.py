"""assistantgit logs: the real ibm-watson SDK's list_logs against a real HTTP server on
127.0.0.1 (testing/watson_server.py), configured through assistantgit.yaml and
ASSISTANT_<ENV>_* variables as a user does."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from testing.watson_server import API_KEY

CONFIG = """\
source: skill
kind: dialog
retries: {{attempts: 3, backoff: 0.01}}
environments:
  dev:
    url: {url}
    workspace_id: ws-dev
    credentials: ASSISTANT_DEV
  prod:
    url: {url}
    workspace_id: ws-missing
    credentials: ASSISTANT_DEV
"""

START = datetime(2026, 11, 18, 22, 0, tzinfo=timezone.utc)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def make_log(number: int, moment: datetime, text: str | None = None) -> dict:
    """A v1 log event as the service returns it (our own invented conversation)."""
    text = text or f"message {number}: can I order a pizza?"
    return {
        "log_id": f"log-{number:05d}",
        "request_timestamp": stamp(moment),
        "response_timestamp": stamp(moment + timedelta(milliseconds=180)),
        "workspace_id": "ws-dev",
        "language": "en",
        "request": {"input": {"text": text}, "context": {"conversation_id": f"conv-{number // 4}"}},
        "response": {
            "input": {"text": text},
            "intents": [{"intent": "order_pizza", "confidence": 0.93}],
            "entities": [],
            "output": {"generic": [{"response_type": "text", "text": "Which size?"}]},
            "context": {"conversation_id": f"conv-{number // 4}"},
        },
    }


def make_logs(first: int, count: int, start: datetime = START, step: timedelta = timedelta(minutes=37)) -> list:
    return [make_log(first + n, start + n * step) for n in range(count)]


@pytest.fixture
def project(tmp_path, watson, monkeypatch):
    root = tmp_path / "project"
    root.mkdir()
    (root / "assistantgit.yaml").write_text(CONFIG.format(url=watson.url), encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("IBM_CREDENTIALS_FILE", str(tmp_path / "absent.env"))
    monkeypatch.setenv("ASSISTANT_DEV_APIKEY", API_KEY)
    monkeypatch.setenv("ASSISTANT_DEV_AUTH_URL", watson.url)
    watson.state.workspaces["ws-dev"] = {"name": "Pizza shop", "language": "en"}
    watson.state.logs["ws-dev"] = []
    return root


def archive_bytes(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.jsonl"))}


def archived(folder: Path) -> list:
    """Every archived log, in file order (day files by name, lines in order)."""
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def expected_order(logs: list) -> list:
    return sorted(logs, key=lambda log: (log["request_timestamp"], log["log_id"]))


def log_requests(watson) -> list:
    return [r for r in watson.state.api_requests("GET") if r.path.endswith("/logs")]


def test_pages_are_followed_and_logs_land_in_day_files(cli, project, watson, tmp_path):
    logs = make_logs(0, 95)  # 2026-11-18 22:00 to 2026-11-21: four UTC days
    watson.state.logs["ws-dev"] = logs
    out = tmp_path / "archive"
    result = cli("logs", "--env", "dev", "--out", out, "--page-limit", "20")
    assert result.exit_code == 0, result.stderr
    folder = out / "dev"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2026-11-18.jsonl",
        "2026-11-19.jsonl",
        "2026-11-20.jsonl",
        "2026-11-21.jsonl",
    ]
    assert archived(folder) == expected_order(logs)
    for path in folder.glob("*.jsonl"):
        day = path.name[:10]
        assert all(json.loads(line)["request_timestamp"].startswith(day) for line in path.read_text().splitlines())
        assert path.stat().st_mode & 0o777 == 0o600  # logs hold what users typed
    requests = log_requests(watson)
    assert len(requests) == 5  # 95 logs, 20 a page
    assert requests[0].path == "/v1/workspaces/ws-dev/logs"
    assert requests[0].query == {"version": "2021-11-27", "sort": "request_timestamp", "page_limit": "20"}
    assert [r.query.get("cursor") for r in requests[1:]] == ["cursor-1", "cursor-2", "cursor-3", "cursor-4"]
    assert f"dev: 95 new logs (95 fetched), 4 days touched, archive {folder}" in result.stderr


def test_second_run_appends_only_new_logs_and_an_unchanged_run_changes_no_byte(cli, project, watson):
    logs = make_logs(0, 40)
    watson.state.logs["ws-dev"] = list(logs)
    assert cli("logs", "--env", "dev", "--page-limit", "15").exit_code == 0
    folder = project / ".assistantgit" / "logs" / "dev"  # the default archive, git-ignored
    assert (project / ".assistantgit" / ".gitignore").read_text().splitlines()[-1] == "*"
    first = archive_bytes(folder)
    newest = max(log["request_timestamp"] for log in logs)

    # the service keeps the old logs and gains 12 new ones, one of them at the very same time as the newest
    later = make_logs(100, 11, start=datetime.fromisoformat(newest) + timedelta(minutes=5))
    twin = make_log(99, datetime.fromisoformat(newest))
    watson.state.logs["ws-dev"] = logs + [twin] + later
    before = len(log_requests(watson))
    result = cli("logs", "--env", "dev", "--page-limit", "15")
    assert result.exit_code == 0, result.stderr
    [query] = [r.query for r in log_requests(watson)[before:]][:1]
    assert query["filter"] == f"request_timestamp>={newest}"  # incremental: from the newest archived
    assert "dev: 12 new logs (13 fetched" in result.stderr  # the newest archived one comes back and is dropped
    second = archive_bytes(folder)
    for name, content in first.items():
        assert second[name].startswith(content)  # new logs are later: appended
    assert archived(folder) == expected_order(logs + [twin] + later)
    assert len({log["log_id"] for log in archived(folder)}) == 52

    # nothing new: no byte and no file changes
    stats = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.jsonl")}
    result = cli("logs", "--env", "dev")
    assert result.exit_code == 0, result.stderr
    assert "dev: 0 new logs" in result.stderr and "0 days touched" in result.stderr
    assert archive_bytes(folder) == second
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.jsonl")} == stats
    assert sorted(p.name for p in folder.iterdir()) == sorted(second)  # no temp files left
    result = cli("logs", "--env", "dev", "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_expired_cursor_resumes_from_the_last_timestamp_and_loses_nothing(cli, project, watson, tmp_path):
    # five logs share one timestamp across the page boundary where the cursor expires
    logs = make_logs(0, 18)
    tie = datetime.fromisoformat(logs[-1]["request_timestamp"]) + timedelta(minutes=1)
    tied = [make_log(n, tie) for n in (24, 20, 23, 21, 22)]
    tail = make_logs(30, 17, start=tie + timedelta(seconds=30))
    watson.state.logs["ws-dev"] = logs + tied + tail
    watson.state.expire_pages = {3}  # the cursor for page 3 is "more than 5 minutes old"
    out = tmp_path / "archive"
    result = cli("logs", "--env", "dev", "--out", out, "--page-limit", "10")
    assert result.exit_code == 0, result.stderr
    assert archived(out / "dev") == expected_order(logs + tied + tail)
    assert "the page cursor expired; listing again from" in result.stderr
    requests = log_requests(watson)
    restart = requests[3]  # pages 1, 2, then the expired cursor, then a fresh listing
    assert requests[2].query.get("cursor") == "cursor-2"
    assert "cursor" not in restart.query
    # from the newest timestamp seen on page 2 (which ended inside the tied group), not from the beginning
    assert restart.query["filter"] == f"request_timestamp>={stamp(tie)}"
    assert "dev: 40 new logs" in result.stderr


def test_a_cursor_that_outlives_its_time_is_expired_too(cli, project, watson, tmp_path):
    watson.state.logs["ws-dev"] = make_logs(0, 30)
    watson.state.cursor_ttl = -1.0  # every cursor is already too old when it is used
    result = cli("logs", "--env", "dev", "--out", tmp_path / "archive", "--page-limit", "10")
    # each restart makes progress (one page), so the archive completes
    assert result.exit_code == 0, result.stderr
    assert archived(tmp_path / "archive" / "dev") == expected_order(make_logs(0, 30))
    # a page with nothing new after a restart: bounded, one clear line
    watson.state.logs["ws-dev"] = [make_log(n, START) for n in range(25)]  # all at one instant
    result = cli("logs", "--env", "dev", "--out", tmp_path / "other", "--page-limit", "10")
    assert result.exit_code == 1
    assert "cursor expired 3 times in a row without reaching a newer log" in result.stderr
    assert "10 new logs archived before the failure" in result.stderr  # the first page is kept
    assert len(archived(tmp_path / "other" / "dev")) == 10


def test_429_and_500_are_retried(cli, project, watson, tmp_path):
    watson.state.logs["ws-dev"] = make_logs(0, 25)
    watson.state.fail("GET", r"^/v1/workspaces/ws-dev/logs$", 429, times=1, headers={"Retry-After": "0"})
    watson.state.fail("GET", r"^/v1/workspaces/ws-dev/logs$", 500, times=1)
    result = cli("logs", "--env", "dev", "--out", tmp_path / "archive", "--page-limit", "10")
    assert result.exit_code == 0, result.stderr
    assert len(log_requests(watson)) == 3 + 2
    assert archived(tmp_path / "archive" / "dev") == expected_order(make_logs(0, 25))


def test_failure_part_way_keeps_what_was_fetched_and_the_next_run_completes(cli, project, watson, tmp_path):
    logs = make_logs(0, 60)  # 2026-11-18 22:00 to 2026-11-20 10:23
    watson.state.logs["ws-dev"] = logs
    out = tmp_path / "archive"
    watson.state.fail("GET", r"^/v1/workspaces/ws-dev/logs$", 503, times=100, after=3)  # pages 1-3 pass
    result = cli("logs", "--env", "dev", "--out", out, "--page-limit", "10")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("error: dev: list the conversation logs: the service answered 503")
    assert "30 new logs archived before the failure" in line and "run again to continue" in line
    assert archived(out / "dev") == expected_order(logs)[:30]
    watson.state.faults.clear()
    result = cli("logs", "--env", "dev", "--out", out, "--page-limit", "10")
    assert result.exit_code == 0, result.stderr
    assert "dev: 30 new logs (31 fetched" in result.stderr
    assert archived(out / "dev") == expected_order(logs)


def test_auth_and_not_found_errors_are_one_line(cli, project, watson, monkeypatch, tmp_path):
    watson.state.logs["ws-dev"] = make_logs(0, 5)
    out = tmp_path / "archive"
    monkeypatch.setenv("ASSISTANT_DEV_APIKEY", "wrong")
    result = cli("logs", "--env", "dev", "--out", out)
    assert result.exit_code == 2  # configuration to fix, not a failed operation (issue 12)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "dev:" in result.stderr and "ASSISTANT_DEV_APIKEY" in result.stderr
    monkeypatch.setenv("ASSISTANT_DEV_APIKEY", API_KEY)
    watson.state.fail("GET", r"/logs$", 403, body={"error": "Forbidden", "code": 403})
    result = cli("logs", "--env", "dev", "--out", out)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: dev: list the conversation logs: access denied (403: Forbidden): check ASSISTANT_DEV_APIKEY and "
        "that it has access to this service instance"
    )
    result = cli("logs", "--env", "prod", "--out", out)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "prod: list the conversation logs: workspace ws-missing not found" in result.stderr
    assert not out.exists()


def test_since_and_filter_narrow_the_listing(cli, project, watson, tmp_path):
    logs = make_logs(0, 60)
    logs[50]["request"]["input"]["text"] = logs[50]["response"]["input"]["text"] = "do you deliver?"
    logs[55]["request"]["input"]["text"] = logs[55]["response"]["input"]["text"] = "deliver to the station"
    watson.state.logs["ws-dev"] = logs
    out = tmp_path / "archive"
    result = cli("logs", "--env", "dev", "--out", out, "--since", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert archived(out / "dev") == [log for log in logs if log["request_timestamp"] >= "2026-11-20"]
    assert log_requests(watson)[-1].query["filter"] == "request_timestamp>=2026-11-20"
    result = cli(
        "logs",
        "--env",
        "dev",
        "--out",
        tmp_path / "deliveries",
        "--filter",
        "request.input.text:deliver",
        "--since",
        "2026-11-19T08:00:00+01:00",
    )
    assert result.exit_code == 0, result.stderr
    assert log_requests(watson)[-1].query["filter"] == (
        "[request.input.text:deliver],request_timestamp>=2026-11-19T07:00:00.000Z"
    )
    assert [log["log_id"] for log in archived(tmp_path / "deliveries" / "dev")] == ["log-00050", "log-00055"]
    result = cli("logs", "--env", "dev", "--since", "last week")
    assert result.exit_code == 2 and "--since 'last week'" in result.stderr
    result = cli("logs", "--env", "dev", "--environment-id", "env-1")
    assert result.exit_code == 2 and "--environment-id is for actions environments" in result.stderr


def test_a_damaged_archive_stops_before_any_request(cli, project, watson, tmp_path):
    watson.state.logs["ws-dev"] = make_logs(0, 5)
    folder = tmp_path / "archive" / "dev"
    folder.mkdir(parents=True)
    (folder / "2026-11-18.jsonl").write_text('{"log_id": "a", "request_timestamp": "2026-11-18T10:00:00Z"}\nnot json\n')
    result = cli("logs", "--env", "dev", "--out", tmp_path / "archive")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"error: {folder / '2026-11-18.jsonl'}:2: not a log with a request_timestamp; fix or move the file first"
    )
    assert watson.state.requests == []


def test_actions_environment_lists_v2_logs(cli, tmp_path, watson, monkeypatch):
    root = tmp_path / "actions"
    root.mkdir()
    (root / "assistantgit.yaml").write_text(
        f"kind: actions\nretries: {{attempts: 2, backoff: 0.01}}\nenvironments:\n  live:\n    url: {watson.url}\n"
        "    assistant_id: as-1\n    environment: draft\n    credentials: ASSISTANT_DEV\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("IBM_CREDENTIALS_FILE", str(tmp_path / "absent.env"))
    monkeypatch.setenv("ASSISTANT_DEV_APIKEY", API_KEY)
    monkeypatch.setenv("ASSISTANT_DEV_AUTH_URL", watson.url)
    v2 = [{**log, "assistant_id": "as-1", "skill_id": "sk-1", "session_id": "s-1"} for log in make_logs(0, 12)]
    for log in v2:
        log.pop("workspace_id")
    watson.state.logs["as-1"] = v2[:6]
    watson.state.logs["env-live-1"] = v2[6:]
    result = cli("logs", "--env", "live", "--page-limit", "5")
    assert result.exit_code == 0, result.stderr
    assert archived(root / ".assistantgit" / "logs" / "live") == expected_order(v2[:6])
    requests = log_requests(watson)
    assert requests[0].path == "/v2/assistants/as-1/logs" and requests[0].query["version"] == "2024-08-25"
    result = cli("logs", "--env", "live", "--environment-id", "env-live-1", "--out", tmp_path / "live")
    assert result.exit_code == 0, result.stderr
    assert log_requests(watson)[-1].path == "/v2/assistants/env-live-1/logs"
    assert archived(tmp_path / "live" / "live") == expected_order(v2[6:])


def test_help_has_an_example(cli):
    result = cli("logs", "--help")
    assert result.exit_code == 0 and "Example: assistantgit logs --env" in result.stdout
