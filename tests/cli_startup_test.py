"""What a command imports (issue 14): start-up is paid on every call of a hook or a script,
so a JSON pull loads no SDK, git, deepdiff, pydantic, YAML library or typer (its plain command
line is parsed by cliparse.py), `--version` loads not even the pipeline, and the parameters typer would convert through pydantic are converted without
it, to the same values and with typer's own errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from testing.paths import SAMPLE_DIALOG, SAMPLE_REPO

# Libraries a plain JSON pull has no use for, each tens of milliseconds to import.
HEAVY = ("ibm_watson", "ibm_cloud_sdk_core", "git", "deepdiff", "pydantic", "ruamel", "rich", "requests", "translate")
# Our own packages a JSON pull does not need either.
UNNEEDED = ("assistantgit.remote", "assistantgit.flow", "assistantgit.diff", "assistantgit.validate")
UNNEEDED_FORMATS = ("assistantgit.formats.avaamo", "assistantgit.formats.watson.zip")
# What validate and fmt count and restyle with; and tempfile, whose imports (random, and
# shutil's compressors before pull needs them) cost start-up ~2 ms: tree/temporary.py does its job.
UNNEEDED_MODULES = ("assistantgit.canonical.jsonsize", "assistantgit.canonical.fmt", "tempfile", "random")


def modules_after(*args: str, cwd: Path) -> tuple[int, set[str]]:
    """Run the CLI in a fresh interpreter; return its exit code and the modules it imported."""
    script = (
        "import json, sys\n"
        "from assistantgit.cli import run\n"
        f"code = run({list(args)!r})\n"
        "print(json.dumps([code, sorted(sys.modules)]), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd, check=False)
    code, modules = json.loads(done.stderr.strip().splitlines()[-1])
    return code, set(modules)


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


def test_a_json_pull_imports_no_heavy_library(tmp_path):
    code, modules = modules_after("pull", str(SAMPLE_DIALOG), "--dir", str(tmp_path / "tree"), cwd=tmp_path)
    assert code == 0
    assert (tmp_path / "tree" / "skill.yaml").is_file()
    assert loaded(modules, HEAVY + ("typer", "click")) == []
    assert loaded(modules, UNNEEDED + UNNEEDED_FORMATS) == []
    assert "zipfile" not in modules
    assert loaded(modules, UNNEEDED_MODULES) == []


def test_version_imports_neither_typer_nor_the_pipeline(tmp_path):
    code, modules = modules_after("--version", cwd=tmp_path)
    assert code == 0
    assert loaded(modules, HEAVY + ("typer", "assistantgit.pipeline", "assistantgit.canonical")) == []


def test_a_push_to_a_file_imports_no_sdk_git_or_pydantic(tmp_path):
    tree = SAMPLE_REPO / "dialog-skill"
    code, modules = modules_after("push", "--dir", str(tree), "--out", str(tmp_path / "up.json"), cwd=tmp_path)
    assert code == 0
    assert json.loads((tmp_path / "up.json").read_bytes())["dialog_nodes"]
    assert loaded(modules, ("ibm_watson", "git", "deepdiff", "pydantic", "rich")) == []


def test_plain_parameters_convert_as_typer_does(cli, tmp_path):
    # an enum given one of its values, a path, a list of paths: converted without pydantic
    tree = tmp_path / "tree"
    assert cli("pull", SAMPLE_DIALOG, "--dir", tree).exit_code == 0
    result = cli("validate", "--dir", tree, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert isinstance(json.loads(result.stdout), list)
    result = cli("fmt", "--check", tree / "skill.yaml", tree / "skill.yaml")
    assert result.exit_code == 0, result.stderr


def test_a_wrong_choice_gets_typers_own_error(cli):
    result = cli("validate", "--format", "yaml")
    assert result.exit_code == 2
    assert "'yaml' is not one of" in result.stderr


def test_help_of_one_command_and_of_all(cli):
    result = cli("pull", "--help")
    assert result.exit_code == 0 and "Example: assistantgit pull" in result.stdout
    result = cli("--help")
    assert result.exit_code == 0
    for name in ("pull", "push", "diff", "validate", "translate"):
        assert f"  {name} " in result.stdout
    assert cli("no-such-command").exit_code == 2


def test_diff_of_two_export_files_opens_no_repository(tmp_path):
    changed = json.loads(SAMPLE_DIALOG.read_bytes())
    changed["intents"][0]["description"] = "changed for the test"
    (tmp_path / "b.json").write_text(json.dumps(changed), encoding="utf-8")
    code, modules = modules_after("diff", str(SAMPLE_DIALOG), str(tmp_path / "b.json"), cwd=tmp_path)
    assert code == 0
    assert loaded(modules, ("git", "ibm_watson")) == []


def test_show_with_a_number_option_needs_no_pydantic(tmp_path):
    tree = tmp_path / "tree"
    assert modules_after("pull", str(SAMPLE_DIALOG), "--dir", str(tree), cwd=tmp_path)[0] == 0
    code, modules = modules_after("show", "--dir", str(tree), cwd=tmp_path)
    assert code == 0
    assert loaded(modules, ("pydantic", "git", "ibm_watson")) == []
