"""Errors that reach the user, each with the exit code the CLI gives it.

Exit codes, the same for every command: 0 success, 1 findings or a failed remote
operation, 2 unusable input or usage, 3 an unexpected error, 130 interrupted.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130


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
    """A remote operation failed (network, service error)."""

    exit_code = EXIT_FINDINGS


class RemoteSetupError(RemoteError):
    """The service cannot be used as configured: no or wrong credentials, a workspace or
    assistant id it does not know, a URL that is not one. Exit 2 like any other unusable
    input: assistantgit.yaml or the credentials need fixing, not a retry."""

    exit_code = EXIT_USAGE
