"""Plain command-line values converted without pydantic.

typer 0.29 converts every parameter through a pydantic TypeAdapter that it builds on
each run: importing pydantic and building the adapters of one command costs about
60 ms, more than the rest of a small pull. Most of our parameters are plain (a str,
a Path without checks, lists of those, an enum given one of its values, an int
within its bounds): those are converted here the way typer's adapters would. Anything
else, and any value these conversions cannot take as is, is handed to typer's own
conversion, so a wrong value gets typer's error message. When typer changes the
hook this uses, nothing is converted here and typer does it all (slower, same
results); tests/cli_startup_test.py notices.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from .cliparse import int_within

_PATH_DEFAULTS = {
    "exists": False,
    "resolve_path": False,
    "allow_dash": False,
    "path_type": None,
    "file_okay": True,
    "dir_okay": True,
    "writable": False,
    "readable": True,
}


class _Plain:
    """Stands in for typer's runtime conversion of one parameter (its `coerce`)."""

    def __init__(self, convert: Any, descriptor: Any) -> None:
        self.convert = convert  # value -> converted value, or None when it needs typer's checks
        self.descriptor = descriptor
        self.typer_param: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        if not many:
            converted = self.convert(value)
            if converted is not None:
                return converted
        elif isinstance(value, (list, tuple)):
            items = [self.convert(item) for item in value]
            if None not in items:
                return items
        return self._typer(param).coerce(value, param=param, ctx=ctx)

    def _typer(self, param: Any) -> Any:
        if self.typer_param is None:
            from typer._coercion import build_runtime_param

            self.typer_param = build_runtime_param(self.descriptor)
        return self.typer_param


def _plain_path(info: Any) -> bool:
    return all(getattr(info, name, default) == default for name, default in _PATH_DEFAULTS.items())


def _converter(annotation: Any, info: Any) -> Any:
    """value -> converted value for a plain annotation (None when it cannot), or None when
    typer must convert every value of this parameter."""
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    if annotation is str:
        return lambda value: value if isinstance(value, str) else None
    if annotation is bool:  # a flag's True/False is taken as is; a text (an environment variable) goes to typer
        return lambda value: value if isinstance(value, bool) else None
    if annotation is Path and _plain_path(info):
        return lambda value: Path(value) if isinstance(value, (str, Path)) else None
    if annotation is int and not getattr(info, "clamp", False):
        return lambda value: int_within(value, info.min, info.max)
    if isinstance(annotation, type) and issubclass(annotation, Enum) and info.case_sensitive:
        by_value = {member.value: member for member in annotation if isinstance(member.value, str)}
        return lambda value: value if isinstance(value, annotation) else by_value.get(value)
    if get_origin(annotation) is list and len(get_args(annotation)) == 1:
        return _converter(get_args(annotation)[0], info)
    return None


def convert_plain_parameters(command: Any) -> None:
    """Give the plain parameters of a click command tree (typer's) the conversions above."""
    params = list(getattr(command, "params", ()))
    try:  # click makes the --help option on first use, from a context: make it now to convert it too
        context = command.context_class(command, **command.context_settings)
        params.append(command.get_help_option(context))
    except (AttributeError, TypeError):
        pass
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", "absent") is not None:
            continue  # not typer's parameter as this module knows it: typer converts it
        convert = _converter(descriptor.annotation, descriptor.parameter_info)
        if convert is not None:
            param._runtime_param = _Plain(convert, descriptor)
    for sub in getattr(command, "commands", {}).values():
        convert_plain_parameters(sub)
