"""Workspaces (v1, classic dialog skills) and assistants (v2) as things to find by
name, create and delete: what `preview` and `push --create` need.

A new one is created nearly empty (its name and language): the content then goes in
through the ordinary push, with its full replace and read-back check.
"""

from __future__ import annotations

from pathlib import Path

from ..console import out
from ..errors import InputError, RemoteError


def find(client, name: str) -> str | None:
    """The id of the workspace (v1 client) or assistant (v2 client) named `name`, or None."""
    if client.api == "v1":
        items = client.all_pages("list the workspaces", client.service.list_workspaces, "workspaces")
        key, what = "workspace_id", "workspaces"
    else:
        items = client.all_pages("list the assistants", client.service.list_assistants, "assistants")
        key, what = "assistant_id", "assistants"
    found = [item[key] for item in items if item.get("name") == name and item.get(key)]
    if len(found) > 1:
        raise RemoteError(
            f"{client.env.name}: {len(found)} {what} are named '{name}' ({', '.join(found)}); "
            "delete the extra ones in the web UI"
        )
    return found[0] if found else None


def create(client, name: str, language: str, description: str = "") -> str:
    """Create a workspace (v1) or an assistant (v2) and return its id."""
    if client.api == "v1":
        made = client.call(
            "create a workspace",
            client.service.create_workspace,
            name=name,
            language=language,
            description=description or None,
        )
        key = "workspace_id"
    else:
        made = client.call(
            "create an assistant",
            client.service.create_assistant,
            name=name,
            language=language,
            description=description or None,
        )
        key = "assistant_id"
    ident = (made or {}).get(key)
    if not ident:
        raise RemoteError(f"{client.env.name}: the service created '{name}' but returned no {key}: {made}")
    return ident


def delete(client, ident: str) -> None:
    if client.api == "v1":
        client.call(f"delete workspace {ident}", client.service.delete_workspace, ident)
    else:
        client.call(f"delete assistant {ident}", client.service.delete_assistant, ident)


def ui_link(env, ident: str) -> str | None:
    """Where to open it in the web UI: the environment's `ui_link` template ({id},
    {workspace_id}, {assistant_id}), or the UI of an IBM Cloud region derived from the
    API url (the instance is then picked by hand), or None."""
    import re

    if env.ui_link:
        return env.ui_link.replace("{id}", ident).replace("{workspace_id}", ident).replace("{assistant_id}", ident)
    match = re.match(r"https://api\.([a-z0-9-]+)\.assistant\.watson\.cloud\.ibm\.com", env.url or "")
    return f"https://{match.group(1)}.assistant.watson.cloud.ibm.com/" if match else None


def skill_identity(root: Path) -> tuple[str, str]:
    """(name, language) of the skill the tree holds (the first skill of a ZIP tree)."""
    from ..pipeline import build_export
    from ..project.overrides import skill_parts

    _, export = build_export(root)
    if hasattr(export, "members"):
        export = export.members[0].data
    top, workspace = skill_parts(export)
    name = top.get("name") or workspace.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{root}: the skill has no name; set name in skill.yaml")
    return name.strip(), str(top.get("language") or workspace.get("language") or "en")


def create_for(project, env, root: Path) -> str | None:
    """`push --create`: make the environment's workspace (dialog) or assistant (actions) when
    assistantgit.yaml has no id for it, and write the new id there. Returns the new id, or
    None when there was one already."""
    from ..project.edit import set_environment_value
    from .client import Client
    from .sync import build_for

    key = "workspace_id" if env.kind == "dialog" else "assistant_id"
    if getattr(env, key):
        return None
    build_for(project, env, root)  # an unusable tree or an unset secret stops here, before anything is created
    name, language = skill_identity(root)
    name = env.overrides.get("name", name)
    client = Client.unbound(project, env)
    ident = create(client, name, language)
    out.info(f"{env.name}: created {'workspace' if key == 'workspace_id' else 'assistant'} {ident} ('{name}')")
    try:
        path = set_environment_value(project.root, env.name, key, ident)
    except (OSError, InputError) as error:
        raise InputError(
            f"{env.name}: created {key} {ident} but could not write it into assistantgit.yaml "
            f"({error}); add `{key}: {ident}` to environment '{env.name}' by hand"
        ) from None
    setattr(env, key, ident)
    out.info(f"{env.name}: wrote {key}: {ident} into {path}")
    return ident
