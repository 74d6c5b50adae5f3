"""assistantgit push: the source tree into an upload-ready export file, or onto a live environment."""

from __future__ import annotations

from pathlib import Path

from ..cliparse import Option
from ..console import out
from ..errors import InputError
from ..options import DiffFormat


def push(
    dir: Path | None = Option(
        None,
        "--dir",
        "-d",
        help="The source tree to read.",
        show_default="the tree the current folder is in, else assistantgit.yaml's source",
    ),
    out_file: Path | None = Option(
        None,
        "--out",
        "-o",
        help="The file to write (.json, or .zip for the published-version ZIP).",
        show_default=False,
    ),
    env: str | None = Option(
        None,
        "--env",
        "-e",
        help="Upload to this environment of assistantgit.yaml over the API (replaces its draft).",
        show_default=False,
    ),
    dry_run: bool = Option(
        False, "--dry-run", "-n", help="With --env: print what would change on the environment and send nothing."
    ),
    format: DiffFormat | None = Option(
        None,
        "--format",
        "-f",
        help="With --dry-run: its output as text, markdown (a pull-request comment) or json.",
        show_default="text",
    ),
    create: bool = Option(
        False,
        "--create",
        help="With --env: when assistantgit.yaml has no workspace_id (dialog) or assistant_id (actions), create it, write its id there (comments kept), then push.",
    ),
    platform_version: str | None = Option(
        None,
        "--platform-version",
        help="Avaamo: the target agent's platform version; stops when the export came from another.",
        show_default=False,
    ),
    force: bool = Option(False, "--force", help="With --out: replace a file that is already there."),
) -> int:
    """Reassemble the source tree into one upload-ready export, or upload it to an environment.

    The JSON is a single line of UTF-8 without BOM, with no raw tab, newline or carriage
    return, at most 10 MB: what the vendor's upload page accepts. The file is written to
    a temporary name first, so a failed push never leaves a half-written file; a file
    already there is replaced only with --force.

    With --env, the environment's current content is first saved under
    .assistantgit/backups/<env>/ (restore it with `assistantgit restore`), then replaced,
    read back and compared: any difference is reported with exit code 1.

    Example: assistantgit push --dir skills/customer-care --out upload.json

    Example: assistantgit push --env dev --dry-run && assistantgit push --env dev

    Example: assistantgit push --env restored --create
    """
    if env is None and create:
        raise InputError("--create works with --env (it creates the environment's workspace or assistant)")
    if format is not None and not dry_run:
        raise InputError("--format chooses the output of --dry-run: add --dry-run, or drop --format")
    if env is None:
        if out_file is None:
            raise InputError("give --out FILE to write an upload file, or --env NAME to upload to an environment")
        if dry_run:
            raise InputError("--dry-run works with --env (what would change on an environment)")
        from ..pipeline import push_file
        from ..project.trees import announced, find_tree

        root = announced(find_tree(dir))
        with out.progress("Reading files") as progress:
            pushed = push_file(root, out_file, progress, platform_version=platform_version, force=force)
        private = f"; readable by you only: it holds {pushed.secrets} secret value{'s' * (pushed.secrets != 1)}"
        out.info(
            f"Wrote {out_file} ({pushed.format_name}, {pushed.size:,} bytes) from {root}"
            + (private if pushed.secrets else "")
        )
        return 0
    if out_file is not None:
        raise InputError("give either --out FILE or --env NAME, not both")
    if force:
        raise InputError("--force works with --out (replace an existing file)")
    from ..project import load_project
    from ..project.trees import announced, project_tree
    from ..remote.push import push_to

    project = load_project()
    project.environment(env)  # an unknown environment is named before the tree
    root = announced(project_tree(project, dir))
    if create:
        if dry_run:
            raise InputError("--dry-run sends nothing, so it cannot --create")
        from ..remote.instances import create_for

        create_for(project, project.environment(env), root)
    return push_to(project, env, root, dry_run, format=format or DiffFormat.text)
