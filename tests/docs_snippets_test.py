"""The README and docs as a new user meets them (issue 12): every `sh` block runs as written
in a fresh clone, install and CI snippets name no tag or commit that does not exist, and the
pre-commit snippet works with the real pre-commit.

A command that needs a live service (an environment of assistantgit.yaml and its
credentials) is listed, not run: `needs_a_service` says which. Blocks that are not commands
are tagged `text`, `console`, `yaml`... and are not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testing.git_cli import IDENTITY
from testing.paths import PROJECT

DOCUMENTS = ["README.md", *sorted(p.relative_to(PROJECT).as_posix() for p in (PROJECT / "docs").glob("*.md"))]
SNIPPET_FILES = [*DOCUMENTS, "examples/ci/github-actions.yml", "examples/ci/gitlab-ci.yml", ".pre-commit-hooks.yaml"]
BLOCK = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.S | re.M)
# Commands that talk to a service: they need an environment's URL, ids and credentials.
REMOTE = re.compile(
    r"^export |assistantgit (pull|push|test)\b.*--env\b|assistantgit (promote|publish|deploy|status|preview|restore|logs)\b"
)
# What CI runs (.ci/run): the whole test suite cannot run inside one of its tests.
SUITE = re.compile(r"python -m pytest")


def blocks(document: str) -> list[tuple[str, str, int]]:
    """(language tag, text, line) of every fenced block."""
    text = (PROJECT / document).read_text(encoding="utf-8")
    return [(m.group(1), m.group(2), text[: m.start()].count("\n") + 1) for m in BLOCK.finditer(text)]


def commands(body: str) -> list[str]:
    """The block's commands: continuation lines joined, comment lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", body)
    return [line for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def needs_a_service(command: str) -> bool:
    return bool(REMOTE.search(command)) or bool(SUITE.search(command))


def test_every_command_block_is_tagged_sh():
    """A block of commands that is not tagged `sh` would escape the test below."""
    for document in DOCUMENTS:
        for language, body, line in blocks(document):
            first = next((c for c in commands(body)), "")
            if language in ("sh", "bash", "shell"):
                continue
            assert not re.match(r"(\$ )?(assistantgit|pip|python3?|git) ", first) or language in ("text", "console"), (
                f"{document}:{line}: a command block without the `sh` tag (or `text` for a synopsis)"
            )


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory) -> Path:
    """A clone of this repository as it is now (uncommitted edits included, committed on top)."""
    clone = tmp_path_factory.mktemp("clone") / "assistantgit"
    subprocess.run(["git", "clone", "-q", "--no-local", str(PROJECT), str(clone)], check=True)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        source = PROJECT / rel
        if source.is_file():
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / rel)
    git = ["git", *IDENTITY]
    subprocess.run(["git", "checkout", "-q", "-B", "main"], cwd=clone, check=True)  # CI clones main
    subprocess.run([*git, "add", "-A"], cwd=clone, check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "the working state"], cwd=clone, check=True)
    return clone


def run_document(document: str, clone: Path, tmp_path: Path) -> list[str]:
    """Run every `sh` command of a document in order, in a copy of the fresh clone; returns
    the commands skipped because they need a service."""
    workdir = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(clone), str(workdir)], check=True)
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "TMPDIR": str(tmp_path),
        "NO_COLOR": "1",
        "HOME": str(tmp_path / "home"),
        # pip's cache stays the user's own: with HOME moved, the README's install downloaded
        # every dependency again (the wheels .ci/run has just fetched)
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip"),
    }
    env.pop("VIRTUAL_ENV", None)
    skipped = []
    for language, body, line in blocks(document):
        if language not in ("sh", "bash", "shell"):
            continue
        for command in commands(body):
            if needs_a_service(command):
                skipped.append(command)
                continue
            result = subprocess.run(["bash", "-e", "-c", command], cwd=workdir, env=env, capture_output=True, text=True)
            assert result.returncode == 0, f"{document}:{line}: {command}\n{result.stdout}\n{result.stderr}"
    return skipped


