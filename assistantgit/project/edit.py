"""Writing back into `assistantgit.yaml` what a command learned (the id of a workspace
or assistant that `push --create` made), keeping the file as its authors wrote it:
comments, order, quoting and flow style survive (ruamel.yaml's round trip), and the
file is replaced atomically."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..errors import InputError
from .config import PROJECT_FILE


def set_environment_value(root: Path, env_name: str, key: str, value: str) -> Path:
    """Set `environments.<env_name>.<key>` (placed after `url` when it is new)."""
    from ruamel.yaml import YAML

    from ..tree import read_text, write_file_atomic

    path = Path(root) / PROJECT_FILE
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the authors kept on one
    data = yaml.load(read_text(path))
    environment: Any = (data.get("environments") or {}).get(env_name) if hasattr(data, "get") else None
    if not hasattr(environment, "insert"):
        raise InputError(f"{path}: environment '{env_name}' is not a block mapping; set {key}: {value} by hand")
    if key in environment:
        environment[key] = value
    else:
        keys = list(environment)
        position = keys.index("url") + 1 if "url" in keys else len(keys)
        environment.insert(position, key, value)
    stream = io.StringIO()
    yaml.dump(data, stream)
    write_file_atomic(path, stream.getvalue().encode("utf-8"), private=False)  # keeps the file's mode
    return path
