"""pull, push and restore against a named environment (issue 6).

push: build the upload (secrets filled, overrides applied) before touching the
network, back up what the environment holds, replace it, read it back and compare.
A failed upload still leaves the backup, and its path is in the error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..console import out
from ..diff.summary import Change, changes_of, compare_files, lines, semantic_diff, summary
from ..errors import FindingsError, InputError, RemoteError
from ..formats.base import PartedFormat
from .readback import comparable, complete

if TYPE_CHECKING:
    from ..diff import SemanticDiff


def connect(project, env, fmt=None, export=None):
    """The remote for `env`; for a ZIP tree (`fmt`, `export`), its draft seen as that tree."""
    from .client import Client
    from .services import REMOTES

    client = Client.for_project(project, env)
    if fmt is not None and isinstance(fmt, PartedFormat):  # kind: actions covers a published-version ZIP tree
        from .release_files import ZipRemote

        return ZipRemote(client, project.poll_interval, project.wait_timeout, [m.name for m in export.members])
    return REMOTES[env.kind](client, project.poll_interval, project.wait_timeout)


def kind_format(kind: str):
    """The format of the skills an environment of this `kind:` holds."""
    from .services import REMOTES

    return REMOTES[kind].skill_format()


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
    diff: SemanticDiff | None = None  # from the environment to the tree


def build_for(project, env, root: Path, tolerate_unset: bool = False):
    """The export to upload to `env`: (format, export), secrets filled and overrides applied."""
    from .. import secrets
    from ..pipeline import build_export
    from ..project import overrides

    fmt, export = build_export(root)
    expected = kind_format(env.kind).name
    if isinstance(fmt, PartedFormat) and env.kind == "actions":  # uploaded whole, through the release import
        from .release_files import prepare

        return fmt, prepare(export, env, root, tolerate_unset, also=project.root / project.source)
    if fmt.name != expected:
        raise InputError(
            f"{root}: the tree is a {fmt.name} tree but assistantgit.yaml says kind: {env.kind} ({expected})"
        )
    from ..local_secrets import values_for

    try:
        export = secrets.fill(export, root, values_for(root, also=project.root / project.source))
    except InputError:
        if not tolerate_unset:
            raise
        out.warning(f"{root}: some secret placeholders are unset; they are compared as placeholders")
    return fmt, overrides.apply(export, env.overrides, f"assistantgit.yaml: environment '{env.name}' overrides")


def skill_files(fmt, skill, where: str) -> dict:
    """The skill as source files, every field present: a field the tree lacks compares as empty,
    which is what a push makes of it (readback.complete)."""
    from ..secrets import extract

    return extract(fmt.explode(complete(skill, fmt), where))


def push_env(
    project, env, root: Path, dry_run: bool = False, label: str | None = None, backup: bool = True
) -> PushResult:
    fmt, export = build_for(project, env, root, tolerate_unset=dry_run)
    remote = connect(project, env, fmt, export)
    current = remote.fetch()
    diff = semantic_diff(
        fmt,
        skill_files(fmt, remote.skill(current), env.name),
        skill_files(fmt, export, str(root)),
        f"{env.name} ({env.target})",
        label or str(root),
    )
    if dry_run:
        return PushResult(changes_of(diff), diff=diff)
    result = replace(project, env, remote, fmt, current, remote.body_for(export, current), changes_of(diff), backup)
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
        skill_files(fmt, remote.skill(current), env.name),
        skill_files(fmt, remote.sent_skill(body), str(backup_path)),
        env.name,
        str(backup_path),
    )
    return replace(project, env, remote, fmt, current, body, changes)


def replace(project, env, remote, fmt, current, body, changes, keep_backup: bool = True) -> PushResult:
    """Back up `current` (unless `keep_backup` is False: a preview), upload `body`, read back and compare."""
    from .backups import save

    backup = None
    restore_hint = "nothing was backed up (a preview is rebuilt from its branch)"
    if keep_backup:
        backup = save(project.backup_root / env.name, current, project.backups)
        out.info(f"{env.name}: backed up the current content to {backup}")
        restore_hint = f"the previous content is saved in {backup}: assistantgit restore --env {env.name} {backup}"
    try:
        remote.upload(body)
        after = remote.fetch()
    except RemoteError as error:
        raise type(error)(f"{error.message}; {restore_hint}") from None
    expected = complete(remote.sent_skill(body), fmt)  # the whole skill as the tree defines it
    sent = skill_files(fmt, expected, "sent")
    held = skill_files(fmt, comparable(remote.skill(after), expected, fmt), env.name)
    differences = compare_files(fmt, sent, held, "sent", env.name)
    if differences:
        shown = "; ".join(lines(differences)[:5]) + (f" (+{len(differences) - 5} more)" if len(differences) > 5 else "")
        raise FindingsError(
            f"{env.name}: uploaded, but reading it back differs from what was sent ({summary(differences)}: {shown}); "
            f"{restore_hint}"
        )
    return PushResult(changes, backup, True)
