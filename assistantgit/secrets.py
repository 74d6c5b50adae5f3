"""Keep credentials out of the source tree.

On pull, webhook header values and values under credential-like keys (api_key,
apiKey, x-api-key, password, clientSecret, accessToken, Authorization... in any
spelling: see is_secret_key) become placeholders naming an environment variable,
`${ASSISTANTGIT_WEBHOOK_MAIN_WEBHOOK_AUTHORIZATION}` (`${...:number}` for a number);
on push the placeholders are filled from the environment, else from the tree's local
store (local_secrets.py: what pull took out, on the machine that pulled), and an unset
one stops the push before anything is written or sent. Empty values and references such as
`$private.creds` are not secrets and stay as they are, so skills without secrets
round-trip unchanged.
"""

from __future__ import annotations

import json
import os
import re

from .errors import InputError

# `${NAME}` for a text, `${NAME:number}` for a number (the upload gets a number back).
PLACEHOLDER = re.compile(r"\$\{(ASSISTANTGIT_[A-Z0-9_]+)(:number)?\}\Z")

# -- which keys hold credentials (issue 11) ----------------------------------------------------------
# A key is split into words at '_', '-', '.', spaces and camelCase humps (accessToken, X-API-Key,
# DB_PASSWORD, clientSecret); trailing numbers aside (password2), it names a credential when its
# last word is one of _LAST_WORDS, or its last two are one of _LAST_PAIRS.
_KEY_KINDS = ("api", "private", "secret", "access", "auth", "client", "signing", "encryption", "subscription", "master")
_LAST_WORDS = frozenset(
    {"password", "passwd", "passphrase", "pwd", "secret", "token", "authorization", "bearer", "credential"}
    | {"credentials", "sessionkey"}
    | {kind + "key" for kind in _KEY_KINDS}
)
_LAST_PAIRS = frozenset(
    {("pass", "word"), ("pass", "phrase"), ("session", "key")} | {(kind, "key") for kind in _KEY_KINDS}
)
_KEY_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def is_secret_key(key) -> bool:
    """True for a key whose value is a credential, in any spelling: api_key, apiKey, x-api-key,
    API-KEY, accessToken, client_secret, clientSecret, PASSWORD, Authorization..."""
    if not isinstance(key, str):
        return False
    words = [w.lower() for w in _KEY_WORDS.findall(key)]
    while words and words[-1].isdigit():
        words.pop()
    return bool(words) and (words[-1] in _LAST_WORDS or tuple(words[-2:]) in _LAST_PAIRS)


def is_secret_value(value) -> bool:
    """A non-empty literal, text or number: not a placeholder, not an expression or reference."""
    if isinstance(value, str):
        return value.strip() != "" and not value.startswith(("$", "<?"))
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def credential_pair(key: str, literal: str) -> bool:
    """For JSON text that cannot be parsed: a `"key": literal` pair that holds a credential
    (`literal` is the value's start: `"text` or a digit)."""
    if not is_secret_key(key):
        return False
    if literal.startswith('"'):
        return is_secret_value(literal[1:] or "")
    return True


# Quick test on the YAML a pull renders anyway: most files hold no secret, and a few
# C-speed substring scans are far cheaper than walking every value in Python (10 MB skills).
# Every credential key, lower-cased, holds one of these: each of _LAST_WORDS holds one, and
# each of _LAST_PAIRS ends in "key" or starts with "pass".
_HINTS = (
    b"headers:",
    b"key",
    b"password",
    b"passwd",
    b"pass",
    b"pwd",
    b"secret",
    b"token",
    b"auth",
    b"bearer",
    b"credential",
)
# The keys of a canonical text's lines (a superset: block-scalar lines may look like keys too).
_KEY_LINE = re.compile(rb'^[ \-]*(?:"((?:[^"\\\n]|\\.)*)"|([^\s"\-][^\n]*?)):(?: |$)', re.MULTILINE)
_MAY_FILL = re.compile(r'"\$\{ASSISTANTGIT_')
# What a placeholder's JSON text starts with; a plain search finds it in a 10 MB upload in a
# third of a regular expression's time (push asks about every run of items it writes).
_PLACEHOLDER_START = b'"${ASSISTANTGIT_'


def _may_hold_secret(text: bytes) -> bool:
    """False only when no key of the canonical text is a credential key and none is `headers`."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _HINTS):
        return False
    for quoted, plain in set(_KEY_LINE.findall(text)):
        key = plain.decode("utf-8", "replace") if plain else _unquote(quoted)
        if key == "headers" or _secret_key_cached(key):
            return True
    return False


def _unquote(quoted: bytes) -> str:
    try:
        return json.loads(b'"' + quoted + b'"')
    except ValueError:
        return quoted.decode("utf-8", "replace")


_KEY_VERDICTS: dict = {}


def _secret_key_cached(key: str) -> bool:
    verdict = _KEY_VERDICTS.get(key)
    if verdict is None:
        if len(_KEY_VERDICTS) > 65536:
            _KEY_VERDICTS.clear()
        verdict = _KEY_VERDICTS[key] = is_secret_key(key)
    return verdict


def env_name(*parts: str) -> str:
    words = "_".join(re.sub(r"[^A-Za-z0-9]+", "_", part).strip("_") for part in parts if part)
    return "ASSISTANTGIT_" + re.sub(r"_+", "_", words).upper()


class _Namer:
    """Gives each distinct secret a stable variable name; the same value under the same
    name shares it, a different value gets `_2`, `_3`... in file order."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def name_for(self, base: str, value) -> str:
        candidate, number = base, 1
        while candidate in self.values and self.values[candidate] != value:
            number += 1
            candidate = f"{base}_{number}"
        self.values[candidate] = value
        return "${" + candidate + ("}" if isinstance(value, str) else ":number}")


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


