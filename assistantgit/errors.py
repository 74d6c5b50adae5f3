"""Errors that reach the user, each with the exit code the CLI gives it.

Exit codes, the same for every command: 0 success, 1 findings or a failed remote
operation, 2 unusable input or usage, 3 an unexpected error, 130 interrupted (Ctrl-C),
143 terminated (SIGTERM: a cancelled CI job, `timeout`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Self

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports it


class AssistantGitError(Exception):
    """An error with a one-line message a user can act on.

    An error about a place carries it as data too (`path`, `line`, `column`, and the
    `problem` without the place), so callers that name the place another way (from the
    tree's root, or as an editor annotation) never parse it back out of the message.
    """

    exit_code = EXIT_USAGE
    # The key in the file whose line the error is about, when the raiser knows the key but
    # not the text (a format assembling data): the caller that has the text finds the line.
    key_path: tuple[object, ...] | None = None

    def __init__(self, message: str, path: object = None, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.problem = message

    @classmethod
    def at(cls, path: object, problem: str, line: int | None = None, column: int | None = None) -> Self:
        """The error `path[:line[:column]]: problem`, its place kept as data."""
        where = (
            f"{path}"
            + (f":{line}" if line is not None else "")
            + (f":{column}" if line is not None and column is not None else "")
        )
        error = cls(f"{where}: {problem}", path, line, column)
        error.problem = problem
        return error

    def moved(self, path: object) -> Self:
        """The same error about the same problem, with its file named as `path`."""
        error = type(self).at(path, self.problem, self.line, self.column)
        error.key_path = self.key_path
        return error


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
    status: int | None = None  # the HTTP status, when the service answered


class RemoteSetupError(RemoteError):
    """The service cannot be used as configured: no or wrong credentials, a workspace or
    assistant id it does not know, a URL that is not one. Exit 2 like any other unusable
    input: assistantgit.yaml or the credentials need fixing, not a retry."""

    exit_code = EXIT_USAGE


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every clean-up on the way out runs (issue 10)."""
