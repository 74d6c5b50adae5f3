"""What pull and push refuse before they write anything (issue 10): a pull over edits git
has not committed, a pull inside another tree, a push over an existing output file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from testing.paths import SAMPLE_REPO
from testing.skills import copy_committed

EXPORTS = SAMPLE_REPO / "exports"
DIALOG = EXPORTS / "customer-care-dialog.json"


def files(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def changed_export(tmp_path: Path) -> Path:
    data = json.loads(DIALOG.read_bytes())
    data["intents"][0]["examples"].append({"text": "a new example from the service"})
    path = tmp_path / "again.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def committed_tree(committed_sample, tmp_path, monkeypatch):
    """The sample pulled into skill/ of a repository (the current folder) and committed."""
    monkeypatch.chdir(tmp_path)
    skill = copy_committed(committed_sample, tmp_path)
    return skill.repo, Path("skill")


def test_pull_over_an_uncommitted_edit_is_refused_and_the_edit_stays(cli, committed_tree, tmp_path):
    _repo, tree = committed_tree
    edited = sorted((tree / "intents").iterdir())[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "# my note\n", encoding="utf-8")
    before = files(tree)
    result = cli("pull", changed_export(tmp_path), "--dir", tree)
    assert result.exit_code == 2
    assert f"{edited.as_posix()} (edited)" in result.stderr and "--force" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert files(tree) == before  # nothing written: the edit is there
    forced = cli("pull", changed_export(tmp_path), "--dir", tree, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "# my note" not in edited.read_text(encoding="utf-8")


def test_added_deleted_and_staged_files_count_as_changes_too(cli, committed_tree, tmp_path):
    repo, tree = committed_tree
    (tree / "intents" / "my_new_intent.yaml").write_text("intent: my_new_intent\n", encoding="utf-8")
    deleted = sorted((tree / "entities").iterdir())[0]
    deleted.unlink()
    staged = tree / "skill.yaml"
    staged.write_text(staged.read_text(encoding="utf-8").replace("Customer", "Client"), encoding="utf-8")
    repo.git.add(str(staged))
    (tree / "NOTES.md").write_text("not a file pull manages\n", encoding="utf-8")
    result = cli("pull", DIALOG, "--dir", tree)
    assert result.exit_code == 2
    for expected in ("my_new_intent.yaml (untracked)", f"{deleted.name} (deleted)", "skill.yaml (edited)"):
        assert expected in result.stderr
    assert "NOTES.md" not in result.stderr
    assert (tree / "intents" / "my_new_intent.yaml").exists() and not deleted.exists()


def test_committed_tree_pulls_without_a_word(cli, committed_tree, tmp_path):
    _repo, tree = committed_tree
    (tree / "NOTES.md").write_text("unmanaged files may change freely\n", encoding="utf-8")
    result = cli("pull", changed_export(tmp_path), "--dir", tree)
    assert result.exit_code == 0, result.stderr
    assert "1 changed" in result.stderr and "warning" not in result.stderr


def test_pull_outside_git_proceeds_and_says_so(cli, tmp_path):
    tree = tmp_path / "skill"
    first = cli("pull", DIALOG, "--dir", tree)
    assert first.exit_code == 0 and "not in a git repository" not in first.stderr  # nothing could be lost
    again = cli("pull", changed_export(tmp_path), "--dir", tree)
    assert again.exit_code == 0
    assert "not in a git repository" in again.stderr and "uncommitted" in again.stderr


def test_pull_inside_another_tree_is_refused(cli, cli_process, tmp_path):
    tree = tmp_path / "skill"
    assert cli("pull", DIALOG, "--dir", tree).exit_code == 0
    before = files(tree)
    # `cd skill/intents && assistantgit pull X` pulls into the tree this folder is in (issue 12), not a second one
    result = cli_process("pull", DIALOG, cwd=tree / "intents")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == "Tree: .. (the tree this folder is in)"
    assert files(tree) == before
    result = cli("pull", DIALOG, "--dir", tree / "intents" / "more")
    assert result.exit_code == 2 and "--dir" in result.stderr
    assert files(tree) == before and not (tree / "intents" / "more").exists()
    assert cli("pull", DIALOG, "--dir", tree).exit_code == 0  # the tree's own folder is fine


@pytest.mark.parametrize(
    "tree, out",
    [
        ("dialog-skill", "upload.json"),
        ("assistant-zip", "assistant.zip"),
        ("avaamo-agent", "Pizza_Palace_4711_20251104093012.zip"),
    ],
)
def test_push_does_not_replace_an_existing_output_without_force(cli, copy_sample, tmp_path, tree, out):
    """Avaamo's `--out DIR/` writes DIR/<the original file name>: it replaced the original download."""
    source = copy_sample(tree)
    folder = tmp_path / "out"
    folder.mkdir()
    original = folder / out
    original.write_bytes(b"the original download\n")
    target = folder if tree == "avaamo-agent" else original
    result = cli("push", "--dir", source, "--out", target)
    assert result.exit_code == 2 and "already exists" in result.stderr and "--force" in result.stderr
    assert original.read_bytes() == b"the original download\n"
    assert cli("push", "--dir", source, "--out", target, "--force").exit_code == 0
    assert original.read_bytes() != b"the original download\n"


def test_push_writes_into_a_device_without_force(cli, copy_sample):
    assert cli("push", "--dir", copy_sample("dialog-skill"), "--out", os.devnull).exit_code == 0


def test_pull_env_over_an_uncommitted_edit_stops_before_fetching(cli, committed_tree, watson, monkeypatch, tmp_path):
    """The same refusal for `pull --env`, before the service is asked for anything."""
    from testing.watson_server import API_KEY

    _repo, tree = committed_tree
    watson.state.workspaces["ws-dev"] = json.loads(DIALOG.read_bytes())
    Path("assistantgit.yaml").write_text(
        f"source: skill\nkind: dialog\nenvironments:\n  dev:\n    url: {watson.url}\n"
        "    workspace_id: ws-dev\n    credentials: ASSISTANT_DEV\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("IBM_CREDENTIALS_FILE", str(tmp_path / "absent.env"))
    monkeypatch.setenv("ASSISTANT_DEV_APIKEY", API_KEY)
    monkeypatch.setenv("ASSISTANT_DEV_AUTH_URL", watson.url)
    edited = tree / "skill.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# my note\n", encoding="utf-8")
    result = cli("pull", "--env", "dev")
    assert result.exit_code == 2 and "skill/skill.yaml (edited)" in result.stderr
    assert watson.state.requests == []
    assert "# my note" in edited.read_text(encoding="utf-8")
    assert cli("pull", "--env", "dev", "--force").exit_code == 0
    assert "# my note" not in edited.read_text(encoding="utf-8")
