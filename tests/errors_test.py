"""Errors carry their place as data: the message users read is built from it, and code that
names the place another way (from the tree's root, as an editor annotation) reads the data."""

from __future__ import annotations

from pathlib import Path

from assistantgit import canonical
from assistantgit.errors import InputError, LimitError


def test_the_message_is_built_from_the_place():
    error = InputError.at("intents/x.yaml", "missing 'intent'", 3, 7)
    assert error.message == "intents/x.yaml:3:7: missing 'intent'"
    assert (error.path, error.line, error.column, error.problem) == ("intents/x.yaml", 3, 7, "missing 'intent'")
    assert InputError.at("a.yaml", "bad", 2).message == "a.yaml:2: bad"
    assert InputError("plain").problem == "plain" and InputError("plain").path is None


def test_moved_keeps_the_problem_the_place_and_the_kind():
    error = LimitError.at("skill.yaml", "too long", 4, 1).moved(Path("tree") / "skill.yaml")
    assert isinstance(error, LimitError)
    assert error.message == f"{Path('tree') / 'skill.yaml'}:4:1: too long"


def test_a_yaml_error_says_where_the_parser_stopped():
    try:
        canonical.loads("a: [1, 2\nb: c\n", "x.yaml")
    except canonical.YamlError as error:
        assert error.path == "x.yaml" and error.line is not None and error.column is not None
        assert error.message == f"x.yaml:{error.line}:{error.column}: YAML error: {error.reason}"
    else:
        raise AssertionError("not refused")
