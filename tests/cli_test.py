"""The pull and push commands as a user meets them (issue 2): exit codes, one-line
errors without tracebacks, vendor limits, and how pull treats an existing tree."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testing.paths import SAMPLE_REPO, corpus_cases

SAMPLE_EXPORT = SAMPLE_REPO / "exports" / "customer-care-dialog.json"
SAMPLE_TREE = SAMPLE_REPO / "dialog-skill"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root but the conversation tests (the team's files, which pull leaves alone)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(Path(root).rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != "conversations"
    }


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in Path(root).rglob("*") if p.is_file()}


def sample() -> dict:
    return json.loads(SAMPLE_EXPORT.read_text(encoding="utf-8"))


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def assert_one_line_error(result, *fragments: str, code: int = 2) -> str:
    """The error contract: the exit code, one line on stderr naming the problem, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.fixture
def sample_tree(copy_sample):
    return copy_sample("dialog-skill")


# --- help -------------------------------------------------------------------------------------


def _every_command_line():
    """Each command and sub-command a person can type, found from the app itself."""
    import typer.main

    from assistantgit.cli import HIDDEN, build_app

    def walk(command, words):
        if words and " ".join(words) not in HIDDEN:
            yield words
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*words, name])

    return list(walk(typer.main.get_command(build_app()), []))


@pytest.mark.parametrize("words", _every_command_line(), ids=" ".join)
def test_help_has_an_example(cli, words):
    result = cli(*words, "--help")
    assert result.exit_code == 0
    assert "Example: assistantgit " + words[0] in result.stdout


# --- bad input ----------------------------------------------------------------------------------


def test_bom_is_accepted(cli, tmp_path):
    with_bom = tmp_path / "bom.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + SAMPLE_EXPORT.read_bytes())
    result = cli("pull", with_bom, "--dir", tmp_path / "t")
    assert result.exit_code == 0, result.stderr
    assert snapshot(tmp_path / "t") == snapshot(SAMPLE_TREE)


BAD_EXPORTS = {
    "invalid-utf8": (SAMPLE_EXPORT.read_bytes().replace("Grüße".encode(), b"Gr\xfc\xdfe"), ["not valid UTF-8", ":"]),
    "truncated": (SAMPLE_EXPORT.read_bytes()[:5000], ["invalid JSON"]),
    "not-json": (b"name: my skill\nintents: []\n", ["invalid JSON", ":1:"]),
    "empty": (b"", ["empty"]),
    "array": (b"[1, 2]", ["not a skill export"]),
    "string": (b'"hello"', ["not a skill export"]),
    "foreign-object": (b'{"foo": 1}', ["not a Watson Assistant skill export"]),
    "intents-not-a-list": (
        b'{"name": "x", "intents": {"greeting": []}, "dialog_nodes": []}',
        ["'intents' must be a list"],
    ),
    "intent-without-name": (b'{"name": "x", "intents": [{"examples": []}]}', ["'intent'"]),
    "node-without-id": (b'{"name": "x", "dialog_nodes": [{"title": "Welcome"}]}', ["'dialog_node'"]),
}


@pytest.mark.parametrize("case", sorted(BAD_EXPORTS))
def test_bad_export_is_one_line_exit_2(cli, tmp_path, case):
    content, fragments = BAD_EXPORTS[case]
    path = tmp_path / f"{case}.json"
    path.write_bytes(content)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "README.md").write_text("mine\n")
    result = cli("pull", path, "--dir", tmp_path / "t")
    assert_one_line_error(result, str(path), *fragments)
    assert snapshot(tmp_path / "t") == {"README.md": b"mine\n"}, "a failed pull wrote files"


def test_invalid_utf8_names_the_line(cli, tmp_path):
    raw = SAMPLE_EXPORT.read_bytes()
    line = raw[: raw.index("Grüße".encode())].count(b"\n") + 1
    path = tmp_path / "latin1.json"
    path.write_bytes(raw.replace("Grüße".encode(), "Grüße".encode("latin-1")))
    assert_one_line_error(cli("pull", path, "--dir", tmp_path / "t"), f"{path}:{line}:")


