"""The project file `assistantgit.yaml`: where the source tree is, and the named
environments (service instances) it is pulled from and pushed to.

Credentials are never read from or written to this file: each environment names a
prefix, and the IBM SDK's own external configuration (`<PREFIX>_APIKEY`,
`<PREFIX>_AUTH_TYPE`, `<PREFIX>_URL`, ... in the environment or an
`ibm-credentials.env` file) supplies them. See docs/config.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..tree import check_no_links

PROJECT_FILE = "assistantgit.yaml"
KINDS = ("dialog", "actions")
DEFAULT_VERSIONS = {"dialog": "2021-11-27", "actions": "2024-08-25"}
DEFAULT_BACKUPS = 10
DEFAULT_ATTEMPTS = 5
DEFAULT_BACKOFF = 1.0
DEFAULT_DEADLINE = 90.0  # seconds a failing call may take, retries included
DEFAULT_TIMEOUT = 60.0  # seconds to wait for an answer to one request
DEFAULT_WAIT_TIMEOUT = 1800.0  # seconds an asynchronous job (import, publish, deploy) may take
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
ENV_KEYS = {"url", "workspace_id", "assistant_id", "environment", "version", "credentials", "overrides", "ui_link"}
OVERRIDE_KEYS = {"name", "description", "webhooks", "context"}
TOP_KEYS = {"source", "sources", "kind", "backups", "retries", "waits", "environments", "validate"}
RETRY_KEYS = {"attempts", "backoff", "deadline", "timeout"}
WAIT_KEYS = {"interval", "timeout"}


@dataclass
class Environment:
    name: str
    kind: str
    credentials: str  # the SDK's external-configuration prefix, e.g. ASSISTANT_DEV
    version: str
    url: str | None = None
    workspace_id: str | None = None
    assistant_id: str | None = None
    environment: str = "draft"
    overrides: dict = field(default_factory=dict)
    ui_link: str | None = None  # the web UI's link to a workspace/assistant, with {id}

    @property
    def target(self) -> str:
        """What the environment addresses, for messages."""
        if self.kind == "dialog":
            return f"workspace {self.workspace_id}"
        return f"assistant {self.assistant_id} ({self.environment})"

    def require_target(self) -> None:
        """Stop when the id a remote command needs is missing (`push --create` writes it)."""
        if self.kind == "dialog" and not self.workspace_id:
            raise InputError(
                f"{PROJECT_FILE}: environment '{self.name}' needs a workspace_id (or create the "
                f"workspace with: assistantgit push --env {self.name} --create)"
            )
        if self.kind == "actions" and not self.assistant_id:
            raise InputError(
                f"{PROJECT_FILE}: environment '{self.name}' needs an assistant_id (or create the "
                f"assistant with: assistantgit push --env {self.name} --create)"
            )

    def refuse_placeholders(self) -> None:
        """Stop before any request when a value still holds what `assistantgit init` wrote in
        place of the real one (retrying a made-up URL five times helps nobody)."""
        for key in ("url", "workspace_id", "assistant_id"):
            value = getattr(self, key)
            found = re.search(r"YOUR-[A-Z-]+", value) if isinstance(value, str) else None
            if found:
                placeholder = found.group(0)
                raise InputError(
                    f"{PROJECT_FILE}: environment '{self.name}': {key} still holds the placeholder {placeholder} "
                    "that assistantgit init wrote; put the real value there (watsonx Assistant: Assistant "
                    "settings -> Assistant IDs and API details)"
                )

    def require_assistant(self, what: str) -> str:
        """The v2 assistant behind the environment: releases and environments live there."""
        if not self.assistant_id:
            raise InputError(
                f"{PROJECT_FILE}: environment '{self.name}' has no assistant_id, needed to {what}: a classic "
                "dialog workspace has no releases; set the assistant_id of the assistant the skill belongs to"
            )
        return self.assistant_id


@dataclass
class Project:
    root: Path
    source: str = "."
    kind: str = "dialog"
    backups: int = DEFAULT_BACKUPS
    attempts: int = DEFAULT_ATTEMPTS
    backoff: float = DEFAULT_BACKOFF
    environments: dict = field(default_factory=dict)
    deadline: float = DEFAULT_DEADLINE
    timeout: float = DEFAULT_TIMEOUT
    wait_interval: float | None = None  # None: retries.backoff, within 0.01..5 s
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT
    sources: tuple = ()  # several trees (`sources:`); empty when `source:` names the one tree
    validate: dict | None = None  # rule selection and severity, read by validate/_settings.py

    @property
    def source_list(self) -> list[str]:
        """Every tree folder the project names, relative to its root."""
        return list(self.sources) or [self.source]

    @property
    def poll_interval(self) -> float:
        return self.wait_interval if self.wait_interval is not None else min(5.0, max(0.01, self.backoff))

    @property
    def source_dir(self) -> Path:
        return self.root / self.source

    @property
    def backup_root(self) -> Path:
        return self.root / ".assistantgit" / "backups"

    def environment(self, name: str) -> Environment:
        env = self.environments.get(name)
        if env is None:
            known = ", ".join(sorted(self.environments)) or "none defined"
            raise InputError(f"{self.root / PROJECT_FILE}: no environment '{name}' (known: {known})")
        return env


def find_project(start: Path | None = None) -> Path:
    """The folder holding assistantgit.yaml: `start` or its nearest parent."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise InputError(f"no {PROJECT_FILE} in {here} or its parents; run 'assistantgit init' first")


