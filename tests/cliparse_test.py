"""Command lines parsed without typer (cliparse.py, issue 14's start-up): whenever the plain
parser accepts a command line, typer would have called the command with the same values;
the command lines scripts and hooks use are accepted; a plain pull does not import typer."""

from __future__ import annotations

import functools
from enum import Enum
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistantgit.cli import COMMANDS, command_function
from assistantgit.cliparse import Declared, parameters, parse
from testing.profile import examples

PLAIN = [name for name in COMMANDS if hasattr(command_function(name), "__code__")]  # not the typer sub-apps


class _Refused(Exception):
    """typer refused the command line (a usage error)."""


@functools.cache
def _typer_command(name: str):
    """`name`'s command as the CLI's typer path builds it, calling a recorder instead."""
    import typer

    from assistantgit.cli import readable_help
    from assistantgit.cliparams import convert_plain_parameters
    from assistantgit.cliparse import for_typer

    calls: list[dict] = []

    @functools.wraps(for_typer(command_function(name)))
    def recorder(**values):
        calls.append(values)
        return 0

    app = typer.Typer(context_settings={"help_option_names": ["-h", "--help"]})
    app.command(name)(recorder)
    command = readable_help(typer.main.get_command(app))
    convert_plain_parameters(command)
    return command, calls


def typer_values(name: str, args: list[str]) -> dict:
    import typer

    command, calls = _typer_command(name)
    calls.clear()
    try:
        command.main(list(args), prog_name="assistantgit", standalone_mode=False)
    except (typer.TyperException, typer.Exit) as refused:
        raise _Refused(str(refused)) from None
    assert len(calls) == 1
    return calls[0]


def _declared(name: str) -> dict[str, Declared]:
    return {key: value for key, value in parameters(command_function(name)).items() if isinstance(value, Declared)}


def _pieces(name: str) -> st.SearchStrategy[list[str]]:
    """Pieces of a command line of `name`: an option and a value, a flag, a positional value,
    or a token typer and the plain parser might read differently."""
    function = command_function(name)
    values = ["x", "a b", "é.json", "5", "0", "40000", "1.5", "+2", "-3", "", "=", "-", "--"]
    spelled = []
    for param, declared in _declared(name).items():
        for decl in declared.decls or (f"--{param.replace('_', '-')}",):
            spelled += [part.strip() for part in decl.split("/")]
        kind = function.__globals__.get(str(function.__annotations__.get(param, "")).split(" ")[0])
        if isinstance(kind, type) and issubclass(kind, Enum):
            values += [str(member.value) for member in kind] + [str(next(iter(kind)).value).upper()]
    value = st.sampled_from(values)
    junk = st.sampled_from(["--help", "-h", "--", "-", "--nope", "-zq"])
    option = st.sampled_from(spelled) if spelled else junk
    return st.one_of(
        st.tuples(option, value).map(list),
        option.map(lambda decl: [decl]),
        st.tuples(option, value).map(lambda pair: [f"{pair[0]}={pair[1]}"]),
        value.map(lambda text: [text]),
        junk.map(lambda text: [text]),
    )


def _required(name: str) -> list[str]:
    """A value for each of `name`'s required arguments and options."""
    words = []
    for declared in _declared(name).values():
        if declared.default is ...:
            words += ["x"] if declared.kind == "argument" else [declared.decls[0], "x"]
    return words


@pytest.mark.parametrize("name", PLAIN)
def test_the_plain_parser_calls_a_command_as_typer_would(name):
    accepted = []

    @settings(max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.booleans(), st.lists(_pieces(name), max_size=5))
    def check(with_required, pieces):
        args = (_required(name) if with_required else []) + [word for piece in pieces for word in piece]
        plain = parse(command_function(name), args)
        if plain is None:
            return  # typer parses it, as before
        accepted.append(args)
        assert typer_values(name, args) == plain, args

    check()
    assert accepted, "the plain parser accepted none of the generated command lines"


# What scripts, hooks and git's textconv driver run: each must take the fast road.
EVERYDAY = [
    ("pull", ["skill.json", "--dir", "tree"]),
    ("pull", ["skill.json", "-d", "tree", "--force"]),
    ("pull", ["--env", "dev", "--commit"]),
    ("push", ["--dir", "tree", "--out", "upload.json"]),
    ("push", ["--env", "test"]),
    ("validate", ["--dir", "tree", "--format", "json"]),
    ("validate", ["tree/intents/a.yaml", "tree/intents/b.yaml"]),
    ("fmt", ["--check", "a.yaml", "b.yaml"]),
    ("diff", ["HEAD~1", "HEAD"]),
    ("diff", ["a.json", "b.json", "--format", "markdown"]),
    ("textconv", ["/tmp/export.json"]),
    ("show", ["--dir", "tree", "--depth", "2"]),
    ("status", []),
]


@pytest.mark.parametrize(("name", "args"), EVERYDAY, ids=[" ".join([n, *a]) for n, a in EVERYDAY])
def test_everyday_command_lines_take_the_plain_road(name, args):
    plain = parse(command_function(name), args)
    assert plain is not None
    assert plain == typer_values(name, args)


def test_what_the_plain_parser_leaves_to_typer():
    pull = command_function("pull")
    for args in (["--help"], ["x.json", "--dir"], ["--dri", "d"], ["-d", "a", "-d", "b"], ["--", "x"], ["a", "b"]):
        assert parse(pull, args) is None, args
    show = command_function("show")
    assert parse(show, ["--depth", "-1"]) is None  # below its minimum: typer's message
    assert parse(show, ["--depth", "7"])["depth"] == 7


def test_values_are_typed_as_typer_types_them():
    values = parse(command_function("validate"), ["--dir", "tree", "a.yaml", "--format", "json"])
    assert values is not None
    assert values["dir"] == Path("tree") and values["paths"] == [Path("a.yaml")]
    assert isinstance(values["output"], Enum) and values["output"].value == "json"