@pytest.mark.parametrize("name", corpus_cases("bad", names=True))
def test_real_broken_downloads(cli, tmp_path, shared_corpus, name):
    """Real exports damaged in the wild (a stray comma, a non-UTF-8 byte) are refused clearly."""
    path = shared_corpus / "bad" / name
    message = assert_one_line_error(cli("pull", path, "--dir", tmp_path / "t"), str(path))
    assert any(word in message for word in ("invalid JSON", "not valid UTF-8"))
    assert not (tmp_path / "t").exists() or not any((tmp_path / "t").iterdir())


def test_missing_export_file(cli, tmp_path):
    assert_one_line_error(cli("pull", tmp_path / "nope.json", "--dir", tmp_path / "t"), "nope.json", "no such file")


def test_yaml_syntax_error_names_file_and_line(cli, sample_tree, tmp_path):
    path = sample_tree / "intents" / "refund.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = "  - refund: please: now\n"  # a second ': ' on the line, as a hasty edit leaves it
    path.write_text("".join(lines), encoding="utf-8")
    result = cli("push", "--dir", sample_tree, "--out", tmp_path / "out.json")
    assert_one_line_error(result, f"{path}:4:", "YAML error")
    assert not (tmp_path / "out.json").exists()


def test_yaml_of_the_wrong_shape_names_the_file(cli, sample_tree, tmp_path):
    (sample_tree / "intents" / "refund.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    assert_one_line_error(cli("push", "--dir", sample_tree, "--out", tmp_path / "o.json"), "refund.yaml", "mapping")


def test_item_defined_twice_names_both_files(cli, sample_tree, tmp_path):
    shutil.copy(sample_tree / "intents" / "refund.yaml", sample_tree / "intents" / "refund-copy.yaml")
    assert_one_line_error(
        cli("push", "--dir", sample_tree, "--out", tmp_path / "o.json"), "refund-copy.yaml", "refund.yaml", "'refund'"
    )


def test_missing_skill_yaml(cli, sample_tree, tmp_path):
    (sample_tree / "skill.yaml").unlink()
    assert_one_line_error(
        cli("push", "--dir", sample_tree, "--out", tmp_path / "o.json"), "skill.yaml", "assistantgit pull"
    )


def test_pull_into_a_file_is_one_line_exit_2(cli, tmp_path):
    """--dir naming an existing file (a typo for --out): exit 2 and the file kept, not exit 3."""
    target = tmp_path / "upload.json"
    target.write_bytes(b"keep me")
    assert_one_line_error(
        cli("pull", SAMPLE_EXPORT, "--dir", target), "upload.json", "is a file; --dir names the source tree's folder"
    )
    assert target.read_bytes() == b"keep me"


def test_push_errors_name_the_file_as_the_user_can_open_it(cli, sample_tree, tmp_path, monkeypatch):
    """A file of a tree given with --dir is named from the current folder, not from the tree."""
    monkeypatch.chdir(tmp_path)
    (sample_tree / "intents" / "refund.yaml").write_text("intent: 42\nexamples:\n  - x\n", encoding="utf-8")
    line = assert_one_line_error(
        cli("push", "--dir", "dialog-skill", "--out", "o.json"),
        "dialog-skill/intents/refund.yaml:1:1: 'intent' must be text, not a number",  # its place too (issue 11)
    )
    assert "missing" not in line
    (sample_tree / "intents" / "refund.yaml").write_text("", encoding="utf-8")
    assert_one_line_error(
        cli("push", "--dir", "dialog-skill", "--out", "o.json"),
        "dialog-skill/intents/refund.yaml:1:1: AG102 the file must hold a mapping",
    )
    assert not (tmp_path / "o.json").exists()


def test_push_of_a_missing_folder(cli, tmp_path):
    assert_one_line_error(cli("push", "--dir", tmp_path / "nothing", "--out", tmp_path / "o.json"), "no such folder")


def test_broken_dialog_reference_names_the_node(cli, sample_tree, tmp_path):
    path = sample_tree / "dialog_nodes" / "Refund.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("previous_sibling: folder_orders", "previous_sibling: node_gone"),
        encoding="utf-8",
    )
    assert_one_line_error(
        cli("push", "--dir", sample_tree, "--out", tmp_path / "o.json"), "Refund.yaml", "node_gone", "AG303"
    )


