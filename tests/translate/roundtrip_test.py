"""The measures of issue 17: an identity translation reproduces the source tree byte for byte
except `language`; a pseudo-translation changes every translatable string and nothing else
(checked with the semantic diff); on the samples in every format, and on every export of
../shared/corpus (dialog and actions)."""

from __future__ import annotations

import pytest

from assistantgit.translate.placeholders import pseudo
from testing.paths import SAMPLE_REPO, corpus_files
from testing.profile import sweep
from testing.translation import fill, pseudo_problems, same_but_language

SAMPLES = ["dialog-skill", "actions-skill", "assistant-zip"]
SUFFIXES = [".xlf", ".po", ".csv"]
# Every sample and every file format in the default run (one pairing each); all nine pairings
# in the full suite.
PAIRS = [
    pytest.param(sample, suffix, marks=() if SAMPLES.index(sample) == SUFFIXES.index(suffix) else pytest.mark.slow)
    for sample in SAMPLES
    for suffix in SUFFIXES
]


def round_trip(cli, source, tmp_path, suffix, translate, name="target"):
    exported = tmp_path / f"{name}{suffix}"
    result = cli("translate", "export", "--dir", source, "--out", exported, "--language", "xx")
    assert result.exit_code == 0, result.stderr
    assert fill(exported, translate) > 0
    target = tmp_path / name
    result = cli("translate", "import", exported, "--into", target, "--from", source, "--language", "xx")
    return result, target


@pytest.mark.parametrize(("sample", "suffix"), PAIRS)
def test_identity_translation_reproduces_the_sample_byte_for_byte(cli, tmp_path, sample, suffix):
    source = SAMPLE_REPO / sample
    result, target = round_trip(cli, source, tmp_path, suffix, lambda text: text)
    assert result.exit_code == 0, result.stderr
    assert same_but_language(source, target, "xx") == []
    assert (target / "translation.yaml").is_file()  # the record beside the tree, not part of it


@pytest.mark.parametrize(("sample", "suffix"), PAIRS)
def test_pseudo_translation_changes_every_string_and_nothing_else(cli, tmp_path, sample, suffix):
    source = SAMPLE_REPO / sample
    result, target = round_trip(cli, source, tmp_path, suffix, pseudo)
    assert result.exit_code == 0, result.stdout + result.stderr  # placeholders kept: no AG901/AG902
    problems, unchanged, changes = pseudo_problems(source, target)
    assert problems == [] and unchanged == []
    assert changes > 10


def test_pseudo_check_catches_a_change_that_is_not_a_translation(cli, tmp_path):
    """The check above can fail: a condition changed in the target is reported."""
    source = SAMPLE_REPO / "dialog-skill"
    _, target = round_trip(cli, source, tmp_path, ".xlf", pseudo)
    node = target / "dialog_nodes" / "Refund.yaml"
    node.write_text(node.read_text().replace('conditions: "#refund"', 'conditions: "#refund && true"'))
    problems, _, _ = pseudo_problems(source, target)
    assert any("conditions" in problem for problem in problems)


def _corpus(kind):
    files = corpus_files(kind)
    return sweep(files) or [pytest.param(None, marks=pytest.mark.skip(reason="../shared/corpus is not present"))]


# the smallest export of each kind in the default run, all of them in the full suite
@pytest.mark.parametrize("export", _corpus("dialog") + _corpus("actions"))
def test_corpus_identity_and_pseudo_round_trips(cli, tmp_path, export):
    source = tmp_path / "source"
    assert cli("pull", export, "--dir", source).exit_code == 0
    result, target = round_trip(cli, source, tmp_path, ".xlf", lambda text: text, "identity")
    assert result.exit_code == 0, result.stderr
    assert same_but_language(source, target, "xx") == []
    result, target = round_trip(cli, source, tmp_path, ".po", pseudo, "pseudo")
    assert result.exit_code == 0, result.stdout + result.stderr
    problems, unchanged, _ = pseudo_problems(source, target)
    assert problems == [] and unchanged == []
