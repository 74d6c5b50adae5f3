"""The test run's temp folder in memory (testing/scratch.py): used only when it is safe."""

from __future__ import annotations

import os
import tempfile

import pytest

from testing import scratch


@pytest.fixture
def memory(tmp_path, monkeypatch):
    """A stand-in for /dev/shm, and an environment without TMPDIR."""
    monkeypatch.setattr(scratch, "MEMORY_FOLDER", str(tmp_path))
    monkeypatch.delenv("TMPDIR", raising=False)
    monkeypatch.delenv("ASSISTANTGIT_TEST_TMP", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)  # restored after the test
    return tmp_path


def test_the_run_moves_to_a_private_folder_in_memory(memory):
    folder = scratch.keep_temporary_files_in_memory()
    assert folder == str(memory / f"assistantgit-tests-{os.getuid()}")
    assert os.environ["TMPDIR"] == folder and tempfile.gettempdir() == folder
    assert os.stat(folder).st_mode & 0o777 == 0o700


def test_a_tmpdir_the_user_set_wins(memory, monkeypatch):
    monkeypatch.setenv("TMPDIR", "/somewhere/else")
    assert scratch.keep_temporary_files_in_memory() is None
    assert os.environ["TMPDIR"] == "/somewhere/else"
    assert not list(memory.iterdir())


def test_the_disk_can_be_asked_for(memory, monkeypatch):
    monkeypatch.setenv("ASSISTANTGIT_TEST_TMP", "disk")
    assert scratch.keep_temporary_files_in_memory() is None
    assert "TMPDIR" not in os.environ


def test_a_folder_others_can_write_or_a_link_is_not_used(memory, tmp_path_factory):
    planted = memory / f"assistantgit-tests-{os.getuid()}"
    planted.mkdir(mode=0o777)
    planted.chmod(0o777)
    assert scratch.keep_temporary_files_in_memory() is None
    planted.rmdir()
    planted.symlink_to(tmp_path_factory.mktemp("elsewhere"))
    assert scratch.keep_temporary_files_in_memory() is None
    assert "TMPDIR" not in os.environ


def test_too_little_free_memory_keeps_the_disk(memory, monkeypatch):
    monkeypatch.setattr(scratch, "NEEDED_FREE_BYTES", 1 << 62)
    assert scratch.keep_temporary_files_in_memory() is None
    assert "TMPDIR" not in os.environ
