"""Which tree a command acts on: one rule for every command, run as a user runs them, from
the folder the user stands in (issue 12)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from testing.git_cli import git
from testing.paths import SAMPLE_REPO

EXPORT = SAMPLE_REPO / "exports" / "customer-care-dialog.json"
ACTIONS_EXPORT = SAMPLE_REPO / "exports" / "customer-care-actions.json"


@pytest.fixture
def repo(tmp_path, cli) -> Path:
    """A repository whose assistantgit.yaml says `source: skill`, with the skill pulled and committed."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "assistantgit.yaml").write_text("source: skill\nkind: dialog\n", encoding="utf-8")
    result = cli("pull", EXPORT, cwd=root)
    assert result.exit_code == 0, result.stderr
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "skill")
    return root


def top_level(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if not p.name.startswith("."))


def test_pull_at_the_root_writes_into_the_projects_source(repo, cli):
    """Not 47 files into the repository root: the tree assistantgit.yaml names, and the first line says so."""
    assert top_level(repo) == ["assistantgit.yaml", "skill"]
    assert (repo / "skill" / "skill.yaml").is_file()
    result = cli("pull", EXPORT, cwd=repo)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == "Tree: skill (assistantgit.yaml's source)"
    assert top_level(repo) == ["assistantgit.yaml", "skill"]


@pytest.mark.parametrize("where", [".", "skill", "skill/intents"])
def test_every_command_acts_on_the_tree_from_anywhere_inside_the_repository(repo, cli, where):
    cwd = repo / where
    tree_as_seen = {".": "skill", "skill": ".", "skill/intents": ".."}[where]
    why = "assistantgit.yaml's source" if where == "." else "the tree this folder is in"
    first_line = f"Tree: {tree_as_seen} ({why})"

    diff = cli("diff", cwd=cwd)
    assert diff.exit_code == 0, diff.stderr
    assert diff.stderr.splitlines()[0] == first_line
    assert diff.stdout.startswith("No differences between HEAD and working tree")

    validate = cli("validate", cwd=cwd)
    assert validate.exit_code == 0, validate.stdout + validate.stderr
    assert validate.stderr.splitlines()[0] == first_line

    fmt = cli("fmt", "--check", cwd=cwd)
    assert fmt.exit_code == 0 and fmt.stderr.splitlines()[0] == first_line

    push = cli("push", "--out", repo.parent / "upload.json", cwd=cwd)
    assert push.exit_code == 0, push.stderr
    assert push.stderr.splitlines()[0] == first_line
    assert json.loads((repo.parent / "upload.json").read_bytes())["name"] == json.loads(EXPORT.read_bytes())["name"]

    show = cli("show", cwd=cwd)
    assert show.exit_code == 0, show.stderr
    assert show.stderr.splitlines()[0] == first_line and "Order status" in show.stdout

    po = repo.parent / "skill.po"
    translate = cli("translate", "export", "--out", po, "--language", "fr", cwd=cwd)
    assert translate.exit_code == 0, translate.stderr
    assert translate.stderr.splitlines()[0] == first_line and "where is my order" in po.read_text(encoding="utf-8")

    secrets = cli("secrets", "list", cwd=cwd)
    assert secrets.exit_code == 0 and secrets.stderr.splitlines()[0] == first_line

    pull = cli("pull", EXPORT, cwd=cwd)
    assert pull.exit_code == 0 and pull.stderr.splitlines()[0] == first_line
    assert "0 created, 0 changed, 0 deleted" in pull.stderr
    assert top_level(repo) == ["assistantgit.yaml", "skill"]
    assert git(repo, "status", "--porcelain") == ""


def test_a_real_process_finds_the_tree_it_stands_in(repo, cli_process):
    validate = cli_process("validate", cwd=repo / "skill" / "intents")
    assert validate.exit_code == 0, validate.stdout + validate.stderr
    assert validate.stderr.splitlines()[0] == "Tree: .. (the tree this folder is in)"


