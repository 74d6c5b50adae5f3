"""Command lines parsed without typer when they are plain.

Importing typer (with its copy of click) and building a command costs 40-60 ms here,
more than a small pull itself, and git's textconv driver, pre-commit hooks and scripts
call us once per file. So the commands declare their parameters with `Option` and
`Argument` below, which take typer's own arguments and only record them; `for_typer`
hands typer the real ones when it is needed. A command line made only of a command's
declared options and arguments, each value converting the way typer would convert it,
is parsed here. Anything else returns None and typer parses it, with its own help and
messages: --help, an unknown or misspelt option, a value starting with "-", `--`,
bundled short options, an option given twice, a missing value, a value typer must check
(a number out of range, an unknown choice, any float). tests/cli/plain_parse_test.py
checks that both give the command the same values.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

# Declaration keywords that only change --help: anything else (a callback, an environment
# variable, path checks...) leaves the command to typer.
_COSMETIC = frozenset({"help", "show_default", "metavar", "hidden", "rich_help_panel"})
_NUMBER_BOUNDS = frozenset({"min", "max"})


class Declared:
    """One parameter's typer declaration, recorded: typer.Option/Argument's own arguments."""

    __slots__ = ("decls", "default", "keywords", "kind")

    def __init__(self, kind: str, default: Any, decls: tuple[str, ...], keywords: dict[str, Any]) -> None:
        self.kind, self.default, self.decls, self.keywords = kind, default, decls, keywords

    def for_typer(self) -> Any:
        import typer

        if self.kind == "argument":
            return typer.Argument(self.default, **self.keywords)
        return typer.Option(self.default, *self.decls, **self.keywords)


def Option(default: Any = ..., *decls: str, **keywords: Any) -> Any:
    """typer.Option, declared now and made when typer is needed."""
    return Declared("option", default, decls, keywords)


def Argument(default: Any = ..., **keywords: Any) -> Any:
    """typer.Argument, declared now and made when typer is needed."""
    return Declared("argument", default, (), keywords)


@cache
def for_typer(function: Callable[..., Any]) -> Callable[..., Any]:
    """A copy of `function` whose declared defaults are typer's own (typer reads the signature)."""

    def made(value: Any) -> Any:
        return value.for_typer() if isinstance(value, Declared) else value

    copy = types.FunctionType(
        function.__code__,
        function.__globals__,
        function.__name__,
        tuple(made(value) for value in function.__defaults__ or ()),
        function.__closure__,
    )
    copy.__kwdefaults__ = {name: made(value) for name, value in (function.__kwdefaults__ or {}).items()} or None
    copy.__annotations__ = dict(function.__annotations__)
    copy.__doc__, copy.__module__, copy.__qualname__ = function.__doc__, function.__module__, function.__qualname__
    return copy


class _Param:
    """How one parameter is read from a command line."""

    __slots__ = ("convert", "default", "flag", "many", "name")

    def __init__(self, name: str, convert: Callable[[str], Any], many: bool, flag: bool, default: Any) -> None:
        self.name, self.convert, self.many, self.flag, self.default = name, convert, many, flag, default


class _Spec:
    __slots__ = ("arguments", "options", "params")

    def __init__(self) -> None:
        self.options: dict[str, tuple[_Param, Any]] = {}  # "--dir"/"-d" -> (parameter, the flag's value or None)
        self.arguments: list[_Param] = []
        self.params: list[_Param] = []


