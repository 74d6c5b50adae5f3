"""agent.yaml of an Avaamo tree, and Avaamo's naming: `<agent_name>_<agent_id>_<timestamp>.zip`."""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

from ... import canonical
from ...errors import InputError
from ...tree import read_text
from .. import fields
from ..fields import SCALAR, TEXT, ListOf
from ..ziparchive import EPOCH
from . import zip as avaamo_zip

NAME = "avaamo-agent"
ROOT_FILE = "agent.yaml"
FILES = "files"
KINDS = ("json", "binary", "folder")
# The fields of agent.yaml the code reads, with their types (formats/fields.py, issue 11).
_NAME_PART = (str, int)
ROOT_SHAPE = {
    "format": TEXT,
    "name": _NAME_PART,
    "agent_id": _NAME_PART,
    "timestamp": _NAME_PART,
    "exported_at": TEXT,
    "platform_version": SCALAR,
    "platform_version_from": TEXT,
    "archive_comment": TEXT,
    "members": ListOf({"name": TEXT, "kind": TEXT, "file": TEXT, "compression": TEXT}),
}
FILE_NAME = re.compile(r"^(?P<name>.+)_(?P<id>[A-Za-z0-9-]+)_(?P<stamp>[0-9][0-9TZtz:.+-]*)\.zip$", re.IGNORECASE)


def parse_file_name(name: str) -> dict | None:
    """name, id and timestamp from `<agent_name>_<agent_id>_<timestamp>.zip`, or None."""
    match = FILE_NAME.match(name)
    if not match:
        return None
    return {
        "name": match["name"],
        "agent_id": match["id"],
        "timestamp": match["stamp"],
        "exported_at": parse_timestamp(match["stamp"]),
    }


def parse_timestamp(stamp: str) -> str | None:
    """The export time as ISO 8601, for the stamps Avaamo-like tools write, else None."""
    digits = stamp.rstrip("Zz")
    try:
        if digits.isdigit() and len(digits) in (10, 13):
            moment = datetime.fromtimestamp(int(digits[:10]), tz=timezone.utc)
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        for pattern in (
            "%Y%m%d%H%M%S",
            "%Y%m%dT%H%M%S",
            "%Y%m%d%H%M",
            "%Y-%m-%dT%H-%M-%S",
            "%Y-%m-%d-%H-%M-%S",
            "%Y-%m-%dT%H:%M:%S",
            "%Y%m%d",
        ):
            try:
                moment = datetime.strptime(digits, pattern)
            except ValueError:
                continue
            return moment.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if stamp[-1:] in "Zz" else "")
    except (ValueError, OverflowError, OSError):
        return None
    return None


MAX_FILE_NAME = 255  # bytes: the longest file name common file systems hold


def archive_name(meta: dict) -> str | None:
    """The file name Avaamo gives this agent's export, from agent.yaml's fields (None when
    they are missing, or would not make a plain file name: see name_problem)."""
    parts = [meta.get(k) for k in ("name", "agent_id", "timestamp")]
    if not all(isinstance(p, (str, int)) and not isinstance(p, bool) and str(p) for p in parts):
        return None
    name = "_".join(str(p) for p in parts) + ".zip"
    return None if name_problem(name) else name


def name_problem(name: str) -> str | None:
    """Why `name` (from a tree, so untrusted) cannot be the export's file name inside --out, or None.

    It must be one plain file name: no folder part ('/', '\\', '..'), no control character,
    no more than MAX_FILE_NAME bytes, and of Avaamo's pattern, so it never names a path
    outside the folder the user gave."""
    if "/" in name or "\\" in name or name.startswith("."):
        return "it would name a path, not a file name (it holds '/', '\\' or starts with '.')"
    if not name.isprintable():
        return "it holds a control character"
    if len(name.encode("utf-8", "surrogatepass")) > MAX_FILE_NAME:
        return f"the file name would be over {MAX_FILE_NAME} bytes"
    if not parse_file_name(name):
        return "it does not make a name of the form <agent_name>_<agent_id>_<timestamp>.zip"
    return None