def test_dir_wins_and_is_not_announced(repo, cli, tmp_path):
    other = tmp_path / "other"
    result = cli("pull", ACTIONS_EXPORT, "--dir", other, cwd=repo / "skill" / "intents")
    assert result.exit_code == 0 and not result.stderr.startswith("Tree:")
    assert (other / "skill.yaml").read_text(encoding="utf-8").startswith("format: watson-actions")
    result = cli("validate", "--dir", other, cwd=repo)
    assert result.exit_code == 0 and not result.stderr.startswith("Tree:")


def test_a_change_seen_from_a_subfolder_is_the_trees(repo, cli):
    intent = repo / "skill" / "intents" / "refund.yaml"
    intent.write_text(intent.read_text(encoding="utf-8") + "  - give me back what I paid\n", encoding="utf-8")
    result = cli("diff", "--exit-code", cwd=repo / "skill" / "intents")
    assert result.exit_code == 1
    assert "give me back what I paid" in result.stdout


def test_nothing_to_act_on_says_what_to_do(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("not a skill\n", encoding="utf-8")
    for args in (("diff",), ("validate",), ("fmt",), ("push", "--out", "x.json")):
        result = cli(*args, cwd=tmp_path)
        assert result.exit_code == 2, args
        assert "no source tree here or above" in result.stderr and "--dir" in result.stderr
        assert "run 'assistantgit pull EXPORT' first" not in result.stderr
    result = cli("pull", EXPORT, cwd=tmp_path)  # a folder with other files is not a new tree
    assert result.exit_code == 2 and "--dir" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_pull_into_an_empty_current_folder_makes_the_tree_there(cli, tmp_path):
    result = cli("pull", EXPORT, cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == "Tree: . (the current folder, empty: a new tree)"
    assert (tmp_path / "skill.yaml").is_file()


# --- several trees in one repository ----------------------------------------------------------------


@pytest.fixture
def monorepo(tmp_path, cli) -> Path:
    """Two skills below the root and no assistantgit.yaml; committed."""
    root = tmp_path / "mono"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    assert cli("pull", EXPORT, "--dir", root / "skills" / "care", cwd=root).exit_code == 0
    assert cli("pull", ACTIONS_EXPORT, "--dir", root / "skills" / "orders", cwd=root).exit_code == 0
    (root / "node_modules" / "pkg").mkdir(parents=True)  # a copy in an ignored folder is not a tree of ours
    shutil.copytree(root / "skills" / "care", root / "node_modules" / "pkg" / "care")
    (root / ".gitignore").write_text("node_modules/\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "two skills")
    return root


def break_an_example(tree: Path) -> None:
    """Give an intent an example that another intent also has (AG502, a warning; the line is out of canonical order, an error)."""
    intents = sorted((tree / "intents").glob("*.yaml"))
    first = intents[0].read_text(encoding="utf-8")
    example = next(line for line in first.splitlines() if line.startswith("  - "))
    intents[1].write_text(intents[1].read_text(encoding="utf-8") + example + "\n", encoding="utf-8")


def test_validate_fmt_and_diff_report_each_tree_found_below(monorepo, cli):
    clean = cli("validate", cwd=monorepo)
    assert clean.exit_code == 0
    assert clean.stderr.splitlines()[0] == "Trees: skills/care, skills/orders (found below the current folder)"
    assert clean.stderr.splitlines()[1:] == ["skills/care: no findings", "skills/orders: 0 errors, 1 warning"]
    fmt = cli("fmt", "--check", cwd=monorepo)
    assert fmt.exit_code == 0 and fmt.stderr.splitlines()[0].startswith("Trees: skills/care, skills/orders")
    break_an_example(monorepo / "skills" / "care")
    validate = cli("validate", cwd=monorepo)
    assert validate.exit_code == 1
    assert validate.stderr.splitlines()[1].startswith("skills/care: 1 error, 2 warnings")
    assert validate.stderr.splitlines()[2] == "skills/orders: 0 errors, 1 warning"
    errors = [line for line in validate.stdout.splitlines() if ": error: " in line]
    assert errors and all(line.startswith("skills/care/intents/") for line in errors)

    diff = cli("diff", "--format", "json", cwd=monorepo)
    assert diff.exit_code == 0
    documents = json.loads(diff.stdout)
    assert [d["right"] for d in documents] == ["working tree (skills/care)", "working tree (skills/orders)"]
    assert [d["total"] for d in documents] == [1, 0]
    markdown = cli("diff", "HEAD", "--format", "markdown", "--exit-code", cwd=monorepo)
    assert markdown.exit_code == 1
    assert markdown.stdout.count("### Assistant changes") == 2 and "No differences." in markdown.stdout


def test_sources_in_assistantgit_yaml_name_several_trees(monorepo, cli):
    (monorepo / "assistantgit.yaml").write_text("sources:\n  - skills/orders\n  - skills/care\n", encoding="utf-8")
    break_an_example(monorepo / "skills" / "care")
    validate = cli("validate", cwd=monorepo)
    assert validate.exit_code == 1
    assert validate.stderr.splitlines()[0] == "Trees: skills/orders, skills/care (assistantgit.yaml's sources)"
    assert validate.stderr.splitlines()[1:] == [
        "skills/orders: 0 errors, 1 warning",
        "skills/care: 1 error, 2 warnings",
    ]

    # a single-tree command picks the tree the current folder is in, and asks otherwise
    push = cli("push", "--out", monorepo.parent / "up.json", cwd=monorepo)
    assert push.exit_code == 2 and "names 2 trees (skills/orders, skills/care)" in push.stderr
    assert "--dir" in push.stderr
    push = cli("push", "--out", monorepo.parent / "up.json", cwd=monorepo / "skills" / "orders" / "actions")
    assert push.exit_code == 0 and push.stderr.splitlines()[0] == "Tree: .. (the tree this folder is in)"


@pytest.mark.parametrize(
    "text, message",
    [
        ("source: a\nsources: [b]\n", "not both"),
        ("sources: []\n", "sources must be a list"),
        ("sources: [a, a]\n", "names a twice"),
        ("sources: [../out]\n", "must be a folder inside the project"),
        (
            "sources: [a, b]\nenvironments:\n  dev: {workspace_id: w, url: 'https://x'}\n",
            "environments need one source tree",
        ),
    ],
)
def test_unusable_sources_are_refused_in_one_line(cli, tmp_path, text, message):
    (tmp_path / "assistantgit.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", cwd=tmp_path)
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1


def test_a_project_source_not_pulled_yet_says_how_to_create_it(cli, tmp_path):
    (tmp_path / "assistantgit.yaml").write_text("source: skill\n", encoding="utf-8")
    result = cli("validate", cwd=tmp_path)
    assert result.exit_code == 2 and "skill: no source tree yet" in result.stderr
    assert "assistantgit pull EXPORT" in result.stderr


def test_a_named_folder_outside_any_tree_stands_for_the_trees_below(monorepo, cli):
    break_an_example(monorepo / "skills" / "care")
    result = cli("validate", "skills", cwd=monorepo)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["skills/care: 1 error, 2 warnings", "skills/orders: 0 errors, 1 warning"]


@pytest.mark.parametrize(
    "args",
    [
        ("push", "--dir", "upload.json", "--out", "x.json"),
        ("diff", "--dir", "skill/skill.yaml"),
        ("validate", "--dir", "skill/skill.yaml"),
    ],
)
def test_dir_naming_a_file_says_so(repo, cli, args):
    (repo / "upload.json").write_text("{}", encoding="utf-8")
    result = cli(*args, cwd=repo)
    assert result.exit_code == 2
    assert "is a file; --dir names the source tree's folder" in result.stderr
    assert "no such folder" not in result.stderr and "not inside a git repository" not in result.stderr


def test_translate_status_takes_the_source_the_targets_record_names(repo, cli):
    """Standing in the French tree, the source is the one its record names, not the French tree."""
    po = repo / "skill.fr.po"
    assert cli("translate", "export", "--out", po, "--language", "fr", "--pseudo", cwd=repo).exit_code == 0
    result = cli("translate", "import", po, "--into", "skill-fr", "--from", "skill", cwd=repo)
    assert result.exit_code == 0, result.stderr
    result = cli("translate", "status", "--into", ".", "--exit-code", cwd=repo / "skill-fr")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stderr.splitlines()[0] == "Tree: ../skill (the translation record in . names it)"
    assert result.stderr.splitlines()[-1] == ". is in step with ../skill."
