"""Everyday use (issue 12), each point run through the CLI as a user runs it, from the
folder the user stands in: the local secret store, git-setup from any shell, messages and
exit codes, validate's output, --help and completion, file permissions."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from testing.git_cli import git
from testing.paths import SAMPLE_REPO
from testing.terminal import run_on_a_terminal

EXPORT = SAMPLE_REPO / "exports" / "customer-care-dialog.json"
SECRET = "Bearer YOUR_API_KEY-0123"
VARIABLE = "ASSISTANTGIT_WEBHOOK_MAIN_WEBHOOK_AUTHORIZATION"


def export_with_a_secret(tmp_path: Path) -> Path:
    data = json.loads(EXPORT.read_bytes())
    data["webhooks"] = [
        {
            "name": "main_webhook",
            "url": "https://x.example.com",
            "headers": [{"name": "Authorization", "value": SECRET}],
        }
    ]
    path = tmp_path / "download.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def no_secret_variables(monkeypatch):
    for name in [n for n in os.environ if n.startswith("ASSISTANTGIT_")]:
        monkeypatch.delenv(name)


# --- pull, then push, on the same machine ----------------------------------------------------------


def test_pull_then_push_on_one_machine_needs_no_variable(tmp_path, cli, no_secret_variables):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    pulled = cli("pull", export_with_a_secret(tmp_path), cwd=repo)
    assert pulled.exit_code == 0, pulled.stderr
    assert ".assistantgit/secrets.env" in pulled.stderr and SECRET not in pulled.stderr
    store = repo / ".assistantgit" / "secrets.env"
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.parent.stat().st_mode) == 0o700
    assert SECRET not in (repo / "webhooks.yaml").read_text(encoding="utf-8")

    pushed = cli("push", "--out", tmp_path / "upload.json", cwd=repo)
    assert pushed.exit_code == 0, pushed.stderr
    assert json.loads((tmp_path / "upload.json").read_bytes())["webhooks"][0]["headers"][0]["value"] == SECRET
    assert stat.S_IMODE((tmp_path / "upload.json").stat().st_mode) == 0o600  # it holds a credential
    assert "readable by you only: it holds 1 secret value" in pushed.stderr

    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "pulled")
    tracked = git(repo, "ls-files")
    assert ".assistantgit" not in tracked and "webhooks.yaml" in tracked
    assert SECRET not in git(repo, "log", "-p", "--all")


def test_secrets_list_says_where_each_value_comes_from_and_never_the_value(tmp_path, cli, no_secret_variables):
    tree = tmp_path / "tree"
    assert cli("pull", export_with_a_secret(tmp_path), "--dir", tree).exit_code == 0
    listed = cli("secrets", "list", cwd=tree)
    assert listed.exit_code == 0
    assert listed.stdout.split() == [VARIABLE, "local", "store", "webhooks.yaml"]
    assert SECRET not in listed.stdout + listed.stderr
    from_env = cli("secrets", "list", "--dir", tree, env={VARIABLE: "from CI"})
    assert from_env.stdout.split()[1] == "environment" and "from CI" not in from_env.stdout
    (tree / ".assistantgit" / "secrets.env").unlink()
    missing = cli("secrets", "list", "--dir", tree)
    assert missing.stdout.split()[1] == "missing" and "1 missing" in missing.stderr
    refused = cli("push", "--dir", tree, "--out", tmp_path / "up.json")
    assert refused.exit_code == 2 and VARIABLE in refused.stderr and not (tmp_path / "up.json").exists()
    with_env = cli("push", "--dir", tree, "--out", tmp_path / "up.json", env={VARIABLE: "from CI"})
    assert with_env.exit_code == 0
    assert json.loads((tmp_path / "up.json").read_bytes())["webhooks"][0]["headers"][0]["value"] == "from CI"


def test_the_store_is_never_written_through_a_link(tmp_path, cli, no_secret_variables):
    tree, elsewhere = tmp_path / "tree", tmp_path / "elsewhere"
    tree.mkdir()
    elsewhere.mkdir()
    (tree / ".assistantgit").symlink_to(elsewhere)
    result = cli("pull", export_with_a_secret(tmp_path), "--dir", tree)
    assert result.exit_code == 2 and "is not a folder (a link or a file)" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_upload_files_get_the_users_umask(tmp_path, cli):
    previous = os.umask(0o022)
    try:
        result = cli("push", "--dir", SAMPLE_REPO / "dialog-skill", "--out", tmp_path / "upload.json")
    finally:
        os.umask(previous)
    assert result.exit_code == 0
    assert stat.S_IMODE((tmp_path / "upload.json").stat().st_mode) == 0o644


# --- git-setup --------------------------------------------------------------------------------------


@pytest.mark.slow  # makes a virtualenv
def test_git_setup_stores_a_command_that_works_without_the_venv_on_path(tmp_path):
    """Set up from a virtual environment in a folder with a space (its console script as pip
    writes one there), then `git diff` from a shell whose PATH knows neither."""
    import sysconfig

    tools = tmp_path / "my tools"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tools)], check=True)
    python = tools / "bin" / "python"
    ours = sysconfig.get_paths()["purelib"]  # this environment's packages, assistantgit among them
    inner = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(inner, "outer.pth").write_text(f"import site; site.addsitedir({ours!r})\n", encoding="utf-8")
    script = tools / "bin" / "assistantgit"
    launcher = "#!/bin/sh\n'''exec' \"" + str(python) + '" "$0" "$@"\n\' \'\'\'\n'  # pip's, for a path with a space
    script.write_text(launcher + "from assistantgit.cli import main\nmain()\n", encoding="utf-8")
    script.chmod(0o755)
    repo = tmp_path / "repo"
    (repo / "exports").mkdir(parents=True)
    shutil.copy(EXPORT, repo / "exports" / "skill.json")
    git(repo, "init", "-q", "-b", "main")
    setup = subprocess.run([str(python), "-m", "assistantgit", "git-setup"], cwd=repo, capture_output=True, text=True)
    assert setup.returncode == 0, setup.stderr
    stored = git(repo, "config", "--get", "diff.assistantgit.textconv").strip()
    assert stored == f"'{script}' textconv"
    assert f"textconv = {stored}" in setup.stderr  # it says what it stored
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "export")
    text = (repo / "exports" / "skill.json").read_text(encoding="utf-8")
    (repo / "exports" / "skill.json").write_text(text.replace("Ringo Shop", "Ringo Store"), encoding="utf-8")
    bare = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    bare.update(GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@e.com", GIT_COMMITTER_NAME="T", GIT_COMMITTER_EMAIL="t@e.com")
    diff = subprocess.run(["git", "diff"], cwd=repo, env=bare, capture_output=True, text=True)
    assert diff.returncode == 0, diff.stderr
    assert "+  name: Customer Care (Ringo Store)" in diff.stdout and "=== skill.yaml ===" in diff.stdout


# --- messages and exit codes ---------------------------------------------------------------------


def project(tmp_path: Path, url: str = "https://api.us-south.assistant.watson.cloud.ibm.com/instances/abc") -> Path:
    root = tmp_path / "project"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root / "skill")
    (root / "assistantgit.yaml").write_text(
        f'source: skill\nenvironments:\n  dev:\n    url: "{url}"\n    workspace_id: "ws-1"\n', encoding="utf-8"
    )
    return root


def test_missing_credentials_exit_2(tmp_path, cli):
    root = project(tmp_path)
    env = {k: "" for k in os.environ if k.startswith("ASSISTANT_DEV")}
    result = cli("push", "--env", "dev", cwd=root, env={**env, "IBM_CREDENTIALS_FILE": str(tmp_path / "none")})
    assert result.exit_code == 2 and "no credentials: set ASSISTANT_DEV_APIKEY" in result.stderr


def test_a_placeholder_left_by_init_is_refused_at_once(tmp_path, cli):
    root = tmp_path / "project"
    root.mkdir()
    assert cli("init", "--source", "skill", cwd=root).exit_code == 0
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root / "skill")
    result = cli("push", "--env", "dev", cwd=root, env={"ASSISTANT_DEV_APIKEY": "k"})
    assert result.exit_code == 2
    assert "url still holds the placeholder YOUR-INSTANCE-ID" in result.stderr and "retrying" not in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("init", "--kind", "actions", "--workspace-id", "X"), "an actions environment takes --assistant-id"),
        (("init", "--kind", "nope"), "'nope' is not one of 'dialog', 'actions'"),
        (("push", "--out", "x.json", "--format", "json"), "--format chooses the output of --dry-run"),
        (("promote", "--to", "dev", "--format", "json"), "--format chooses the output of --dry-run"),
    ],
)
def test_options_that_would_be_ignored_are_refused(tmp_path, cli, args, message):
    root = project(tmp_path)
    result = cli(*args, cwd=root)
    assert result.exit_code == 2 and message in result.stderr
    assert not (root / "x.json").exists()


def test_an_over_long_skill_name_names_its_line(tmp_path, cli):
    tree = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", tree)
    text = (tree / "skill.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("  name: "))
    lines[number - 1] = "  name: " + "x" * 101
    (tree / "skill.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("push", "--out", tmp_path / "up.json", cwd=tree)
    assert result.exit_code == 2
    assert f"error: skill.yaml:{number}:3: AG207 the skill name is 101 characters; the limit is 100" in result.stderr


@pytest.mark.slow  # two diffs of a 3,000-intent export as processes
def test_diff_into_a_closed_pipe_keeps_its_exit_code(tmp_path):
    big = json.loads(EXPORT.read_bytes())
    big["intents"] += [
        {"intent": f"i{n}", "examples": [{"text": f"example {n} {k}"} for k in range(5)]} for n in range(3000)
    ]
    (tmp_path / "big.json").write_text(json.dumps(big), encoding="utf-8")
    for extra, expected in (([], 0), (["--exit-code"], 1)):
        command = [sys.executable, "-m", "assistantgit", "diff", str(EXPORT), str(tmp_path / "big.json"), *extra]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        process.stdout.readline()
        process.stdout.close()  # what `| head -1` does
        assert process.wait() == expected, process.stderr.read()


# --- YAML errors, follow-on findings, fmt, dialog order -------------------------------------------


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    return root


def test_a_broken_intent_file_is_one_finding_in_words_a_user_can_act_on(tree, cli):
    intent = tree / "intents" / "refund.yaml"
    intent.write_text(intent.read_text(encoding="utf-8").replace("examples:\n  - ", "examples:\n\t- ", 1))
    result = cli("validate", cwd=tree)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "intents/refund.yaml:4:1: error: AG101 cannot read the file: a tab character; YAML indents with spaces "
        "only: replace the tab with spaces"
    ]  # no AG401 "no intent 'refund'" for the node that uses it


def test_fmt_formats_every_other_file_and_reports_the_broken_one(tree, cli):
    (tree / "intents" / "refund.yaml").write_text('intent: refund\ndescription: "never closed\n', encoding="utf-8")
    greeting = tree / "intents" / "greeting.yaml"
    greeting.write_text(greeting.read_text(encoding="utf-8").replace("intent: greeting", "intent:   greeting"))
    result = cli("fmt", cwd=tree)
    assert result.exit_code == 2
    assert "intents/refund.yaml:2:14: YAML error: the quote that opens this value is never closed" in result.stderr
    assert "Rewrote intents/greeting.yaml" in result.stderr
    assert "intent: greeting\n" in greeting.read_text(encoding="utf-8")


def test_a_sibling_cycle_names_the_node_whose_link_made_it(tree, cli):
    welcome = tree / "dialog_nodes" / "Welcome.yaml"
    text = welcome.read_text(encoding="utf-8")
    welcome.write_text(
        text.replace("dialog_node: node_welcome\n", "dialog_node: node_welcome\nprevious_sibling: folder_orders\n")
    )
    result = cli("push", "--out", tree.parent / "up.json", cwd=tree)
    assert result.exit_code == 2
    assert "AG306 the previous_sibling links form a cycle" in result.stderr and "push stopped" in result.stderr
    assert not (tree.parent / "up.json").exists()
    found = cli("validate", "--select", "AG306", cwd=tree)  # every node of the cycle, with its line
    assert "dialog_nodes/Welcome.yaml:3:1: error: AG306 the previous_sibling links form a cycle" in found.stdout


def test_a_previous_sibling_under_another_parent_names_its_file_and_line(tree, cli):
    status = tree / "dialog_nodes" / "Order_status.yaml"
    text = status.read_text(encoding="utf-8")
    status.write_text(
        text.replace("parent: folder_orders\n", "parent: folder_orders\nprevious_sibling: node_welcome\n")
    )
    result = cli("push", "--out", tree.parent / "up.json", cwd=tree)
    assert result.exit_code == 2
    assert (
        "error: dialog_nodes/Order_status.yaml:5:1: AG304 previous_sibling 'node_welcome' is at the root, "
        "not under this node's parent" in result.stderr
    )


def test_a_misspelled_top_level_key_gets_a_suggestion(tree, cli):
    skill = tree / "skill.yaml"
    skill.write_text(skill.read_text(encoding="utf-8").replace("workspace:\n", "workspace:\n  dialogNodes: []\n", 1))
    result = cli("validate", "--select", "AG107", cwd=tree)
    assert result.exit_code == 0  # a warning
    line = skill.read_text(encoding="utf-8").splitlines().index("  dialogNodes: []") + 1
    assert result.stdout.startswith(
        f"skill.yaml:{line}:3: warning: AG107 'dialogNodes' is not a key Watson Assistant knows: did you mean 'dialog_nodes'?"
    )


# --- validate's output -----------------------------------------------------------------------------


def test_validate_colours_its_labels_on_a_terminal_unless_no_color(tree):
    intent = tree / "intents" / "refund.yaml"
    intent.write_text(intent.read_text(encoding="utf-8").replace("intent: refund", "intent: re fund"))
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = run_on_a_terminal(["validate"], tree, env, stderr_too=True).out
    assert "\x1b[1;31merror:\x1b[0m AG201" in coloured
    plain = run_on_a_terminal(["validate"], tree, {**env, "NO_COLOR": "1"}, stderr_too=True).out
    assert "\x1b[" not in plain and ": error: AG201" in plain


def test_validate_names_files_relative_to_the_current_folder_from_inside_the_tree(tree, cli):
    for name in ("refund.yaml", "greeting.yaml"):
        path = tree / "intents" / name
        path.write_text(path.read_text(encoding="utf-8").replace("intent: ", "intent: x ", 1))
    node = tree / "dialog_nodes" / "Refund.yaml"
    node.write_text(node.read_text(encoding="utf-8").replace("dialog_node: node_refund", "dialog_node: node refund"))
    result = cli("validate", cwd=tree / "intents")
    paths = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert {"greeting.yaml", "refund.yaml", "../dialog_nodes/Refund.yaml"} <= paths, result.stdout
    assert all(p in ("greeting.yaml", "refund.yaml") or p.startswith("../") for p in paths), paths  # never absolute


# --- --help and completion -------------------------------------------------------------------------


def all_commands() -> list[list[str]]:
    from assistantgit.cli import COMMANDS, HIDDEN

    names = [[name] for name in COMMANDS if name not in HIDDEN and name != "secrets"]
    return [*names, ["secrets"], ["secrets", "list"]]


def test_help_shows_no_internal_type_names_and_every_choice(cli, monkeypatch):
    """In-process (26 help texts; tests/cli_test.py runs help as a real process)."""
    monkeypatch.setenv("COLUMNS", "100")
    for command in all_commands():
        result = cli(*command, "--help")
        assert result.exit_code == 0, command
        for internal in ("<list[", "<int range>", "<str>", "<path>", "[[", "{backup}", "<int>"):
            assert internal not in result.stdout, (command, internal)
    assert "--format <text|github|json>" in cli("validate", "--help").stdout
    assert "--kind <dialog|actions>" in cli("init", "--help").stdout
    assert "Usage: assistantgit diff [OPTIONS] [A] [B]" in cli("diff", "--help").stdout
    assert "Usage: assistantgit restore [OPTIONS] BACKUP" in cli("restore", "--help").stdout


def test_help_lists_every_command_with_its_whole_first_sentence(cli_process):
    from assistantgit.cli import COMMANDS, HIDDEN

    text = " ".join(cli_process("--help", env={"COLUMNS": "80"}).stdout.split())
    for name in COMMANDS:
        if name not in HIDDEN:
            assert f" {name} " in text, name
    assert "Explode an export into stable, reviewable files (one per intent, entity, dialog node...)." in text
    assert (
        "Check a source tree before it is committed: YAML, names, dialog links, references, training data, size and canonical form."
        in text
    )


@pytest.mark.slow  # four processes, one of them installing completion
def test_shell_completion_is_installable_and_completes(tmp_path, cli_process):
    script = cli_process("--show-completion", "bash")
    assert script.exit_code == 0 and "_ASSISTANTGIT_COMPLETE=complete_bash" in script.stdout
    completed = cli_process(
        env={"_ASSISTANTGIT_COMPLETE": "complete_bash", "COMP_WORDS": "assistantgit pu", "COMP_CWORD": "1"}
    )
    assert completed.stdout.split() == ["pull", "push", "publish"]
    formats = cli_process(
        env={"_ASSISTANTGIT_COMPLETE": "complete_bash", "COMP_WORDS": "assistantgit diff --format ", "COMP_CWORD": "3"}
    )
    assert formats.stdout.split() == ["text", "markdown", "json"]
    installed = cli_process("--install-completion", "bash", env={"HOME": str(tmp_path)})
    assert installed.exit_code == 0 and "assistantgit" in (tmp_path / ".bashrc").read_text(encoding="utf-8")