def load_project(start: Path | None = None) -> Project:
    from .. import canonical
    from ..tree import display_path, read_text

    root = find_project(start)
    path = root / PROJECT_FILE
    where = display_path(path)
    data = canonical.loads(read_text(path), where)
    return parse_project(data, root, where)


def parse_project(data, root: Path, where: str) -> Project:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(f"{where}: must hold a mapping (source, kind, environments...)")
    _unknown(data, TOP_KEYS, where)
    kind = data.get("kind", "dialog")
    if kind not in KINDS:
        raise InputError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    source, sources = _sources(data, where)
    for folder in sources or (source,):  # `source: skill` with skill a committed link would reach outside
        check_no_links(root, folder)
    backups = data.get("backups", DEFAULT_BACKUPS)
    if not isinstance(backups, int) or isinstance(backups, bool) or backups < 1:
        raise InputError(f"{where}: backups must be a whole number of at least 1")
    retries = _section(data, "retries", RETRY_KEYS, where)
    attempts = retries.get("attempts", DEFAULT_ATTEMPTS)
    if not isinstance(attempts, int) or isinstance(attempts, bool) or not 1 <= attempts <= 20:
        raise InputError(f"{where}: retries.attempts must be a whole number from 1 to 20")
    project = Project(
        root,
        source,
        kind,
        backups,
        attempts,
        _seconds(retries, "backoff", DEFAULT_BACKOFF, 0, 60, where),
        sources=sources,
    )
    project.deadline = _seconds(retries, "deadline", DEFAULT_DEADLINE, 0.1, 3600, where)
    project.timeout = _seconds(retries, "timeout", DEFAULT_TIMEOUT, 0.1, 600, where)
    waits = _section(data, "waits", WAIT_KEYS, where)
    if "interval" in waits:
        project.wait_interval = _seconds(waits, "interval", 2.0, 0.01, 60, where, "waits")
    project.wait_timeout = _seconds(waits, "timeout", DEFAULT_WAIT_TIMEOUT, 0.01, 86400, where, "waits")
    project.validate = data.get("validate")
    environments = data.get("environments") or {}
    if not isinstance(environments, dict):
        raise InputError(f"{where}: environments must be a mapping of name -> settings")
    if environments and len(sources) > 1:
        raise InputError(
            f"{where}: environments need one source tree, and sources names {len(sources)}; give each tree its own "
            "assistantgit.yaml in its folder (source: .) with its environments (see docs/config.md, several trees)"
        )
    for name, settings in environments.items():
        project.environments[str(name)] = parse_environment(str(name), settings, kind, f"{where}: environment '{name}'")
    return project


def _sources(data: dict, where: str) -> tuple[str, tuple]:
    """(the first tree folder, every tree folder when `sources:` lists several)."""
    if "source" in data and "sources" in data:
        raise InputError(f"{where}: give source (one tree) or sources (a list of trees), not both")
    if "sources" not in data:
        return _source(data.get("source", "."), where, "source"), ()
    listed = data["sources"]
    if not isinstance(listed, list) or not listed:
        raise InputError(f"{where}: sources must be a list of tree folders, e.g. [skills/care, skills/billing]")
    folders = tuple(_source(item, where, "each of sources") for item in listed)
    twice = sorted({f for f in folders if folders.count(f) > 1})
    if twice:
        raise InputError(f"{where}: sources names {', '.join(twice)} twice")
    return folders[0], folders


def _source(value, where: str, what: str) -> str:
    if not isinstance(value, str) or not value or Path(value).is_absolute() or ".." in Path(value).parts:
        raise InputError(f"{where}: {what} must be a folder inside the project, not {value!r}")
    return Path(value).as_posix()


