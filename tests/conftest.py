"""Shared fixtures: the CLI in-process and as a real subprocess, the shared corpus,
temp git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE_REPO = PROJECT / "sample-repo"
# ../shared/corpus beside the repository (CI has it); ASSISTANTGIT_TEST_CORPUS names another place
# (tests/corpus_skip_test.py points it nowhere to check what the suite says without it).
SHARED_CORPUS = Path(os.environ.get("ASSISTANTGIT_TEST_CORPUS") or PROJECT.parent / "shared" / "corpus")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process: cli("pull", "x.json", "--dir", d) -> Result."""
    from assistantgit.cli import run

    def invoke(*args) -> Result:
        capsys.readouterr()
        code = run([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def cli_process():
    """Run the installed entry point as a real process (what hooks and CI do)."""

    def invoke(*args, cwd=None, env=None, input=None) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "assistantgit", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            input=input,
            env={**os.environ, "NO_COLOR": "1", **(env or {})},
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return invoke


def corpus_files(kind: str) -> list[Path]:
    folder = SHARED_CORPUS / kind
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def corpus_cases(kind: str, limit: int | None = None, names: bool = False) -> list:
    """Parameters for a test run once per corpus export of a kind (its path, or its name).

    Without the corpus, one case that skips saying which folder is missing, instead of
    pytest's bare "got empty parameter set"."""
    files = corpus_files(kind)[:limit]
    if files:
        return [pytest.param(p.name if names else p, id=p.name) for p in files]
    reason = (
        f"{SHARED_CORPUS / kind} is not present (the shared corpus of real exports: in CI and on developer machines)"
    )
    return [pytest.param(None, id="no-corpus", marks=pytest.mark.skip(reason=reason))]


@pytest.fixture
def shared_corpus():
    if not SHARED_CORPUS.is_dir():
        pytest.skip(
            f"{SHARED_CORPUS} is not present (the shared corpus of real exports: in CI and on developer machines)"
        )
    return SHARED_CORPUS


@pytest.fixture
def watson():
    """A stand-in for the Watson Assistant API on 127.0.0.1 (tests/watson_server.py), for the real SDK."""
    from watson_server import WatsonServer

    with WatsonServer() as server:
        yield server


@pytest.fixture
def in_git_dir(tmp_path, monkeypatch):
    """A fresh git repository in a temp folder, as the current directory."""
    import git

    repo = git.Repo.init(tmp_path, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
        config.set_value("commit", "gpgsign", "false")
    monkeypatch.chdir(tmp_path)
    return repo


@pytest.fixture
def copy_sample(tmp_path):
    """Copy a folder of sample-repo/ into tmp_path and return the copy."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SAMPLE_REPO / name, target)
        return target

    return copy