def parse(function: Callable[..., Any], args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments typer would call `function` with for `args`, or None to let typer parse."""
    spec = _spec(function)
    if spec is None:
        return None
    given: dict[str, Any] = {}
    positionals: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if not arg.startswith("-"):
            positionals.append(arg)
            continue
        name, equals, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        option = spec.options.get(name)
        if option is None:
            return None
        param, flag_value = option
        if param.flag:
            if equals or param.name in given:
                return None
            given[param.name] = flag_value
            continue
        if equals:
            text = attached
        elif index < len(args):
            text, index = args[index], index + 1
        else:
            return None
        if not text or text.startswith("-"):
            return None
        value = param.convert(text)
        if value is None:
            return None
        if param.many:
            given.setdefault(param.name, []).append(value)
        elif param.name in given:
            return None
        else:
            given[param.name] = value
    if not _place(spec.arguments, positionals, given):
        return None
    call = {}
    for param in spec.params:
        if param.name in given:
            call[param.name] = given[param.name]
        elif param.default is ...:
            return None  # required: typer says so
        else:
            call[param.name] = param.default
    return call


def _place(arguments: list[_Param], positionals: list[str], given: dict[str, Any]) -> bool:
    """Give the positional values to the arguments in order, as click does; False when they do not fit."""
    for param in arguments:
        if param.many:
            values = [param.convert(text) for text in positionals]
            if None in values:
                return False
            if values:
                given[param.name] = values
            positionals = []
        elif positionals:
            value = param.convert(positionals.pop(0))
            if value is None:
                return False
            given[param.name] = value
    return not positionals


def parameters(function: Callable[..., Any]) -> dict[str, Any]:
    """Each parameter of `function`, in order, with its default (None when it has none), read
    from the function itself: inspect.signature would cost the start-up its import."""
    code = function.__code__
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    positional_defaults = function.__defaults__ or ()
    defaults = dict(zip(names[code.co_argcount - len(positional_defaults) : code.co_argcount], positional_defaults))
    defaults.update(function.__kwdefaults__ or {})
    return {name: defaults.get(name) for name in names}


@cache
def _spec(function: Callable[..., Any]) -> _Spec | None:
    """What `function`'s declarations accept, or None when typer must parse all its command lines."""
    spec = _Spec()
    for name, declared in parameters(function).items():
        if not isinstance(declared, Declared):
            return None
        param = _param(name, declared, function.__annotations__.get(name), function.__globals__)
        if param is None:
            return None
        spec.params.append(param)
        if declared.kind == "argument":
            if spec.arguments and spec.arguments[-1].many:
                return None  # click shares values out differently after a variadic argument
            spec.arguments.append(param)
            continue
        dashed = name.replace("_", "-")
        decls = declared.decls or (f"--{dashed}/--no-{dashed}" if param.flag else f"--{dashed}",)
        for decl in decls:
            primary, slash, secondary = decl.partition("/")
            spec.options[primary.strip()] = (param, True if param.flag else None)
            if slash:
                spec.options[secondary.strip()] = (param, False)
    return spec


def _param(name: str, declared: Declared, annotation: Any, namespace: dict[str, Any]) -> _Param | None:
    extra = set(declared.keywords) - _COSMETIC
    text = annotation if isinstance(annotation, str) else None
    if text is None:
        return None
    text = text.removesuffix(" | None")
    many = text.startswith("list[") and text.endswith("]")
    if many:
        text = text[5:-1]
    default = declared.default
    if text == "bool" and not many and not extra and declared.kind == "option":
        return _Param(name, bool, False, True, default)
    if text == "int" and not many and extra <= _NUMBER_BOUNDS:
        low, high = declared.keywords.get("min"), declared.keywords.get("max")
        return _Param(name, lambda value: int_within(value, low, high), False, False, default)
    if text == "float" and not many and extra <= _NUMBER_BOUNDS and (default is None or type(default) is float):
        return _Param(name, lambda value: None, False, False, default)  # given: typer's conversion and checks
    if extra:
        return None
    convert: Callable[[str], Any]
    if text == "str":
        convert = str
    elif text == "Path":
        convert = Path
        if isinstance(default, str):
            default = Path(default)
    elif isinstance(namespace.get(text), type) and issubclass(namespace[text], Enum):
        choices = {member.value: member for member in namespace[text] if isinstance(member.value, str)}
        convert = choices.get
    else:
        return None  # any other type: typer's conversion and messages
    if many and default is not None:
        return None  # a list with a default: typer's
    return _Param(name, convert, many, False, default)


def int_within(value: Any, low: int | None, high: int | None) -> int | None:
    """`value` as typer takes an int option with these bounds (an int, or a text of ASCII
    digits), or None when typer must convert or refuse it (a sign, a space, out of bounds)."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if type(value) is not int:
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        return None
    return value
