"""Reading any YAML with ruamel.yaml's safe loader: the fallback for text that is not
in the canonical style (comments, other quoting, flow collections...)."""

from __future__ import annotations

from ..errors import InputError
from .emit import scalar


def slow_loads(text: str, path: str = "<string>"):
    """Read any YAML with ruamel.yaml's safe loader, as JSON-like data."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=False)
    try:
        data = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        problem = error.problem or error.context or "invalid YAML"
        raise InputError(f"{where}: YAML error: {problem}") from None
    except YAMLError as error:
        raise InputError(f"{path}: YAML error: {str(error).splitlines()[0]}") from None
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
                    raise InputError(f"{path}: a mapping key must be text, found {type(key).__name__}")
            out[key] = _json_like(item, path)
        return out
    if isinstance(value, list):
        return [_json_like(item, path) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise InputError(f"{path}: a {type(value).__name__} value cannot be part of a skill export")
