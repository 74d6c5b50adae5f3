"""The explicit list of formats, and how an export or a tree finds its format.

Detection lives in each format (`detect`); this module only asks them in order.
"""
from __future__ import annotations

from ..errors import InputError
from . import watson_dialog

# Formats whose export is one JSON document, asked in this order.
JSON_FORMATS = [watson_dialog.FORMAT]
# Every format, by the name written in a tree's root file.
BY_NAME = {fmt.name: fmt for fmt in JSON_FORMATS}


def format_for_json(data, where) -> object:
    for fmt in JSON_FORMATS:
        if fmt.detect(data):
            return fmt
    if not isinstance(data, dict):
        raise InputError(f"{where}: not a skill export (the JSON is a {type(data).__name__}, not an object)")
    raise InputError(
        f"{where}: not a Watson Assistant skill export (no intents, entities, dialog_nodes or actions found)"
    )


def format_by_name(name, where) -> object:
    fmt = BY_NAME.get(name)
    if fmt is None:
        known = ", ".join(sorted(BY_NAME))
        raise InputError(f"{where}: unknown format '{name}' (known: {known})")
    return fmt


ROOT_FILES = sorted({fmt.root_file for fmt in BY_NAME.values()})


def format_for_zip(path, raw: bytes):
    """Find the format of a ZIP export: returns (format, export)."""
    raise InputError(f"{path}: ZIP exports are not supported by this version")


def wrap_in_zip(fmt, export, out):
    raise InputError(f"{out}: this tree cannot be written as a ZIP; use a .json output")
