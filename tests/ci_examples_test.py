"""examples/ci as CI would run them (issue 12): both files pass the CI systems' own schemas,
and the pull-request jobs, run step by step in a real repository with its own origin, post
the semantic diff when the assistant changes (validate errors or not) and nothing otherwise.

Only what cannot run here is replaced: `pip` (assistantgit is installed already), `gh` and
`curl` (they record what they would post), `apt-get`. Every `run:`/`script:` line is the
file's own, run by bash.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testing.git_cli import git
from testing.paths import PROJECT, SAMPLE_REPO

EXAMPLES = PROJECT / "examples" / "ci"
GITHUB = EXAMPLES / "github-actions.yml"
GITLAB = EXAMPLES / "gitlab-ci.yml"
EXPORT = SAMPLE_REPO / "exports" / "customer-care-dialog.json"


def load_yaml(path: Path):
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path, schema", [(GITHUB, "vendor.github-workflows"), (GITLAB, "vendor.gitlab-ci")])
def test_examples_pass_the_ci_schemas_offline(path, schema):
    checker = Path(sys.executable).parent / "check-jsonschema"
    offline = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    result = subprocess.run(
        [str(checker), "--builtin-schema", schema, str(path)], capture_output=True, text=True, env=offline
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_example_names_a_tag_that_does_not_exist():
    for path in (GITHUB, GITLAB):
        text = path.read_text(encoding="utf-8")
        assert "@v0.1.0" not in text and "pip install assistantgit" not in text
        assert "ASSISTANTGIT_PIP" in text  # the one place that says where the package comes from


# --- a repository with a pull request -----------------------------------------------------------


@pytest.fixture
def fakes(tmp_path) -> Path:
    """A bin folder of stand-ins that record their arguments and standard input."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    log = tmp_path / "calls.log"
    for name in ("pip", "gh", "curl", "apt-get"):
        script = folder / name
        script.write_text(
            "#!/bin/sh\n"
            f'echo "{name} $*" >> "{log}"\n'
            + ('[ -t 0 ] || cat >> "' + str(log) + '"\n' if name == "curl" else "")
            + (f'[ "$1 $2" = "pr comment" ] && cat "$5" >> "{log}"\n' if name == "gh" else "")
            + "exit 0\n",
            encoding="utf-8",
        )
        script.chmod(0o755)
    return folder


