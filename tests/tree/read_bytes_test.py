"""read_bytes reads a source file whole, in one read when fstat's size is right (a push reads
17,000 of them), and still whole when the file grew after fstat counted it."""

from __future__ import annotations

import os

import pytest

from assistantgit.errors import InputError
from assistantgit.tree import files


@pytest.mark.parametrize("size", [0, 1, 4095, 65535, 65536, 65537, 300_000])
def test_a_file_is_read_whole(tmp_path, size):
    path = tmp_path / "intent.yaml"
    content = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path.write_bytes(content)
    assert files.read_bytes(str(path)) == content


def test_a_file_of_the_size_fstat_gave_takes_one_read(tmp_path, monkeypatch):
    path = tmp_path / "intent.yaml"
    path.write_bytes(b"intent: hello\n")
    reads = []
    real_read = os.read
    with monkeypatch.context() as patched:
        patched.setattr(files.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
        assert files.read_bytes(str(path)) == b"intent: hello\n"
    assert len(reads) == 1


def test_a_file_that_grew_after_fstat_is_read_to_its_end(tmp_path, monkeypatch):
    path = tmp_path / "intent.yaml"
    content = b"intent: hello\n" * 10_000  # 140,000 bytes, more than one read of 65,536
    path.write_bytes(content)
    real_fstat = os.fstat

    class Smaller:
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 10  # fstat counted 10 bytes: the rest came later

    with monkeypatch.context() as patched:  # os itself: undone before the test's folder is removed
        patched.setattr(files.os, "fstat", lambda fd: Smaller(real_fstat(fd)))
        assert files.read_bytes(str(path)) == content
        with pytest.raises(InputError, match="grew over"):
            files.read_bytes(str(path), limit=100_000)
