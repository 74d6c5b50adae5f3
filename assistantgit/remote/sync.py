"""pull, push and restore against a named environment (issue 6).

push: build the upload (secrets filled, overrides applied) before touching the
network, back up what the environment holds, replace it, read it back and compare.
A failed upload still leaves the backup, and its path is in the error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..console import out
from ..errors import FindingsError, InputError, RemoteError
from .changes import Change, changes_of, compare_files, lines, semantic_diff, summary

KIND_FORMATS = {"dialog": "watson-dialog", "actions": "watson-actions"}


def connect(project, env):
    from .client import Client
    from .services import ActionsRemote, DialogRemote

    client = Client(env, project.attempts, project.backoff)
    interval = min(5.0, max(0.01, project.backoff))
    return (DialogRemote if env.kind == "dialog" else ActionsRemote)(client, interval)


def kind_format(kind: str):
    from ..formats import registry

    return registry.BY_NAME[KIND_FORMATS[kind]]


def pull_env(project, env, root: Path, progress=None):
    """Fetch the environment's skill and write it into the tree at `root`: returns pipeline.Pulled."""
    from ..pipeline import export_to_tree

    remote = connect(project, env)
    export = remote.skill(remote.fetch())
    return export_to_tree(kind_format(env.kind), export, root, f"environment {env.name}", progress)


@dataclass
class PushResult:
    changes: list[Change]
    backup: Path | None = None
    sent: bool = False
    diff: object = None  # the diff.SemanticDiff from the environment to the tree


def build_for(project, env, root: Path, tolerate_unset: bool = False):
    """The export to upload to `env`: (format, export), secrets filled and overrides applied."""
    from .. import secrets
    from ..project import overrides
    from ..pipeline import build_export

    fmt, export = build_export(root)
    expected = KIND_FORMATS[env.kind]
    if fmt.name != expected:
        raise InputError(
            f"{root}: the tree is a {fmt.name} tree but assistantgit.yaml says kind: {env.kind} ({expected})"
        )
    try:
        export = secrets.fill(export, root)
    except InputError:
        if not tolerate_unset:
            raise
        out.warning(f"{root}: some secret placeholders are unset; they are compared as placeholders")
    return fmt, overrides.apply(export, env.overrides, f"assistantgit.yaml: environment '{env.name}' overrides")


def _files(fmt, skill, where: str) -> dict:
    from ..secrets import extract

    return extract(fmt.explode(skill, where))


def push_env(project, env, root: Path, dry_run: bool = False, label: str | None = None) -> PushResult:
    fmt, export = build_for(project, env, root, tolerate_unset=dry_run)
    remote = connect(project, env)
    current = remote.fetch()
    diff = semantic_diff(
        fmt,
        _files(fmt, remote.skill(current), env.name),
        _files(fmt, export, str(root)),
        f"{env.name} ({env.target})",
        label or str(root),
    )
    if dry_run:
        return PushResult(changes_of(diff), diff=diff)
    result = replace(project, env, remote, fmt, current, remote.body_for(export, current), changes_of(diff))
    result.diff = diff
    return result


def restore_env(project, env, backup_path: Path) -> PushResult:
    from .backups import load

    content = load(backup_path)
    fmt = kind_format(env.kind)
    remote = connect(project, env)
    if env.kind == "dialog":
        if not fmt.detect(content):
            raise InputError(f"{backup_path}: not a dialog skill backup or export")
        body = remote.body_for(content)
    else:
        if not isinstance(content.get("assistant_skills"), list) or not isinstance(
            content.get("assistant_state"), dict
        ):
            raise InputError(f"{backup_path}: not an actions backup (a skills export with assistant_skills)")
        body = content  # import_skills wants the export body unmodified
    current = remote.fetch()
    changes = compare_files(
        fmt,
        _files(fmt, remote.skill(current), env.name),
        _files(fmt, remote.sent_skill(body), str(backup_path)),
        env.name,
        str(backup_path),
    )
    return replace(project, env, remote, fmt, current, body, changes)


def replace(project, env, remote, fmt, current, body, changes) -> PushResult:
    """Back up `current`, upload `body`, read back and compare."""
    from .backups import save

    backup = save(project.backup_root / env.name, current, project.backups)
    out.info(f"{env.name}: backed up the current content to {backup}")
    restore_hint = f"the previous content is saved in {backup}: assistantgit restore --env {env.name} {backup}"
    try:
        remote.upload(body)
        after = remote.fetch()
    except RemoteError as error:
        raise RemoteError(f"{error.message}; {restore_hint}") from None
    sent = _files(fmt, remote.sent_skill(body), "sent")
    sent_skill = remote.sent_skill(body)
    held = _files(fmt, _shaped_like(remote.readback(after, sent_skill), sent_skill), env.name)
    differences = compare_files(fmt, sent, held, "sent", env.name)
    if differences:
        shown = "; ".join(lines(differences)[:5]) + (f" (+{len(differences) - 5} more)" if len(differences) > 5 else "")
        raise FindingsError(
            f"{env.name}: uploaded, but reading it back differs from what was sent ({summary(differences)}: {shown}); "
            f"{restore_hint}"
        )
    return PushResult(changes, backup, True)


def _shaped_like(held, sent):
    """`held` without the mapping keys `sent` lacks: defaults the service adds to what it
    stores (a node's `type`, an empty `mentions`...) are not differences; a value sent and
    changed or lost still is. List items are paired by their id (`intent`, `dialog_node`,
    `text`...), so the service's order does not matter."""
    if isinstance(held, dict) and isinstance(sent, dict):
        return {k: _shaped_like(v, sent[k]) for k, v in held.items() if k in sent}
    if isinstance(held, list) and isinstance(sent, list):
        key = _id_key(held, sent)
        if key:
            by_id = {item[key]: item for item in sent}
            return [_shaped_like(h, by_id[h[key]]) if h[key] in by_id else h for h in held]
        if len(held) == len(sent):
            return [_shaped_like(h, s) for h, s in zip(held, sent)]
    return held


ID_KEYS = (
    "dialog_node",
    "intent",
    "entity",
    "value",
    "action",
    "step",
    "variable",
    "collection",
    "data_type",
    "name",
    "text",
)


def _id_key(*lists) -> str | None:
    items = [item for items in lists for item in items]
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for key in ID_KEYS:
        values = [item.get(key) for item in items]
        if all(isinstance(v, str) for v in values):
            if all(len({i[key] for i in group}) == len(group) for group in lists):
                return key
    return None
