"""assistantgit init: write assistantgit.yaml and keep backups and credentials out of git."""

from __future__ import annotations

from pathlib import Path

from ..cliparse import Option
from ..console import out
from ..errors import InputError
from ..options import Kind

IGNORED = (".assistantgit/", "ibm-credentials.env")


def init(
    dir: Path = Option(Path("."), "--dir", "-d", help="The project folder (the root of the assistant repository)."),
    source: str = Option(".", "--source", "-s", help="The source tree's folder, relative to the project."),
    kind: Kind = Option(Kind.dialog, "--kind", "-k", help="dialog (v1 workspace) or actions (v2 assistant)."),
    env: str = Option("dev", "--env", "-e", help="The first environment's name."),
    url: str | None = Option(None, "--url", help="The service instance URL.", show_default=False),
    workspace_id: str | None = Option(
        None, "--workspace-id", help="dialog: the workspace (skill) id.", show_default=False
    ),
    assistant_id: str | None = Option(None, "--assistant-id", help="actions: the assistant id.", show_default=False),
    force: bool = Option(False, "--force", help="Overwrite an existing assistantgit.yaml."),
) -> int:
    """Create assistantgit.yaml with one environment, and git-ignore backups and credentials.

    Credentials are never written: the environment reads ASSISTANT_<ENV>_APIKEY (and
    _URL, _AUTH_TYPE...) from the environment or an ibm-credentials.env file.

    Example: assistantgit init --kind dialog --env dev --url https://api.eu-de.assistant.watson.cloud.ibm.com/instances/ID --workspace-id WS_ID
    """
    from ..project import KINDS, PROJECT_FILE, parse_project, template
    from ..tree import write_file_atomic

    kind_name = Kind(kind).value
    if kind_name not in KINDS:
        raise InputError(f"--kind must be one of {', '.join(KINDS)}")
    if kind_name == "actions" and workspace_id is not None:
        raise InputError("--workspace-id names a dialog skill's workspace; an actions environment takes --assistant-id")
    if kind_name == "dialog" and assistant_id is not None:
        raise InputError("--assistant-id is for --kind actions; a dialog environment takes --workspace-id")
    target = dir / PROJECT_FILE
    if target.exists() and not force:
        raise InputError(f"{target} already exists (use --force to overwrite)")
    if not dir.is_dir():
        raise InputError(f"{dir}: no such folder")
    text = template(source, kind_name, env, url, workspace_id if kind_name == "dialog" else assistant_id)
    from .. import canonical

    parse_project(canonical.loads(text, str(target)), dir, str(target))  # what we write must load
    write_file_atomic(target, text.encode("utf-8"), private=False)
    added = _ignore(dir / ".gitignore")
    out.info(f"Wrote {target}" + (f"; added {', '.join(added)} to {dir / '.gitignore'}" if added else ""))
    prefix = f"ASSISTANT_{env.upper().replace('-', '_')}"
    out.info(f"Next: export {prefix}_APIKEY=... then run 'assistantgit pull --env {env}'")
    return 0


def _ignore(path: Path) -> list[str]:
    from ..tree import write_file_atomic

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    added = [entry for entry in IGNORED if entry not in present and entry.rstrip("/") not in present]
    if added:
        prefix = "" if not text or text.endswith("\n") else "\n"
        write_file_atomic(
            path, (text + prefix + "".join(f"{entry}\n" for entry in added)).encode("utf-8"), private=False
        )
    return added
