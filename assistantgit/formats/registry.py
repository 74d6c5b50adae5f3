"""The explicit list of formats, and how an export or a tree finds its format.

Detection lives in each format (`detect`); this module only asks them in order.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import canonical
from ..errors import InputError
from ..tree import read_text
from .avaamo import format as avaamo
from .watson import actions as watson_actions
from .watson import dialog as watson_dialog
from .watson import zip as watson_zip

# Formats whose export is one JSON document, asked in this order.
JSON_FORMATS = [watson_dialog.FORMAT, watson_actions.FORMAT]
# Formats whose export is a ZIP, asked in this order with the archive's member names.
ZIP_FORMATS = [watson_zip.FORMAT, avaamo.FORMAT]
# Every format, by the name written in a tree's root file.
BY_NAME = {fmt.name: fmt for fmt in JSON_FORMATS + ZIP_FORMATS}


def format_for_json(data, where) -> object:
    for fmt in JSON_FORMATS:
        if fmt.detect(data):
            return fmt
    if not isinstance(data, dict):
        raise InputError(f"{where}: not a skill export (the JSON is a {type(data).__name__}, not an object)")
    raise InputError(
        f"{where}: not a Watson Assistant skill export (no intents, entities, dialog_nodes or actions found)"
    )


def format_of(doc: dict, text: str, where: str) -> object:
    """The format a root file names in `format:` (a text: a list or a mapping there is refused where it is)."""
    name = doc["format"]
    if not isinstance(name, str):
        from .fields import located

        known = ", ".join(sorted(BY_NAME))
        raise located(where, text, ("format",), f"'format' must be the name of a format ({known}), not {name!r:.60}")
    return format_by_name(name, where)


def format_by_name(name, where) -> object:
    fmt = BY_NAME.get(name)
    if fmt is None:
        known = ", ".join(sorted(BY_NAME))
        raise InputError(f"{where}: unknown format '{name}' (known: {known})")
    return fmt


ROOT_FILES = sorted({fmt.root_file for fmt in BY_NAME.values()})


def tree_format(root: Path):
    """The format of the tree at `root`, from its root file's `format:`."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder")
    for name in ROOT_FILES:
        marker = root / name
        if os.path.lexists(marker) and not marker.is_dir():  # a link or a FIFO: read_text refuses it
            text = read_text(marker)
            doc = canonical.loads(text, str(marker))
            if isinstance(doc, dict) and "format" in doc:
                return format_of(doc, text, str(marker))
    raise InputError(
        f"{root}: not an assistantgit source tree (no {' or '.join(ROOT_FILES)} with a format:); "
        "run 'assistantgit pull EXPORT' first"
    )


def format_for_zip(path, raw: bytes):
    """Find the format of a ZIP export from its member names: returns (format, export).

    The archive is checked for unsafe members before any format sees it.
    """
    from .ziparchive import SafeZip

    archive = SafeZip.open(raw, path)
    for fmt in ZIP_FORMATS:
        if fmt.detect(archive.names):
            return fmt, fmt.load(archive, path)
    held = ", ".join(archive.names[:5]) + (", ..." if len(archive.names) > 5 else "") or "no files"
    expected = "; ".join(fmt.description for fmt in ZIP_FORMATS)
    raise InputError(f"{path}: not a known ZIP export (it holds {held}); expected one of: {expected}")


def wrap_in_zip(fmt, export, out):
    """The ZIP for a single-skill tree pushed with --out X.zip (the ZIP format that takes it writes it)."""
    for zip_format in ZIP_FORMATS:
        wraps = getattr(zip_format, "wraps", None)  # optional: only formats that can wrap a single skill
        if wraps is not None and wraps(fmt):
            return zip_format.wrap(fmt, export, out)
    raise InputError(f"{out}: a {fmt.name} tree cannot be written as a ZIP; use a .json output")