def extract_rendered(
    files: dict, rendered: dict, render, values: dict | None = None, keys: dict[str, str] | None = None
) -> dict:
    """Like `extract`, on files already rendered to bytes: only files whose text has a
    header or credential-like key are walked and rendered again. `keys`, when given, holds
    (at least) every key of every file with its written form (canonical.keys_written()):
    then only a file whose text holds the written form of a `headers` or credential key is
    walked, and when no key is one of those, no file is even looked at."""
    namer = _Namer()
    result = dict(rendered)
    may_hold = _may_hold_secret
    if keys is not None:
        marks = [
            written.encode("utf-8") for key, written in keys.items() if key == "headers" or _secret_key_cached(key)
        ]
        if not marks:
            return result
        may_hold = _holding(marks)
    for path in sorted(files):
        data = files[path]
        if isinstance(data, bytes):
            continue
        if not may_hold(rendered[path]):
            continue
        new = _extract(data, namer, None)
        if new != data:
            result[path] = render(new)
    if values is not None:
        values.update(namer.values)
    return result


def _holding(marks: list[bytes]):
    """A test of a rendered text: does it hold one of these bytes?"""

    def holds(text: bytes) -> bool:
        return any(mark in text for mark in marks)

    return holds


def _extract(value, namer: _Namer, key):
    """`value` with its secrets replaced, or `value` itself (not a copy) when it holds none:
    most of a skill holds no secret, and copying every mapping and list was most of the cost
    (issue 14: a diff of two 10 MB exports spent ~38 % here). Texts are most values, so
    they are told apart first, and a key's verdict is read from its cache inline."""
    if isinstance(value, list):
        return _extract_list(value, namer, key)
    if not isinstance(value, dict):
        return value
    changed: dict | None = None
    verdicts = _KEY_VERDICTS
    for k, v in value.items():
        new: object
        secret_key = verdicts.get(k)
        if secret_key is None:
            secret_key = _secret_key_cached(k)
        if type(v) is str:
            if not (secret_key and is_secret_value(v)):
                continue
            new = namer.name_for(env_name("SECRET", key if isinstance(key, str) else "", k), v)
        elif k == "headers" and isinstance(v, list):
            new = [_header(h, value.get("name"), namer) for h in v]
        elif secret_key and is_secret_value(v):
            new = namer.name_for(env_name("SECRET", key if isinstance(key, str) else "", k), v)
        elif isinstance(v, (list, dict)):
            new = _extract(v, namer, k)
        else:
            continue
        if new is not v:
            if changed is None:
                changed = {}
            changed[k] = new
    if changed is None:
        return value
    return {k: changed.get(k, v) for k, v in value.items()}


def _extract_list(items: list, namer: _Namer, key) -> list:
    """_extract of a list: the list itself when no item changes."""
    if items and type(items[0]) is str:
        try:  # a list of texts only (examples, synonyms) holds no secret: one C-speed test
            "".join(items)
        except TypeError:
            pass
        else:
            return items
    for index, item in enumerate(items):
        if type(item) is str:
            continue
        new = _extract(item, namer, key)
        if new is not item:
            rest = [later if type(later) is str else _extract(later, namer, key) for later in items[index + 1 :]]
            return [*items[:index], new, *rest]
    return items


def _header(header, owner, namer: _Namer):
    if isinstance(header, dict) and isinstance(header.get("name"), str) and is_secret_value(header.get("value")):
        name = env_name("WEBHOOK", owner if isinstance(owner, str) else "", header["name"])
        return dict(header, value=namer.name_for(name, header["value"]))
    return header


def may_hold_placeholders(upload: bytes) -> bool:
    """False when serialized JSON holds no placeholder for sure (a quick test before `fill`)."""
    return _PLACEHOLDER_START in upload


def placeholders(data) -> list[str]:
    """The variable names of every placeholder in `data`, sorted, without repeats."""
    found: set[str] = set()
    if not _MAY_FILL.search(json.dumps(data, check_circular=False, default=lambda _: None)):
        return []

    def note(name: str, number: bool = False) -> None:  # replaces nothing
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
    return _walk(data, lambda name, number=False: _number(name, environ[name], where) if number else environ[name])


def _number(name: str, text: str, where):
    """The value of a `${NAME:number}` placeholder: the variable must hold a JSON number."""
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(
            f"{where}: {name} must hold a number (the value it replaces was one); nothing was sent or written"
        )
    return value


def _walk(value, replace):
    if isinstance(value, str):
        match = PLACEHOLDER.match(value)
        if match:
            new = replace(match.group(1), True) if match.group(2) else replace(match.group(1))
            return value if new is None else new
        return value
    if isinstance(value, list):
        return [_walk(item, replace) for item in value]
    if isinstance(value, dict):
        return {k: _walk(v, replace) for k, v in value.items()}
    return value
