"""The hooks of .pre-commit-hooks.yaml run by the real pre-commit framework (issue 4).

A git copy of this project (with its real .pre-commit-hooks.yaml) is the hooks repository;
a team's skill repository points at it from .pre-commit-config.yaml, as the README shows.
pre-commit installs the hooks (`language: python`) into its own virtualenv with pip,
from the package index pip is configured with: the first run takes about half a minute,
then the environment is reused by every test and every xdist worker (testing/precommit.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistantgit.pipeline import pull_file
from testing.exports import base_export
from testing.precommit import GIT_ENV, shared_hooks_repo, shared_pre_commit_home

# pre-commit builds the hooks' environment from the package index once per session, shared by
# every xdist worker (testing/precommit.py).
pytestmark = [pytest.mark.slow, pytest.mark.network]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def run(args, cwd, env=None, check=True):
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory) -> tuple[Path, str]:
    """A committed git copy of the project as it is on disk now, one for every worker."""
    pytest.importorskip("pre_commit")
    return shared_hooks_repo(tmp_path_factory)


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return shared_pre_commit_home(tmp_path_factory)


@pytest.fixture
def skill_repo(tmp_path, hooks_repo, pre_commit_home) -> Path:
    """A team's skill repository with both hooks installed as git hooks."""
    root = tmp_path / "team-skill"
    export = tmp_path / "export.json"
    export.write_text(json.dumps(base_export()), encoding="utf-8")
    pull_file(export, root)
    repo, sha = hooks_repo
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo.as_posix()}\n    rev: {sha}\n    hooks:\n"
        "      - id: assistantgit-fmt\n      - id: assistantgit-validate\n",
        encoding="utf-8",
    )
    run(["git", "init", "-q", "-b", "main"], cwd=root)
    run(["git", "config", "commit.gpgsign", "false"], cwd=root)
    run(PRE_COMMIT + ["install"], cwd=root, env={"PRE_COMMIT_HOME": str(pre_commit_home)})
    run(["git", "add", "-A"], cwd=root)
    first = commit(root, pre_commit_home, "initial tree")
    assert first.returncode == 0, first.stdout + first.stderr
    return root


def commit(root: Path, home: Path, message: str):
    return run(["git", "commit", "-q", "-m", message], cwd=root, env={"PRE_COMMIT_HOME": str(home)}, check=False)


def head_message(root: Path) -> str:
    return run(["git", "log", "-1", "--format=%s"], cwd=root).stdout.strip()


def test_a_broken_intent_is_refused_with_the_rules_message(skill_repo, pre_commit_home):
    path = skill_repo / "intents/goodbye.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("intent: goodbye\n", "intent: good bye!\n"), encoding="utf-8"
    )
    run(["git", "add", "intents/goodbye.yaml"], cwd=skill_repo)
    result = commit(skill_repo, pre_commit_home, "a name the service refuses")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "intents/goodbye.yaml:" in output and "AG201 intent name 'good bye!'" in output
    assert head_message(skill_repo) == "initial tree"


def test_advice_is_shown_but_does_not_stop_a_commit(skill_repo, pre_commit_home):
    """The same example in two intents: the service accepts it, so the hook warns and lets it through."""
    path = skill_repo / "intents/goodbye.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - goodbye\n", "  - goodbye\n  - hello\n"), encoding="utf-8"
    )
    run(["git", "add", "intents/goodbye.yaml"], cwd=skill_repo)
    result = commit(skill_repo, pre_commit_home, "add a confusing example")
    assert result.returncode == 0, result.stdout + result.stderr
    assert head_message(skill_repo) == "add a confusing example"


def test_a_clean_change_passes(skill_repo, pre_commit_home):
    path = skill_repo / "intents/goodbye.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - see you\n", "  - see you\n  - so long\n"), encoding="utf-8"
    )
    run(["git", "add", "intents/goodbye.yaml"], cwd=skill_repo)
    result = commit(skill_repo, pre_commit_home, "one more goodbye")
    assert result.returncode == 0, result.stdout + result.stderr
    assert head_message(skill_repo) == "one more goodbye"