def pull_request(tmp_path: Path, cli_process, change) -> Path:
    """A clone whose HEAD is a branch off origin/main, with `change(tree_root)` committed on it."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    (origin / "assistantgit.yaml").write_text("source: skill\nkind: dialog\n", encoding="utf-8")
    (origin / "README.md").write_text("# our assistant\n", encoding="utf-8")
    assert cli_process("pull", EXPORT, cwd=origin).exit_code == 0
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "the skill")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    change(clone)
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "the change")
    return clone


def add_example_and_break_a_rule(clone: Path) -> None:
    """A real change (a new example) and a validate error (the same example in two intents)."""
    refund = clone / "skill" / "intents" / "refund.yaml"
    text = refund.read_text(encoding="utf-8").replace("examples:\n", "examples:\n  - give me back what I paid\n", 1)
    refund.write_text(text, encoding="utf-8")
    complaint = clone / "skill" / "intents" / "complaint.yaml"
    text = complaint.read_text(encoding="utf-8").replace("examples:\n", "examples:\n  - how do I get a refund\n", 1)
    complaint.write_text(text, encoding="utf-8")


def touch_only_the_readme(clone: Path) -> None:
    (clone / "README.md").write_text("# our assistant\n\nNow with a README change.\n", encoding="utf-8")


def ci_env(fakes: Path, **extra: str) -> dict:
    path = os.pathsep.join([str(fakes), str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, "NO_COLOR": "1", "ASSISTANTGIT_PIP": "assistantgit @ file:///x", **extra}


# --- GitHub Actions: the steps of a job, with the few expressions the file uses --------------------


class _Context(dict):
    """`github.event.pull_request.number` and friends; what is not given reads as ''."""

    def __getattr__(self, name):
        value = self.get(name, "")
        return _Context(value) if isinstance(value, dict) else value


def _evaluate(expression: str, context: dict):
    python = expression.replace("&&", " and ").replace("||", " or ")
    python = re.sub(r"!(?!=)", " not ", python)
    return eval(
        python, {"__builtins__": {}}, {k: _Context(v) if isinstance(v, dict) else v for k, v in context.items()}
    )


def _substitute(text: str, context: dict) -> str:
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: str(_evaluate(m.group(1), context)), text)


def run_github_job(job_name: str, clone: Path, fakes: Path, context: dict) -> list[str]:
    """Run the job's `run:` steps in order as the runner does (bash -e, GITHUB_OUTPUT, `if:`);
    returns the steps that ran."""
    workflow = load_yaml(GITHUB)
    job = workflow["jobs"][job_name]
    assert _evaluate(job["if"], context)
    ran, failed, outputs = [], False, {}
    outputs_file = clone.parent / "github-output"
    for step in job["steps"]:
        if "run" not in step:
            continue  # actions/checkout, setup-python: the clone and this interpreter stand for them
        context["steps"] = outputs
        condition = step.get("if")
        if condition is None:
            wanted = not failed
        elif "always()" in condition:
            wanted = True
        else:
            wanted = not failed and _evaluate(condition, context)
        if not wanted:
            continue
        outputs_file.write_text("", encoding="utf-8")
        env = ci_env(
            fakes,
            GITHUB_OUTPUT=str(outputs_file),
            GITHUB_STEP_SUMMARY=str(clone.parent / "summary.md"),
            **{k: _substitute(str(v), context) for k, v in (step.get("env") or {}).items()},
        )
        result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=clone, env=env, capture_output=True, text=True)
        if "id" in step:
            written = outputs_file.read_text(encoding="utf-8").splitlines()
            outputs[step["id"]] = {"outputs": dict(line.split("=", 1) for line in written if "=" in line)}
        ran.append(step.get("name", step["run"][:20]))
        if result.returncode != 0:
            failed = True
            ran[-1] += f" (failed {result.returncode}: {result.stderr.strip()[-300:]})"
    return ran


def github_context(clone: Path) -> dict:
    return {
        "github": {
            "event_name": "pull_request",
            "base_ref": "main",
            "token": "t0ken",
            "repository": "org/skills",
            "event": {"pull_request": {"number": 7, "head": {"repo": {"full_name": "org/skills"}}}},
        },
        "vars": {"ASSISTANTGIT_PIP": "assistantgit @ file:///x"},
    }


def test_github_pull_request_with_validate_errors_gets_its_diff_comment(tmp_path, cli_process, fakes):
    clone = pull_request(tmp_path, cli_process, add_example_and_break_a_rule)
    validate = run_github_job("validate", clone, fakes, github_context(clone))
    assert validate[-1].startswith("Validate (failed 1")  # the rule is broken: that job fails...
    ran = run_github_job("diff", clone, fakes, github_context(clone))
    assert ran == ["Install assistantgit", "Semantic diff", "Comment on the pull request"]  # ...this one comments
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8")
    assert "gh pr comment 7 --body-file diff.md --edit-last" in calls
    assert "give me back what I paid" in calls and "### Assistant changes" in calls


@pytest.mark.slow  # the GitLab case below runs the same path by default
def test_github_pull_request_without_assistant_changes_gets_no_comment(tmp_path, cli_process, fakes):
    clone = pull_request(tmp_path, cli_process, touch_only_the_readme)
    ran = run_github_job("diff", clone, fakes, github_context(clone))
    assert ran == ["Install assistantgit", "Semantic diff"]
    assert "gh " not in (tmp_path / "calls.log").read_text(encoding="utf-8")
    assert run_github_job("validate", clone, fakes, github_context(clone))[-1] == "Validate"


# --- GitLab CI: before_script and script lines of a job, in one bash ------------------------------


def run_gitlab_job(job_name: str, clone: Path, fakes: Path) -> subprocess.CompletedProcess:
    pipeline = load_yaml(GITLAB)
    job = pipeline[job_name]
    lines = pipeline["default"]["before_script"] + job["script"]
    env = ci_env(
        fakes,
        CI_PIPELINE_SOURCE="merge_request_event",
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
        CI_MERGE_REQUEST_IID="7",
        CI_PROJECT_ID="42",
        CI_API_V4_URL="https://gitlab.example.com/api/v4",
        GITLAB_API_TOKEN="t0ken",
        **{k: str(v) for k, v in pipeline["variables"].items()},
    )
    script = "set -eo pipefail\n" + "\n".join(lines)
    return subprocess.run(["bash", "-c", script], cwd=clone, env=env, capture_output=True, text=True)


@pytest.mark.slow  # the GitHub case above runs the same path by default
def test_gitlab_merge_request_with_validate_errors_gets_its_diff_note(tmp_path, cli_process, fakes):
    clone = pull_request(tmp_path, cli_process, add_example_and_break_a_rule)
    assert run_gitlab_job("validate", clone, fakes).returncode == 1
    diff = run_gitlab_job("diff", clone, fakes)
    assert diff.returncode == 0, diff.stderr
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8")
    assert "/projects/42/merge_requests/7/notes" in calls and "give me back what I paid" in calls


@pytest.mark.slow  # the default run keeps a sibling test of the same path
def test_gitlab_merge_request_without_assistant_changes_gets_no_note(tmp_path, cli_process, fakes):
    clone = pull_request(tmp_path, cli_process, touch_only_the_readme)
    diff = run_gitlab_job("diff", clone, fakes)
    assert diff.returncode == 0, diff.stderr
    assert "curl --fail" not in (tmp_path / "calls.log").read_text(encoding="utf-8")


def test_the_install_line_says_what_to_set_when_the_variable_is_missing(tmp_path, fakes):
    env = ci_env(fakes)
    del env["ASSISTANTGIT_PIP"]
    workflow = load_yaml(GITHUB)
    install = next(s for s in workflow["jobs"]["diff"]["steps"] if s.get("name") == "Install assistantgit")
    result = subprocess.run(["bash", "-e", "-c", install["run"]], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "set the repository variable ASSISTANTGIT_PIP" in result.stderr
    assert shutil.which("pip", path=env["PATH"]) is not None