def _recorded_name(meta: dict) -> str | None:
    parts = [meta.get(k) for k in ("name", "agent_id", "timestamp")]
    if all(isinstance(p, (str, int)) and not isinstance(p, bool) and str(p) for p in parts):
        return "_".join(str(p) for p in parts) + ".zip"
    return None


def date_time(exported_at) -> tuple:
    if isinstance(exported_at, str):
        try:
            moment = datetime.fromisoformat(exported_at.rstrip("Z"))
        except ValueError:
            return EPOCH
        if 1980 <= moment.year <= 2107:
            return moment.timetuple()[:6]
    return EPOCH


def load_manifest(root: Path) -> dict:
    """agent.yaml of the tree at `root`, checked to be an Avaamo agent's."""
    path = Path(root) / ROOT_FILE
    if not os.path.lexists(path):
        raise InputError.at(root, f"no {ROOT_FILE}; run 'assistantgit pull AGENT.zip --dir {root}' first")
    text = read_text(path)  # a link or a FIFO is refused here (tree/files.py)
    meta = canonical.loads(text, str(path))
    if not isinstance(meta, dict) or meta.get("format") != NAME:
        raise InputError.at(path, f"not an Avaamo agent tree (format: {NAME} expected)")
    fields.check_shape(ROOT_SHAPE, meta, text, path)
    return meta


def checked_members(meta: dict, root: Path) -> list[dict]:
    where = root / ROOT_FILE
    members = meta.get("members")
    if not isinstance(members, list):
        raise InputError.at(where, "'members' must list the export's members")
    seen = set()
    for index, entry in enumerate(members):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            raise InputError.at(where, f"member #{index + 1} needs a text 'name'")
        reason = avaamo_zip.unsafe_name_reason(name)
        if reason:
            raise InputError.at(where, f"member '{name}' has {reason}")
        if name in seen:
            raise InputError.at(where, f"member '{name}' is listed twice")
        seen.add(name)
        kind = entry.get("kind")
        if kind not in KINDS:
            raise InputError.at(where, f"member '{name}': kind must be one of {', '.join(KINDS)}")
        if entry.get("compression", "deflated") not in avaamo_zip.COMPRESSION_CODES:
            raise InputError.at(where, f"member '{name}': unknown compression '{entry.get('compression')}'")
        if kind != "folder":
            rel = entry.get("file")
            if not isinstance(rel, str) or not rel.startswith(FILES + "/") or avaamo_zip.unsafe_name_reason(rel):
                raise InputError.at(where, f"member '{name}': 'file' must be a path inside {FILES}/")
            if kind == "json" and not rel.endswith(".yaml"):
                raise InputError.at(where, f"member '{name}': a json member's file ends in .yaml")
    return members


def output_path(meta: dict, out: Path, root: Path) -> Path:
    """`out` itself, or the export's own name inside `out` when it is a folder."""
    if out.is_dir():
        name = archive_name(meta)
        recorded = _recorded_name(meta)
        if name is None and recorded is not None:
            path = root / ROOT_FILE
            problem = f"the agent's name, id and timestamp cannot name the export: {name_problem(recorded)}"
            hint = "give --out <agent_name>_<agent_id>_<timestamp>.zip"
            raise fields.located(path, read_text(path), ("name",), f"{problem}; {hint}")
        if name is None:
            raise InputError(
                f"{root / ROOT_FILE}: no agent name, id and timestamp recorded; give --out "
                "<agent_name>_<agent_id>_<timestamp>.zip"
            )
        return out / name
    suggestion = archive_name(meta) or "<agent_name>_<agent_id>_<timestamp>.zip"
    if not out.exists() and not out.suffix:  # `--out exports/` before mkdir: a folder meant
        raise InputError(f"{out}: no such folder; create it first, or give --out {suggestion}")
    if out.suffix.lower() != ".zip":
        raise InputError(f"{out}: an Avaamo agent is uploaded as a ZIP; give --out {suggestion} (or a folder)")
    if not parse_file_name(out.name):
        from ...console import out as console

        console.warning(
            f"{out}: Avaamo names its downloads <agent_name>_<agent_id>_<timestamp>.zip ({suggestion} for this "
            "agent); the name is not a rule for uploads, so the file is written as you named it"
        )
    return out