def test_fmt_fixes_a_badly_formatted_file(skill_repo, pre_commit_home):
    path = skill_repo / "intents/goodbye.yaml"
    canonical = path.read_text(encoding="utf-8")
    path.write_text(
        "examples: ['talk to you later', 'see you', goodbye, cheerio, bye]\nintent: 'goodbye'", encoding="utf-8"
    )
    run(["git", "add", "intents/goodbye.yaml"], cwd=skill_repo)
    first = commit(skill_repo, pre_commit_home, "restyled")
    assert first.returncode != 0 and "files were modified by this hook" in first.stdout + first.stderr
    assert path.read_text(encoding="utf-8") == canonical
    run(["git", "add", "intents/goodbye.yaml"], cwd=skill_repo)
    second = commit(skill_repo, pre_commit_home, "restyled")
    # The content did not change, so nothing is left to commit; what matters is that the hooks pass.
    assert "Failed" not in second.stdout + second.stderr, second.stdout + second.stderr


def test_pre_commit_run_checks_the_named_files(skill_repo, pre_commit_home):
    """`pre-commit run HOOK --files PATH`: the hook gets the named file as it is in the working
    tree (not staged). It uses the environment the commits built; `pre-commit try-repo` would
    build a second one from the package index (~13 s) to run the same hook the same way."""
    path = skill_repo / "intents/greeting.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("intent: greeting", "intent: sys-greeting"), encoding="utf-8"
    )
    result = run(
        PRE_COMMIT + ["run", "assistantgit-validate", "--files", "intents/greeting.yaml"],
        cwd=skill_repo,
        env={"PRE_COMMIT_HOME": str(pre_commit_home)},
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "AG202 intent name 'sys-greeting' starts with the reserved prefix 'sys-'" in result.stdout


def test_files_that_only_look_like_a_skills_are_left_alone(tmp_path, hooks_repo, pre_commit_home):
    """The hooks' `files` pattern matches any `actions/` or `intents/` folder: a web app's
    src/actions/user.js or a composite GitHub action must not fail the commit when the skill
    lives in a subfolder; a broken intent in that subfolder still does."""
    root = tmp_path / "team-repo"
    export = tmp_path / "export.json"
    export.write_text(json.dumps(base_export()), encoding="utf-8")
    pull_file(export, root / "skill")
    repo, sha = hooks_repo
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo.as_posix()}\n    rev: {sha}\n    hooks:\n"
        "      - id: assistantgit-fmt\n      - id: assistantgit-validate\n",
        encoding="utf-8",
    )
    for rel, text in {
        ".github/actions/setup/action.yaml": "name: setup\nruns: {using: composite, steps: []}\n",
        "src/actions/user.js": "export const login = () => ({type: 'LOGIN'});\n",
    }.items():
        (root / rel).parent.mkdir(parents=True)
        (root / rel).write_text(text, encoding="utf-8")
    run(["git", "init", "-q", "-b", "main"], cwd=root)
    run(["git", "config", "commit.gpgsign", "false"], cwd=root)
    run(PRE_COMMIT + ["install"], cwd=root, env={"PRE_COMMIT_HOME": str(pre_commit_home)})
    run(["git", "add", "-A"], cwd=root)
    first = commit(root, pre_commit_home, "app, CI and skill")
    assert first.returncode == 0, first.stdout + first.stderr
    assert (root / ".github/actions/setup/action.yaml").read_text(encoding="utf-8").startswith("name: setup\nruns: {")
    path = root / "skill/intents/goodbye.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("intent: goodbye\n", "intent: good bye!\n"), encoding="utf-8"
    )
    run(["git", "add", "-A"], cwd=root)
    second = commit(root, pre_commit_home, "a name the service refuses")
    assert second.returncode != 0 and "AG201" in second.stdout + second.stderr