@pytest.mark.parametrize("case", ["invalid-json", "not-a-skill", "yaml-error", "missing-skill-yaml"])
def test_errors_from_a_real_process(cli_process, tmp_path, case):
    """What a shell, a hook or CI sees: exit 2, one line on stderr, nothing on stdout."""
    tree = tmp_path / "tree"
    shutil.copytree(SAMPLE_TREE, tree)
    if case == "invalid-json":
        (tmp_path / "x.json").write_text('{"name": "x", "intents": [', encoding="utf-8")
        args, fragments = ["pull", tmp_path / "x.json", "--dir", tree], ["x.json:1:", "invalid JSON"]
    elif case == "not-a-skill":
        (tmp_path / "x.json").write_text('{"foo": 1}', encoding="utf-8")
        args, fragments = ["pull", tmp_path / "x.json", "--dir", tree], ["x.json", "not a Watson Assistant skill"]
    elif case == "yaml-error":
        (tree / "entities" / "confirmation.yaml").write_text("entity: confirmation\nvalues: [\n", encoding="utf-8")
        args, fragments = ["push", "--dir", tree, "--out", tmp_path / "o.json"], ["confirmation.yaml"]
    else:
        (tree / "skill.yaml").unlink()
        args, fragments = ["push", "--dir", tree, "--out", tmp_path / "o.json"], ["skill.yaml"]
    before = snapshot(tree)
    result = cli_process(*args)
    assert result.stdout == ""
    assert_one_line_error(result, *fragments)
    assert snapshot(tree) == before
    assert not (tmp_path / "o.json").exists()


# --- limits and defaults ------------------------------------------------------------------------


def set_skill_field(tree: Path, key: str, value: str) -> None:
    path = tree / "skill.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(f"  {key}:"))
    lines[index] = f"  {key}: {json.dumps(value)}\n"
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("key, limit", [("name", 100), ("description", 200)])
def test_name_and_description_limits(cli, sample_tree, tmp_path, key, limit):
    out = tmp_path / "out.json"
    set_skill_field(sample_tree, key, "é" * limit)
    assert cli("push", "--dir", sample_tree, "--out", out).exit_code == 0
    assert json.loads(out.read_bytes())[key] == "é" * limit
    out.unlink()
    set_skill_field(sample_tree, key, "é" * (limit + 1))
    assert_one_line_error(cli("push", "--dir", sample_tree, "--out", out), str(limit + 1), f"limit is {limit}", key)
    assert not out.exists()


def test_pull_of_an_over_long_name_is_refused_at_push(cli, tmp_path):
    export = sample()
    export["name"] = "n" * 101
    assert cli("pull", write_json(tmp_path / "long.json", export), "--dir", tmp_path / "t").exit_code == 0
    assert_one_line_error(cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "o.json"), "limit is 100")


def test_output_over_10_mb_is_refused(cli, sample_tree, tmp_path):
    out = tmp_path / "out.json"
    out.write_bytes(b"previous upload")
    # One response of 10.5 MB of text (about what 20,000 long answers weigh).
    huge = sample_tree / "dialog_nodes" / "Huge.yaml"
    huge.write_text(
        "title: Huge\ndialog_node: node_huge\nprevious_sibling: node_anything_else\n"
        "output:\n  generic:\n    - response_type: text\n      values:\n        - text: " + "a" * (10_500_000) + "\n",
        encoding="utf-8",
    )
    assert_one_line_error(cli("push", "--dir", sample_tree, "--out", out, "--force"), "10 MB", "push --env")
    assert out.read_bytes() == b"previous upload", "a refused push overwrote the output"
    huge.write_text(huge.read_text(encoding="utf-8").replace("a" * 10_500_000, "a" * 9_000_000), encoding="utf-8")
    assert cli("push", "--dir", sample_tree, "--out", out, "--force").exit_code == 0
    assert 9_000_000 < out.stat().st_size <= 10 * 1024 * 1024


def test_missing_language_defaults_to_en(cli, tmp_path):
    export = sample()
    del export["language"]
    assert cli("pull", write_json(tmp_path / "nolang.json", export), "--dir", tmp_path / "t").exit_code == 0
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out.json").exit_code == 0
    assert json.loads((tmp_path / "out.json").read_bytes())["language"] == "en"


def test_tree_without_language_pushes_en(cli, sample_tree, tmp_path):
    path = sample_tree / "skill.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  language: en\n", ""), encoding="utf-8")
    assert "language" not in path.read_text(encoding="utf-8")
    assert cli("push", "--dir", sample_tree, "--out", tmp_path / "out.json").exit_code == 0
    assert json.loads((tmp_path / "out.json").read_bytes())["language"] == "en"


