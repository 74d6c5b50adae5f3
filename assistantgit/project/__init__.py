"""The project around a source tree: assistantgit.yaml with its environments (config.py),
and the per-environment overrides applied at push time (overrides.py)."""

from __future__ import annotations

from .config import KINDS, PROJECT_FILE, Environment, Project, find_project, load_project, parse_project, template

__all__ = [
    "KINDS",
    "PROJECT_FILE",
    "Environment",
    "Project",
    "find_project",
    "load_project",
    "parse_project",
    "template",
]
