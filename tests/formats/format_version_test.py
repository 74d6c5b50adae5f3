"""Every tree's root file carries the layout version: pull writes it, an older or absent
one is read as version 1, a newer one is refused with one line and exit 2."""

from __future__ import annotations

import shutil

import pytest

from assistantgit import canonical
from assistantgit.formats.base import FORMAT_VERSION
from testing.paths import SAMPLE_REPO

TREES = {"dialog-skill": "skill.yaml", "assistant-zip": "assistant.yaml", "avaamo-agent": "agent.yaml"}


@pytest.mark.parametrize("tree", sorted(TREES))
def test_pull_writes_the_version_and_a_newer_one_is_refused(cli, tmp_path, tree):
    root = tmp_path / tree
    shutil.copytree(SAMPLE_REPO / tree, root)
    marker = root / TREES[tree]
    doc = canonical.loads(marker.read_text(encoding="utf-8"))
    assert doc["format_version"] == FORMAT_VERSION
    marker.write_text(canonical.dumps({**doc, "format_version": FORMAT_VERSION + 1}), encoding="utf-8")
    for args in (("push", "--dir", root, "--out", tmp_path / "out.zip"), ("validate", "--dir", root)):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
        (line,) = result.stderr.strip().splitlines()
        assert "written by a newer assistantgit" in line and "upgrade assistantgit" in line, line


def test_a_tree_without_the_version_reads_as_version_1_and_diffs_the_same(cli, tmp_path):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    marker = root / "skill.yaml"
    doc = canonical.loads(marker.read_text(encoding="utf-8"))
    del doc["format_version"]
    marker.write_text(canonical.dumps(doc), encoding="utf-8")
    assert cli("push", "--dir", root, "--out", tmp_path / "old.json").exit_code == 0
    export = SAMPLE_REPO / "exports" / "customer-care-dialog.json"
    result = cli("diff", export, root, "--exit-code")  # the layout version is not a difference
    assert result.exit_code == 0, result.stdout
    assert cli("pull", export, "--dir", root).exit_code == 0  # and the next pull writes it
    assert canonical.loads(marker.read_text(encoding="utf-8"))["format_version"] == FORMAT_VERSION


def test_a_version_that_is_not_a_whole_number_is_refused(cli, tmp_path):
    root = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
    marker = root / "skill.yaml"
    marker.write_text(marker.read_text(encoding="utf-8").replace("format_version: 1", "format_version: one"), "utf-8")
    result = cli("validate", "--dir", root)
    assert result.exit_code == 2 and "format_version must be a whole number" in result.stderr
