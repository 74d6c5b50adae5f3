"""Without ../shared, the corpus tests skip and say what is missing (issue 12): not pytest's
bare "got empty parameter set", which tells nobody what to fetch."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from testing.paths import PROJECT

CORPUS_TESTS = [
    "tests/cli_test.py::test_real_broken_downloads",
    "tests/formats/watson/watson_actions_test.py::test_corpus_round_trips",
    "tests/formats/watson/watson_actions_test.py::test_corpus_is_detected_as_actions_not_dialog",
    "tests/formats/watson/watson_actions_test.py::test_dialog_corpus_is_not_claimed_by_actions",
    "tests/formats/watson/watson_zip_test.py::test_corpus_actions_with_dialog_in_a_zip",
    "tests/formats/watson/watson_dialog_test.py::test_corpus_round_trip",
]


@pytest.mark.slow  # runs the corpus tests again in a pytest process of its own
def test_corpus_tests_without_the_corpus_name_the_missing_folder(tmp_path):
    absent = tmp_path / "no-shared" / "corpus"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-n", "0", "-p", "no:cacheprovider", *CORPUS_TESTS],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        # full: the corpus sweeps are `slow`, skipped otherwise for that reason instead
        env={**os.environ, "ASSISTANTGIT_TEST_CORPUS": str(absent), "ASSISTANTGIT_TESTS": "full"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == len(CORPUS_TESTS), result.stdout
    assert "empty parameter set" not in result.stdout
    for line in skipped:
        assert f"{absent}/" in line and "is not present" in line, line