def test_other_language_is_kept(cli, tmp_path):
    export = sample()
    export["language"] = "de"
    assert cli("pull", write_json(tmp_path / "de.json", export), "--dir", tmp_path / "t").exit_code == 0
    assert cli("push", "--dir", tmp_path / "t", "--out", tmp_path / "out.json").exit_code == 0
    assert json.loads((tmp_path / "out.json").read_bytes())["language"] == "de"


# --- pull into an existing tree -------------------------------------------------------------------

UNMANAGED = {
    "README.md": b"# Our skill\n\nReview rules: ...\n",
    ".github/workflows/ci.yml": b"on: push\njobs: {}\n",
    ".ci/run": b"#!/bin/sh\nassistantgit push --out /tmp/x.json\n",
    "notes.txt": b"ideas\n",
    "intents/README.md": b"one file per intent\n",
    "dialog_nodes/.keep": b"",
    "exports/old.json": b"{}",
}


@pytest.fixture
def working_tree(tmp_path, cli):
    """The pulled sample in a git repository, next to files assistantgit does not manage."""
    import git

    root = tmp_path / "skill"
    repo = git.Repo.init(root)
    for rel, content in UNMANAGED.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    assert cli("pull", SAMPLE_EXPORT, "--dir", root).exit_code == 0
    repo.git.add(A=True)
    repo.git.commit(
        "-m",
        "pulled",
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        },
    )
    return root


def test_pull_replaces_only_managed_files(cli, tmp_path, working_tree):
    git_before = snapshot(working_tree / ".git")
    export = sample()
    export["intents"] = [i for i in export["intents"] if i["intent"] != "complaint"]
    export["entities"] = [e for e in export["entities"] if e["entity"] != "shipping_method"]
    export["dialog_nodes"] = [n for n in export["dialog_nodes"] if n["dialog_node"] != "node_complaint"]
    next(n for n in export["dialog_nodes"] if n["dialog_node"] == "node_help")["previous_sibling"] = (
        "node_talk_to_agent"
    )
    del export["counterexamples"]
    result = cli("pull", write_json(tmp_path / "smaller.json", export), "--dir", working_tree)
    assert result.exit_code == 0, result.stderr
    assert "0 created, 1 changed, 4 deleted" in result.stderr  # Help.yaml has a new previous_sibling
    after = snapshot(working_tree)
    for gone in (
        "intents/complaint.yaml",
        "entities/shipping_method.yaml",
        "dialog_nodes/Complaint.yaml",
        "counterexamples.yaml",
    ):
        assert gone not in after
    for rel, content in UNMANAGED.items():
        assert after[rel] == content, rel
    assert snapshot(working_tree / ".git") == git_before
    assert "intents/greeting.yaml" in after


def test_repull_of_unchanged_content_writes_nothing(cli, tmp_path, working_tree):
    old = 1_000_000_000_000_000_000
    for path in working_tree.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            os.utime(path, ns=(old, old))
    before, stamps = snapshot(working_tree), mtimes(working_tree)
    redownload = sample()
    redownload["updated"] = "2030-01-01T00:00:00.000Z"
    redownload["intents"].reverse()
    redownload["dialog_nodes"].reverse()
    result = cli("pull", write_json(tmp_path / "again.json", redownload), "--dir", working_tree)
    assert result.exit_code == 0
    assert "0 created, 0 changed, 0 deleted" in result.stderr
    assert snapshot(working_tree) == before
    assert mtimes(working_tree) == stamps
    assert not [p for p in working_tree.iterdir() if p.name.startswith(".assistantgit")], "staging left behind"


def test_pull_that_fails_in_explode_leaves_the_tree(cli, tmp_path, working_tree):
    before = snapshot(working_tree)
    export = sample()
    export["intents"].append({"examples": [{"text": "no name"}]})
    assert_one_line_error(cli("pull", write_json(tmp_path / "bad.json", export), "--dir", working_tree), "'intent'")
    assert snapshot(working_tree) == before


