"""The local secret store: the values `pull` took out of a tree, kept on this machine only.

Pull replaces credentials with `${ASSISTANTGIT_...}` placeholders so they never reach git.
On the machine that pulled, the values are kept in the tree's `.assistantgit/secrets.env`
(one `NAME="value"` line each, the way `.env` files are used), so `push` on the same machine
works without exporting a variable per secret. An environment variable always wins: CI sets
its secrets that way and has no store.

The store is the user's only: the folder is 0700, the file 0600, and the folder holds a
`.gitignore` of `*`, so `git add -A` never takes it, whatever the repository ignores. It is
never read or written through a symbolic link (a tree from a pull request may hold one).
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path

from .errors import InputError

FOLDER = ".assistantgit"
STORE = "secrets.env"
_IGNORE_ALL = "# assistantgit's local files (cache, secrets): never committed\n*\n"
_LINE = re.compile(r"(ASSISTANTGIT_[A-Z0-9_]+)=(.*)\Z")

ENVIRONMENT = "environment"
LOCAL = "local store"
MISSING = "missing"


def store_path(root: Path) -> Path:
    return Path(root) / FOLDER / STORE


def read_store(root: Path) -> dict[str, str]:
    """The stored values of the tree at `root` ({} when it has no store)."""
    path = store_path(root)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise InputError(f"{path}: cannot read the local secret store ({error.strerror or error})") from None
    with os.fdopen(handle, "rb") as file:
        raw = file.read()
    values = {}
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise InputError(f'{path}:{number}: not a NAME="value" line of an ASSISTANTGIT_ variable')
        values[match.group(1)] = _value(match.group(2), path, number)
    return values


def _value(text: str, path: Path, number: int) -> str:
    if not text.startswith('"'):
        return text
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, str):
        raise InputError(f"{path}:{number}: the value is not one double-quoted string")
    return value


def remember(root: Path, values: dict[str, str]) -> Path | None:
    """Add (or update) values in the tree's store; the path written, or None when nothing to keep."""
    if not values:
        return None
    current = read_store(root)
    merged = {**current, **values}
    if merged == current:
        return store_path(root)
    folder = _private_folder(Path(root))
    text = "# Values assistantgit pull took out of this tree. Local to this machine; never commit.\n"
    text += "# An environment variable of the same name wins (CI sets its secrets that way).\n"
    text += "".join(f"{name}={json.dumps(value, ensure_ascii=False)}\n" for name, value in sorted(merged.items()))
    handle, temp = tempfile.mkstemp(prefix=f".{STORE}.", suffix=".tmp", dir=folder)  # 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
        os.replace(temp, folder / STORE)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return folder / STORE


def _private_folder(root: Path) -> Path:
    """The tree's .assistantgit/ as a real folder of the user's only, holding its .gitignore."""
    folder = root / FOLDER
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError as error:
        raise InputError(f"{folder}: could not create the folder ({error.strerror or error})") from None
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise InputError(f"{folder}: is not a folder (a link or a file); the local secret store is not written")
    os.chmod(folder, 0o700)
    ignore = folder / ".gitignore"
    if not ignore.exists() and not ignore.is_symlink():
        descriptor = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(_IGNORE_ALL)
    return folder


def values_for(root: Path, environ: Mapping | None = None, also: Path | None = None) -> Mapping:
    """What fills the tree's placeholders: the environment, then the tree's local store
    (then the store of `also`: promote pushes a copy of the project's tree from git)."""
    environ = os.environ if environ is None else environ
    stores = [read_store(_store_root(Path(folder))) for folder in (root, also) if folder is not None]
    return ChainMap(dict(environ), *stores)


def origins(root: Path, names, environ: Mapping | None = None) -> dict[str, str]:
    """Where each placeholder's value comes from: environment, local store, or missing."""
    environ = os.environ if environ is None else environ
    stored = read_store(_store_root(Path(root)))
    return {name: ENVIRONMENT if name in environ else LOCAL if name in stored else MISSING for name in names}


def _store_root(root: Path) -> Path:
    """The tree whose store serves `root`: itself, or the ZIP tree around a part pushed alone
    (pull keeps one store per tree, at the ZIP tree's root)."""
    if not store_path(root).exists() and store_path(root.parent).exists():
        return root.parent
    return root
