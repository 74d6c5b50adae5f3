"""Errors that reach the user, each with the exit code the CLI gives it.

Exit codes, the same for every command: 0 success, 1 findings or a failed remote
operation, 2 unusable input or usage, 3 an unexpected error, 130 interrupted (Ctrl-C),
143 terminated (SIGTERM: a cancelled CI job, `timeout`).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports it


class AssistantGitError(Exception):
    """An error with a one-line message a user can act on."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(AssistantGitError):
    """A file, tree or argument that cannot be used."""

    exit_code = EXIT_USAGE


class LimitError(InputError):
    """The result would break a vendor limit (size, name length)."""


class FindingsError(AssistantGitError):
    """The command ran and found problems (validation, differences)."""

    exit_code = EXIT_FINDINGS


class RemoteError(AssistantGitError):
    """A remote operation failed (authentication, not found, service error)."""

    exit_code = EXIT_FINDINGS


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every clean-up on the way out runs (issue 10)."""
