"""Terminal output: messages, errors, progress. Rich is imported only when a
progress bar or colour is really wanted, so hooks start fast.

Colour only on a terminal; NO_COLOR (set and not empty, as no-color.org says) or --no-color
turns it off;
--quiet silences everything but errors and the results a command exists to print.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager


def no_color_env() -> bool:
    return bool(os.environ.get("NO_COLOR"))


class Output:
    def __init__(self) -> None:
        self.quiet = False
        self.no_color = False
        self.stdout_closed = False

    @property
    def color(self) -> bool:
        return not self.no_color and not no_color_env() and sys.stderr.isatty()

    @property
    def stdout_color(self) -> bool:
        """Colour for what goes to stdout (results), which may be a terminal when stderr is not."""
        return not self.no_color and not no_color_env() and sys.stdout.isatty()

    def info(self, message: str) -> None:
        """A status line on stderr (silenced by --quiet)."""
        if not self.quiet:
            print(message, file=sys.stderr)

    def result(self, message: str) -> None:
        """What the command was asked to produce, on stdout (never silenced).

        When the reader goes away (`assistantgit diff | head`), the rest is dropped and the
        command ends with the exit code it would have had: a closed pipe is not a finding."""
        if self.stdout_closed:
            return
        try:
            print(message)
            sys.stdout.flush()
        except BrokenPipeError:
            self.stdout_closed = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # nothing left to flush at exit, no second error
            os.close(devnull)

    def error(self, message: str) -> None:
        prefix = "\033[31merror:\033[0m " if self.color else "error: "
        print(prefix + message, file=sys.stderr)

    def warning(self, message: str) -> None:
        if not self.quiet:
            prefix = "\033[33mwarning:\033[0m " if self.color else "warning: "
            print(prefix + message, file=sys.stderr)

    def console(self, stderr: bool = False):
        """A rich Console that follows the colour rules."""
        from rich.console import Console

        return Console(
            stderr=stderr, no_color=not self.color if stderr else (self.no_color or no_color_env()), highlight=False
        )

    @contextmanager
    def progress(self, description: str):
        """Yield a callback(done, total); shows a bar only on a terminal and without --quiet."""
        if self.quiet or not sys.stderr.isatty():
            yield None
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(description, total=None)

            def update(done: int, total: int) -> None:
                if done == total or done % 200 == 0:
                    bar.update(task, completed=done, total=total)

            yield update


out = Output()