# The README installs the project into a new virtualenv (a minute and more), docs/diff.md and
# docs/translation.md run a dozen processes each: the full suite runs them.
SLOW_DOCUMENTS = {"README.md", "docs/diff.md", "docs/translation.md"}


@pytest.mark.parametrize(
    "document", [pytest.param(d, marks=pytest.mark.slow if d in SLOW_DOCUMENTS else ()) for d in DOCUMENTS]
)
def test_every_command_runs_in_a_fresh_clone(fresh_clone, tmp_path, document):
    skipped = run_document(document, fresh_clone, tmp_path)
    for command in skipped:  # only what needs a service (or is CI's own suite) is left out
        assert needs_a_service(command), command


# --- install lines and refs ----------------------------------------------------------------------

REF = re.compile(r"^\s*(?:-\s*)?rev:\s*['\"]?([^\s'\"#]+)|git\+\S+?@([^\s'\"#}`]+)|\bgit checkout\s+([^\s-]\S*)", re.M)


def test_every_ref_a_snippet_names_exists():
    """A tag, branch or commit named in an install line exists in this repository, or the
    line names none (`<full commit id>` is a placeholder for the reader's own)."""
    named = []
    for rel in SNIPPET_FILES:
        for match in REF.finditer((PROJECT / rel).read_text(encoding="utf-8")):
            ref = next(group for group in match.groups() if group)
            if ref.startswith(("<", "$")):
                continue
            named.append((rel, ref))
            found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=PROJECT)
            assert found.returncode == 0, f"{rel} names {ref}, which is no tag, branch or commit of assistantgit"
    assert ("README.md", "v0.1.0") not in named


def test_no_document_installs_from_an_index_that_has_no_assistantgit():
    for rel in SNIPPET_FILES:
        text = (PROJECT / rel).read_text(encoding="utf-8")
        for line in text.splitlines():
            if re.search(r"pip install\s+(-\S+\s+)*[\"']?assistantgit\b", line) and "git+" not in line:
                assert "finds nothing" in line or "ASSISTANTGIT_PIP" in line, f"{rel}: {line.strip()}"


# --- the pre-commit snippet, with the real pre-commit ----------------------------------------------


def readme_precommit_config() -> str:
    return next(body for language, body, _ in blocks("README.md") if language == "yaml" and "repos:" in body)


def test_readme_hooks_match_the_hooks_this_repository_declares():
    from ruamel.yaml import YAML

    readme = {h["id"]: h for h in YAML(typ="safe").load(readme_precommit_config())["repos"][0]["hooks"]}
    declared = {h["id"]: h for h in YAML(typ="safe").load((PROJECT / ".pre-commit-hooks.yaml").read_text())}
    assert readme.keys() == declared.keys()
    for hook_id, hook in readme.items():
        assert (hook["entry"], hook["files"]) == (declared[hook_id]["entry"], declared[hook_id]["files"])


@pytest.mark.slow
def test_readme_precommit_snippet_works_as_written(tmp_path):
    from testing.paths import SAMPLE_REPO

    repo = tmp_path / "skills"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", repo / "skill")
    (repo / ".pre-commit-config.yaml").write_text(readme_precommit_config(), encoding="utf-8")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "NO_COLOR": "1",
    }
    git = ["git", *IDENTITY]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    precommit = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    clean = subprocess.run(precommit, cwd=repo, env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    intent = repo / "skill" / "intents" / "refund.yaml"
    intent.write_text(intent.read_text(encoding="utf-8").replace("intent: refund", "intent: re fund"), encoding="utf-8")
    broken = subprocess.run(precommit, cwd=repo, env=env, capture_output=True, text=True)
    assert broken.returncode == 1 and "AG201" in broken.stdout, broken.stdout