def test_pull_that_fails_while_writing_leaves_the_tree(tmp_path, working_tree):
    """A disk that fills up part-way (simulated with a file-size limit on the process): the
    staged files are dropped and the previous tree stays byte for byte."""
    before = snapshot(working_tree)
    export = sample()
    export["intents"] = [i for i in export["intents"] if i["intent"] != "thanks"]  # would delete a file
    export["dialog_nodes"][0]["output"]["generic"][0]["values"][0]["text"] = "Hi, changed."  # would change one
    export["intents"].append(
        {"intent": "zz_big", "examples": [{"text": f"example number {n} " + "x" * 200} for n in range(2000)]}
    )  # ~420 KB, written last
    path = write_json(tmp_path / "big.json", export)

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    proc = subprocess.run(
        [sys.executable, "-m", "assistantgit", "pull", str(path), "--dir", str(working_tree)],
        capture_output=True,
        text=True,
        preexec_fn=limit_file_size,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 2, proc.stderr
    assert "nothing was changed" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(working_tree) == before
    assert not [p for p in working_tree.iterdir() if p.name.startswith(".assistantgit")], "staging left behind"


def test_pull_that_fails_while_moving_files_into_place_leaves_the_tree(cli, tmp_path, working_tree):
    """The last step fails after some files were already replaced (here a folder stands where a
    new file must go): the moves made so far are undone."""
    export = sample()
    export["dialog_nodes"][0]["output"]["generic"][0]["values"][0]["text"] = "Hi, changed."  # moved first
    export["intents"] = [i for i in export["intents"] if i["intent"] != "thanks"]  # a deletion
    export["intents"].append({"intent": "zz_new", "examples": [{"text": "new"}]})  # moved last: blocked
    (working_tree / "intents" / "zz_new.yaml" / "sub").mkdir(parents=True)
    before = snapshot(working_tree)
    result = cli("pull", write_json(tmp_path / "new.json", export), "--dir", working_tree)
    assert_one_line_error(result, str(working_tree), "nothing was changed")
    assert snapshot(working_tree) == before
    assert not [p for p in working_tree.iterdir() if p.name.startswith(".assistantgit")], "staging left behind"
    (working_tree / "intents" / "zz_new.yaml" / "sub").rmdir()
    (working_tree / "intents" / "zz_new.yaml").rmdir()
    result = cli("pull", tmp_path / "new.json", "--dir", working_tree)
    assert result.exit_code == 0 and "1 created, 1 changed, 1 deleted" in result.stderr


def test_pull_into_a_fresh_folder_creates_it(cli, tmp_path):
    target = tmp_path / "new" / "nested"
    assert cli("pull", SAMPLE_EXPORT, "--dir", target).exit_code == 0
    assert snapshot(target) == snapshot(SAMPLE_TREE)


def test_pull_and_push_default_to_the_current_folder(cli_process, tmp_path):
    assert cli_process("pull", SAMPLE_EXPORT, cwd=tmp_path).exit_code == 0
    assert snapshot(tmp_path) == snapshot(SAMPLE_TREE)
    result = cli_process("push", "--out", "upload.json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert json.loads((tmp_path / "upload.json").read_bytes())["name"] == sample()["name"]


def test_quiet_pull_prints_nothing(cli, tmp_path):
    result = cli("pull", SAMPLE_EXPORT, "--dir", tmp_path / "t", "--quiet")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""


def test_an_oversized_file_is_refused_before_it_is_read(cli, tmp_path):
    """A file far beyond any Watson export is refused by its size, not read into memory."""
    big = tmp_path / "backup.zip"
    with open(big, "wb") as handle:  # sparse: costs no disk
        handle.seek(300 * 1024 * 1024)
        handle.write(b"PK")
    result = cli("pull", big, "--dir", tmp_path / "tree")
    assert result.exit_code == 2
    assert "too large for a Watson Assistant export" in result.stderr
    assert not (tmp_path / "tree").exists()


def test_a_lone_surrogate_in_a_skill_does_not_crash_reports(cli_process, tmp_path):
    """JSON may hold "\\ud800" (valid JSON, not encodable as UTF-8): pull and push carry it
    (upload_bytes escapes it); the reports that print it must not end in exit 3."""
    data = sample()
    data["intents"][0]["examples"].append({"text": "broken \ud800 emoji"})
    export = tmp_path / "surrogate.json"
    export.write_text(json.dumps(data), encoding="ascii")  # json.dumps escapes it as \ud800
    diff = cli_process("diff", SAMPLE_EXPORT, export, "--format", "markdown")
    assert diff.exit_code == 0, diff.stderr
    assert "broken \\ud800 emoji" in diff.stdout
    tree = tmp_path / "tree"
    assert cli_process("pull", export, "--dir", tree).exit_code == 0
    (tree / "intents" / "twice.yaml").write_text(
        'intent: twice\nexamples:\n  - "broken \\ud800 emoji"\n  - "broken \\ud800 emoji"\n', encoding="utf-8"
    )  # AG501
    found = cli_process("validate", "--dir", tree, "--format", "github", "--strict")
    assert found.exit_code == 1, found.stderr
    assert "unexpected error" not in found.stderr and "\\ud800" in found.stdout


def _folder_too_deep_for_temp_files(tmp_path: Path) -> Path:
    """A folder the OS lets exist but refuses new temp names in (ENAMETOOLONG even for root,
    like a read-only folder for a user): pull's staging folder and push's temp file fail."""
    limit = os.pathconf(tmp_path, "PC_PATH_MAX")
    folder = tmp_path
    # Room for "/counterexamples.yaml" and "/upload-file.json", not for the temp names
    # "/.assistantgit-staging-<random>" and "/.upload-file.json.<random>.tmp".
    while len(str(folder)) < limit - 26:
        folder = folder / ("d" * min(200, limit - 26 - len(str(folder)) - 1))
    folder.mkdir(parents=True)
    return folder


def test_a_folder_that_refuses_new_files_is_one_line_exit_2(cli, tmp_path):
    folder = _folder_too_deep_for_temp_files(tmp_path)
    assert_one_line_error(cli("pull", SAMPLE_EXPORT, "--dir", folder), "could not write the source tree")
    assert list(folder.iterdir()) == []
    assert_one_line_error(
        cli("push", "--dir", SAMPLE_TREE, "--out", folder / "upload-file.json"), "upload-file.json: could not write"
    )
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "export", ["customer-care-actions.json", "customer-care-assistant.zip", "Pizza_Palace_4711_20251104093012.zip"]
)
def test_pull_of_another_format_into_a_tree_is_refused(cli, sample_tree, export):
    """Pulling an actions export (or a ZIP) into a dialog tree used to replace only the new
    format's files: the old dialog_nodes/ and skill.yaml stayed, a tree that pushes neither."""
    before = snapshot(sample_tree)
    assert_one_line_error(
        cli("pull", SAMPLE_REPO / "exports" / export, "--dir", sample_tree),
        f"{sample_tree}: holds a watson-dialog tree",
        "another folder",
    )
    assert snapshot(sample_tree) == before
    assert cli("pull", SAMPLE_EXPORT, "--dir", sample_tree).exit_code == 0  # the same format still pulls


def test_nan_and_infinity_are_not_json(cli, sample_tree, tmp_path):
    """Python's json reads and writes NaN/Infinity; no vendor does: pull refuses them, and a
    .nan/.inf typed into a source file stops push instead of writing an upload the vendor refuses."""
    text = SAMPLE_EXPORT.read_text(encoding="utf-8")
    export = tmp_path / "nan.json"
    export.write_text(
        text.replace('"learning_opt_out": true', '"learning_opt_out": true, "threshold": NaN', 1), encoding="utf-8"
    )
    assert "NaN" in export.read_text(encoding="utf-8")
    assert_one_line_error(cli("pull", export, "--dir", tmp_path / "t"), "nan.json", "NaN")
    assert not (tmp_path / "t").exists()
    skill = sample_tree / "skill.yaml"
    skill.write_text(
        skill.read_text(encoding="utf-8").replace("workspace:\n", "workspace:\n  threshold: .inf\n", 1),
        encoding="utf-8",
    )
    assert_one_line_error(cli("push", "--dir", sample_tree, "--out", tmp_path / "o.json"), ".inf")
    assert not (tmp_path / "o.json").exists()


@pytest.mark.parametrize("target", ["skill.yaml", "intents/refund.yaml"])
def test_push_never_writes_over_the_trees_own_files(cli, sample_tree, target):
    """`push --dir skill --out skill/skill.yaml` (a slip) used to replace the tree's root file
    with the upload JSON, after which the tree was no longer a tree."""
    before = snapshot(sample_tree)
    assert_one_line_error(
        cli("push", "--dir", sample_tree, "--out", sample_tree / target), target, "source tree", "elsewhere"
    )
    assert snapshot(sample_tree) == before
    assert cli("push", "--dir", sample_tree, "--out", sample_tree / "upload.json").exit_code == 0  # beside them is fine
