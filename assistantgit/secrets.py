"""Keep credentials out of the source tree.

On pull, webhook header values and values under credential-like keys (api_key,
password, secret, token, authorization...) become placeholders naming an
environment variable, `${ASSISTANTGIT_WEBHOOK_MAIN_WEBHOOK_AUTHORIZATION}`; on push
the placeholders are filled from the environment, else from the tree's local store
(local_secrets.py: what pull took out, on the machine that pulled), and an unset one
stops the push before anything is written or sent. Empty values and references such as
`$private.creds` are not secrets and stay as they are, so skills without secrets
round-trip unchanged.
"""

from __future__ import annotations

import json
import os
import re

from .errors import InputError

PLACEHOLDER = re.compile(r"\$\{(ASSISTANTGIT_[A-Z0-9_]+)\}\Z")
# A key whose value is a credential: api_key, apikey, password, client_secret, access_token...
SECRET_KEY = re.compile(r"(?:^|_)(?:api_?key|password|passwd|secret|token|authorization|bearer)\Z", re.IGNORECASE)


# Quick test on the YAML a pull renders anyway: most files hold no secret, and a few
# C-speed substring scans are far cheaper than walking every value in Python (10 MB skills).
_HINTS = (b"headers:", b"key:", b"password", b"passwd", b"secret", b"token", b"authorization", b"bearer")
_KEY_LINE = re.compile(
    rb'^[ -]*"?(?:[^\n:"]*_)?(?:headers|api_?key|password|passwd|secret|token|authorization|bearer)"?:', re.MULTILINE
)
_MAY_FILL = re.compile(r'"\$\{ASSISTANTGIT_')
_MAY_FILL_BYTES = re.compile(rb'"\$\{ASSISTANTGIT_')


def env_name(*parts: str) -> str:
    words = "_".join(re.sub(r"[^A-Za-z0-9]+", "_", part).strip("_") for part in parts if part)
    return "ASSISTANTGIT_" + re.sub(r"_+", "_", words).upper()


def _is_secret_value(value) -> bool:
    """A non-empty literal: not a placeholder, not an expression or reference."""
    return isinstance(value, str) and value.strip() != "" and not value.startswith(("$", "<?"))


class _Namer:
    """Gives each distinct secret a stable variable name; the same value under the same
    name shares it, a different value gets `_2`, `_3`... in file order."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def name_for(self, base: str, value: str) -> str:
        candidate, number = base, 1
        while candidate in self.values and self.values[candidate] != value:
            number += 1
            candidate = f"{base}_{number}"
        self.values[candidate] = value
        return "${" + candidate + "}"


def extract(files: dict, values: dict | None = None) -> dict:
    """Source files (path -> data) with secrets replaced by placeholders; `values`, when
    given, receives what each placeholder stands for (pull keeps them in the local store)."""
    namer = _Namer()
    result = {
        path: data if isinstance(data, bytes) else _extract(data, namer, None) for path, data in sorted(files.items())
    }
    if values is not None:
        values.update(namer.values)
    return result


def extract_rendered(files: dict, rendered: dict, render, values: dict | None = None) -> dict:
    """Like `extract`, on files already rendered to bytes: only files whose text has a
    header or credential-like key are walked and rendered again."""
    namer = _Namer()
    result = dict(rendered)
    for path in sorted(files):
        data = files[path]
        if isinstance(data, bytes):
            continue
        text = rendered[path].lower()
        if not any(hint in text for hint in _HINTS) or not _KEY_LINE.search(text):
            continue
        new = _extract(data, namer, None)
        if new != data:
            result[path] = render(new)
    if values is not None:
        values.update(namer.values)
    return result


def _extract(value, namer: _Namer, key):
    if isinstance(value, list):
        return [_extract(item, namer, key) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict = {}
    for k, v in value.items():
        if k == "headers" and isinstance(v, list):
            result[k] = [_header(h, value.get("name"), namer) for h in v]
        elif isinstance(k, str) and SECRET_KEY.search(k) and _is_secret_value(v):
            result[k] = namer.name_for(env_name("SECRET", key if isinstance(key, str) else "", k), v)
        else:
            result[k] = _extract(v, namer, k)
    return result


def _header(header, owner, namer: _Namer):
    if isinstance(header, dict) and isinstance(header.get("name"), str) and _is_secret_value(header.get("value")):
        name = env_name("WEBHOOK", owner if isinstance(owner, str) else "", header["name"])
        return dict(header, value=namer.name_for(name, header["value"]))
    return header


def may_hold_placeholders(upload: bytes) -> bool:
    """False when serialized JSON holds no placeholder for sure (a quick test before `fill`)."""
    return _MAY_FILL_BYTES.search(upload) is not None


def placeholders(data) -> list[str]:
    """The variable names of every placeholder in `data`, sorted, without repeats."""
    found: set[str] = set()
    if not _MAY_FILL.search(json.dumps(data, check_circular=False, default=lambda _: None)):
        return []

    def note(name: str) -> None:  # replaces nothing
        found.add(name)

    _walk(data, note)
    return sorted(found)


def fill(data, where, environ=None):
    """`data` with every placeholder replaced by its environment variable's value.

    Raises before returning anything when a variable is unset, naming all of them.
    """
    environ = os.environ if environ is None else environ
    names = placeholders(data)
    missing = [name for name in names if name not in environ]
    if not names:
        return data
    if missing:
        raise InputError(
            f"{where}: secret placeholder{'s' if len(missing) > 1 else ''} not set: {', '.join(missing)}; "
            "export these environment variables (e.g. from your CI secrets), or pull the export on this machine "
            "(it keeps the values in the tree's local store), and push again; nothing was sent or written"
        )
    return _walk(data, lambda name: environ[name])


def _walk(value, replace):
    if isinstance(value, str):
        match = PLACEHOLDER.match(value)
        if match:
            new = replace(match.group(1))
            return value if new is None else new
        return value
    if isinstance(value, list):
        return [_walk(item, replace) for item in value]
    if isinstance(value, dict):
        return {k: _walk(v, replace) for k, v in value.items()}
    return value
