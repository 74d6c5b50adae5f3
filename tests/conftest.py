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

from assistantgit.pipeline import pull_file
from testing.bytecode import cache_bytecode_outside_the_checkout
from testing.exports import sample_export_bytes
from testing.mermaid import mermaid_parser  # noqa: F401 (one session-wide Mermaid process for every test module)
from testing.paths import SAMPLE_REPO, SHARED_CORPUS
from testing.profile import FULL  # also loads the hypothesis profile
from testing.scratch import keep_temporary_files_in_memory
from testing.skills import Skill

# the conversation tests' fixtures (chat, dialog_project, actions_project): testing/conversations.py
pytest_plugins = ["testing.conversations"]


def pytest_configure(config):
    cache_bytecode_outside_the_checkout()  # before xdist starts its workers
    keep_temporary_files_in_memory()  # likewise: the workers inherit TMPDIR


def pytest_xdist_auto_num_workers(config):
    """`-n auto` in the full run: one worker more than the cores. Its slow tests wait on
    processes they start (pip, pre-commit, git, the CLI killed at every instant); a third
    worker on 2 cores keeps both busy meanwhile: 220 s became 180 s. The fast run has few
    such waits and only paid for the extra worker (43.8 s with 2, 46.4 s with 3; issue 13)."""
    cores = os.cpu_count() or 1
    return cores + 1 if FULL else cores


def pytest_collection_modifyitems(config, items):
    """Tests marked `slow` run in the full suite only (ASSISTANTGIT_TESTS=full, as .ci/run sets)."""
    if FULL:
        return
    skip = pytest.mark.skip(reason="slow: in the full suite (ASSISTANTGIT_TESTS=full python -m pytest)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """validate's cache goes to the user's cache folder: a fresh one per test, never ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run the CLI in-process: cli("pull", "x.json", "--dir", d) -> Result; cwd= runs it from
    a folder and env= adds environment variables, for that call only."""
    from assistantgit.cli import run

    def invoke(*args, cwd=None, env=None) -> Result:
        with monkeypatch.context() as scope:
            if cwd is not None:
                scope.chdir(cwd)
            for name, value in (env or {}).items():
                scope.setenv(name, value)
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


@pytest.fixture
def shared_corpus():
    if not SHARED_CORPUS.is_dir():
        pytest.skip(
            f"{SHARED_CORPUS} is not present (the shared corpus of real exports: in CI and on developer machines)"
        )
    return SHARED_CORPUS


@pytest.fixture
def watson():
    """A stand-in for the Watson Assistant API on 127.0.0.1 (testing/watson_server.py), for the real SDK."""
    from testing.watson_server import WatsonServer

    with WatsonServer() as server:
        yield server


@pytest.fixture
def in_git_dir(tmp_path, monkeypatch):
    """A fresh git repository in a temp folder, as the current directory."""
    from testing.git_cli import init_repo

    repo = init_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    return repo


@pytest.fixture(scope="session")
def committed_sample(tmp_path_factory):
    """The sample dialog export pulled into skill/ of a git repository and committed, once per
    session: tests take a copy (testing/skills.copy_committed)."""
    from testing.skills import committed_template

    return committed_template(tmp_path_factory.mktemp("committed-sample"), sample_export_bytes())


@pytest.fixture
def copy_sample(tmp_path):
    """Copy a folder of sample-repo/ into tmp_path and return the copy."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SAMPLE_REPO / name, target)
        return target

    return copy


@pytest.fixture
def changed_skill(in_git_dir, tmp_path):
    """A pulled skill committed, then a second commit with one change of each common kind."""
    export = tmp_path / "export.json"
    export.write_bytes(sample_export_bytes())
    pull_file(export, tmp_path / "skill")
    export.unlink()
    skill = Skill(in_git_dir, tmp_path / "skill")
    skill.commit("pull")
    skill.edit("intents", "intent", "cancel_order", lambda i: i["examples"].append("scrap my order | now"))
    skill.edit(
        "entities",
        "entity",
        "shipping_method",
        lambda e: e["values"][0].setdefault("synonyms", []).append("pigeon post"),
    )
    skill.node("node_refund", lambda n: n.update(conditions="#refund && @order_number"))
    path = skill.find("intents", "intent", "thanks")
    data = skill.load(path)
    path.unlink()
    skill.save(path.with_name("thank_you.yaml"), dict(data, intent="thank_you"))
    counter = skill.root / "counterexamples.yaml"
    skill.save(counter, (skill.load(counter) if counter.exists() else []) + ["sing me a song"])
    skill.commit("review me")
    return skill
