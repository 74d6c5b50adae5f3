"""Reading any YAML with ruamel.yaml's safe loader: the fallback for text that is not
in the canonical style (comments, other quoting, flow collections...)."""

from __future__ import annotations

from ..errors import InputError
from .emit import scalar


class YamlError(InputError):
    """Text that is not YAML: `reason` is the parser's own words, `line` and `column` where it
    stopped (when it says)."""

    reason = ""


def _yaml_error(path: str, reason: str, line: int | None = None, column: int | None = None) -> YamlError:
    error = YamlError.at(path, f"YAML error: {reason}", line, column)
    error.reason = reason
    return error


def slow_loads(text: str, path: str = "<string>"):
    """Read any YAML with ruamel.yaml's safe loader, as JSON-like data."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=False)
    try:
        data = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        if mark:
            raise _yaml_error(path, problem, mark.line + 1, mark.column + 1) from None
        raise _yaml_error(path, problem) from None
    except YAMLError as error:
        raise _yaml_error(path, str(error).splitlines()[0]) from None
    return _json_like(data, path)


def _json_like(value, path: str):
    """Turn YAML-only types (dates, sets) back into what a JSON export can hold."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                if isinstance(key, (int, float, bool)) or key is None:
                    key = scalar(key)
                else:
                    raise InputError.at(path, f"a mapping key must be text, found {type(key).__name__}")
            out[key] = _json_like(item, path)
        return out
    if isinstance(value, list):
        return [_json_like(item, path) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise InputError.at(path, f"a {type(value).__name__} value cannot be part of a skill export")
