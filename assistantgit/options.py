"""The choices of `--format`, one Enum per kind of report, so `--help` lists them and
every command that prints that report accepts the same values.

Kept apart from the code that renders the reports: the CLI imports every command at
start-up, and this module costs nothing to import.
"""

from __future__ import annotations

from enum import Enum


class DiffFormat(str, Enum):
    """A semantic diff: `diff --format`, and `push`/`promote --dry-run --format`."""

    text = "text"  # for a terminal or a log (coloured on a terminal)
    markdown = "markdown"  # a pull-request comment
    json = "json"  # for programs (docs/diff.md)


class ReportFormat(str, Enum):
    """A report for people or programs: `status --format`."""

    text = "text"
    markdown = "markdown"  # a pull-request or issue comment
    json = "json"


class FindingsFormat(str, Enum):
    """validate's findings: `validate --format`."""

    text = "text"  # path:line:column: error: ID message
    github = "github"  # GitHub Actions annotations
    json = "json"


class Kind(str, Enum):
    """What an environment holds: `init --kind`."""

    dialog = "dialog"  # a v1 workspace (classic dialog skill)
    actions = "actions"  # a v2 assistant's actions skill


class ConversationFormat(str, Enum):
    """A conversation test run or an intent regression: `test --format` (docs/testing.md)."""

    text = "text"  # failures with file:line, totals, coverage
    markdown = "markdown"  # a pull-request comment
    json = "json"  # for programs, and a --baseline for the next regression


class ShowFormat(str, Enum):
    """The flow of a skill: `show --format`."""

    text = "text"  # an indented outline (coloured on a terminal)
    mermaid = "mermaid"  # one Mermaid flowchart
    markdown = "markdown"  # Mermaid flowcharts in ```mermaid blocks, a large skill in parts
