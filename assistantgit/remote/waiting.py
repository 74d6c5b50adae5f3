"""Waiting for the service's asynchronous jobs (imports, exports, releases, deploys).

`poll` calls a check until it says done, bounded by `waits.timeout`, and shows the
job's state once the wait has lasted a second: a spinner with the state and the time
on a terminal, one line per new state otherwise (CI logs), nothing with --quiet.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

from ..console import out
from ..errors import RemoteError

SHOW_AFTER = 1.0  # seconds: shorter waits are not worth a line


def poll(client, what: str, check, interval: float, timeout: float) -> None:
    """Call check() -> (done, state) until done, every `interval` seconds, at most `timeout` seconds."""
    started = time.monotonic()
    with _display(f"{client.env.name}: {what}", started) as show:
        while True:
            done, state = check()
            show(state)
            if done:
                return
            if time.monotonic() - started > timeout:
                raise RemoteError(
                    f"{client.env.name}: {what} still '{state}' after {timeout:g} s (waits.timeout); "
                    "check the assistant in the web UI before trying again"
                )
            client.sleep(interval)


def status_errors(status: dict) -> str:
    """The service's reasons for a failed job: `status_description` and `status_errors[].message`."""
    parts = [str(status.get("status_description") or "")]
    for error in status.get("status_errors") or []:
        parts.append(str(error.get("message") if isinstance(error, dict) else error))
    return "; ".join(p for p in parts if p) or "no details given"


@contextmanager
def _display(description: str, started: float):
    if out.quiet:
        yield lambda state: None
        return
    if not sys.stderr.isatty():
        last = [None]

        def line(state):
            if state != last[0] and time.monotonic() - started >= SHOW_AFTER:
                out.info(f"{description}: {state} ({time.monotonic() - started:.0f} s)")
                last[0] = state

        yield line
        return
    spinner = None
    try:

        def update(state):
            nonlocal spinner
            if spinner is None and time.monotonic() - started >= SHOW_AFTER:
                spinner = out.console(stderr=True).status(description)
                spinner.start()
            if spinner is not None:
                spinner.update(f"{description}: {state} ({time.monotonic() - started:.0f} s)")

        yield update
    finally:
        if spinner is not None:
            spinner.stop()