def _section(data: dict, key: str, allowed: set, where: str) -> dict:
    section = data.get(key) or {}
    if not isinstance(section, dict):
        raise InputError(f"{where}: {key} must be a mapping ({', '.join(sorted(allowed))})")
    _unknown(section, allowed, f"{where}: {key}")
    return section


def _seconds(
    section: dict, key: str, default: float, low: float, high: float, where: str, name: str = "retries"
) -> float:
    value = section.get(key, default)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
        raise InputError(f"{where}: {name}.{key} must be a number of seconds from {low:g} to {high:g}")
    return float(value)


def parse_environment(name: str, settings, kind: str, where: str) -> Environment:
    if not _NAME.match(name):
        raise InputError(f"{where}: a name uses letters, digits, '-' and '_' only")
    if not isinstance(settings, dict):
        raise InputError(f"{where}: must be a mapping (url, workspace_id or assistant_id, credentials...)")
    _unknown(settings, ENV_KEYS, where)
    for key in ENV_KEYS - {"overrides"}:
        if key in settings and not isinstance(settings[key], str):
            raise InputError(f"{where}: {key} must be text (quote it)")
    prefix = settings.get("credentials") or f"ASSISTANT_{name.upper().replace('-', '_')}"
    if not _PREFIX.match(prefix):
        raise InputError(f"{where}: credentials must be an environment-variable prefix like ASSISTANT_DEV")
    version = settings.get("version") or DEFAULT_VERSIONS[kind]
    if not _DATE.match(version):
        raise InputError(f"{where}: version must be an API version date like {DEFAULT_VERSIONS[kind]}")
    env = Environment(
        name=name,
        kind=kind,
        credentials=prefix.upper(),
        version=version,
        url=settings.get("url") or None,
        workspace_id=settings.get("workspace_id"),
        assistant_id=settings.get("assistant_id"),
        environment=settings.get("environment") or "draft",
        ui_link=settings.get("ui_link") or None,
    )
    # A missing workspace_id / assistant_id is reported when a command needs it: `push --create`
    # and `preview` work without one.
    if kind == "actions":
        if env.environment != "draft":
            raise InputError(
                f"{where}: environment must be 'draft': the skills import and export APIs work on the draft "
                "environment only (publish a release from the draft to update live)"
            )
    overrides = settings.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise InputError(f"{where}: overrides must be a mapping (name, description, webhooks, context)")
    _unknown(overrides, OVERRIDE_KEYS, f"{where}: overrides")
    for key in ("webhooks", "context"):
        if key in overrides and not isinstance(overrides[key], dict):
            raise InputError(f"{where}: overrides.{key} must be a mapping")
    for key in ("name", "description"):
        if key in overrides and not isinstance(overrides[key], str):
            raise InputError(f"{where}: overrides.{key} must be text")
    env.overrides = overrides
    return env


def _unknown(mapping: dict, allowed: set, where: str) -> None:
    extra = sorted(str(k) for k in mapping if k not in allowed)
    if extra:
        raise InputError(f"{where}: unknown key {', '.join(extra)} (allowed: {', '.join(sorted(allowed))})")


def template(source: str, kind: str, env_name: str, url: str | None, target_id: str | None) -> str:
    """The text `assistantgit init` writes: commented so the file documents itself."""
    prefix = f"ASSISTANT_{env_name.upper().replace('-', '_')}"
    address = (
        f"    workspace_id: {_q(target_id or 'YOUR-WORKSPACE-ID')}\n"
        if kind == "dialog"
        else f"    assistant_id: {_q(target_id or 'YOUR-ASSISTANT-ID')}\n    environment: draft\n"
    )
    return (
        "# assistantgit project file: see docs/config.md. No secret belongs here:\n"
        f"# credentials come from {prefix}_APIKEY (and {prefix}_URL, {prefix}_AUTH_TYPE...)\n"
        "# in the environment or in an ibm-credentials.env file (never commit it).\n"
        f"source: {_q(source)}\n"
        f"kind: {kind}\n"
        f"backups: {DEFAULT_BACKUPS}\n"
        "environments:\n"
        f"  {env_name}:\n"
        f"    url: {_q(url or 'https://api.us-south.assistant.watson.cloud.ibm.com/instances/YOUR-INSTANCE-ID')}\n"
        f"{address}"
        f"    version: {_q(DEFAULT_VERSIONS[kind])}\n"
        f"    credentials: {prefix}\n"
        "    # overrides applied when pushing to this environment:\n"
        "    # overrides:\n"
        "    #   name: My skill (dev)\n"
        "    #   webhooks: {main_webhook: https://dev.example.com/hook}\n"
        "    #   context: {api_base: https://dev.example.com}\n"
    )


def _q(text: str) -> str:
    import json

    return json.dumps(text)
