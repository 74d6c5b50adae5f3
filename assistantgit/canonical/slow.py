"""Reading any YAML with ruamel.yaml's safe loader: the fallback for text that is not
in the canonical style (comments, other quoting, flow collections...).

Source files come from pull requests (issue 11), so the nesting is bounded by
limits.MAX_DEPTH before ruamel.yaml composes anything (its C composer recurses on the C
stack: 40,000 nested `- ` or `[` in an 80 KB file crashed the process, and 10,000 flow
levels took 0.35-0.6 s of quadratic scanning), and the composed document is checked before
anything is built from it: no anchors and aliases (a 400-byte "billion laughs" file
expands to gigabytes; canonical files never hold them), no integer of more than
MAX_INT_DIGITS digits, no number too large for a float. Each refusal names the line and
column.
"""

from __future__ import annotations

from ..errors import InputError
from ..limits import MAX_DEPTH, MAX_INT_DIGITS
from .emit import scalar

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_INFINITIES = {".inf", "+.inf", "-.inf", ".nan"}
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


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

    too_deep = _too_deep_at(text)
    if too_deep is not None:
        raise _refused(path, too_deep, _TOO_DEEP)
    yaml = YAML(typ="safe", pure=False)
    constructor, parser = yaml.get_constructor_parser(text)
    try:
        try:
            node = constructor.composer.get_single_node()
        except RecursionError:  # a last net: _too_deep_at has bounded the nesting the composer recurses on
            raise _yaml_error(path, _TOO_DEEP) from None
        if node is None:
            return None
        _check(node, path, text)
        data = constructor.construct_document(node)
    except MarkedYAMLError as error:
        mark, problem = explain(error, text)
        if mark:
            raise _yaml_error(path, problem, mark.line + 1, mark.column + 1) from None
        raise _yaml_error(path, problem) from None
    except YAMLError as error:
        raise _yaml_error(path, str(error).splitlines()[0]) from None
    finally:
        parser.dispose()
    return _json_like(data, path)


def explain(error, text: str):
    """(the mark of the line to fix, what to do about it) for a YAML parser error.

    The parser reports where it gave up, often a line after the mistake (an unclosed
    quote is noticed at the end of the file) and in its own terms; a person needs the
    line to change and what to change there.
    """
    import re

    problem, context = error.problem or "", error.context or ""
    mark, start = error.problem_mark, error.context_mark
    here = _char_at(text, mark)
    if "tab character" in problem or ("cannot start any token" in problem and here == "\t"):
        return mark, "a tab character; YAML indents with spaces only: replace the tab with spaces"
    if "cannot start any token" in problem:
        return mark, f"a plain value cannot start with '{here}': put the whole value in quotes"
    if "mapping values are not allowed" in problem:
        return mark, "a ': ' inside a value reads as a new key: put the whole value in quotes"
    if "end of stream" in problem and "quoted scalar" in context and start is not None:
        return start, "the quote that opens this value is never closed: add the closing quote"
    if "expected ':'" in problem and start is not None:
        return start, "a line inside a mapping without 'key: value': add the ':' or fix the indentation"
    if "flow sequence" in context and start is not None:
        return start, "the '[' list that starts here is not closed with ']'"
    if "flow mapping" in context and start is not None:
        return start, "the '{' mapping that starts here is not closed with '}'"
    duplicate = re.search(r'duplicate key "(.*?)"', problem)
    if duplicate:
        return mark, f"'{duplicate.group(1)}' appears twice in the same mapping: keep one"
    if "undefined alias" in problem:
        return mark, "'*' starts a reference to an '&' anchor that does not exist: put the value in quotes"
    if "unknown escape" in problem:
        return (
            mark,
            "an unknown backslash escape in a double-quoted value: write \\\\ for a backslash, or use single quotes",
        )
    if "expected key" in problem or "expected '-' indicator" in problem or "block end" in problem:
        line = _line_at(text, mark)
        if mark is not None and mark.column > len(line) - len(line.lstrip(" ")):
            return mark, "text after a complete value on this line: put the whole value in quotes"
        return mark, "this line's indentation does not fit the lines above: indent it like the entries it belongs with"
    return mark or start, problem or context or "invalid YAML"


def _char_at(text: str, mark) -> str:
    line = _line_at(text, mark)
    return line[mark.column] if mark is not None and mark.column < len(line) else ""


def _line_at(text: str, mark) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    return lines[mark.line] if mark.line < len(lines) else ""


def _too_deep_at(text: str):
    """The start mark of the first collection nested deeper than MAX_DEPTH, or None.

    Reads parser events (libyaml's parser loops, it does not recurse) and stops at that
    collection, so a hostile file costs only the text before it. A text the parser refuses
    is left to the composer, which reports the error in the usual words. Costs about a fifth
    of a slow read; canonical files never come here."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = 0
    try:
        for event in YAML(typ="safe", pure=False).parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        pass
    return None


def _check(root, path: str, text: str) -> None:
    """Refuse aliases, deep nesting and numbers no JSON reader holds, before construction."""
    seen: set = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:  # the composer gives an alias the very node of its anchor
            raise _alias_refusal(path, text)
        seen.add(id(node))
        value = node.value
        if isinstance(value, str):
            tag = node.tag
            if tag == _INT_TAG and len(value.lstrip("+-")) > MAX_INT_DIGITS:
                digits = len(value.lstrip("+-"))
                raise _refused(
                    path, node.start_mark, f"an integer of {digits:,} digits; at most {MAX_INT_DIGITS:,} are accepted"
                )
            if tag == _FLOAT_TAG and value.lower() not in _INFINITIES and _overflows(value):
                raise _refused(
                    path, node.start_mark, f"the number {value[:40]} is too large (it would become infinity)"
                )
            continue
        if depth > MAX_DEPTH:
            raise _refused(path, node.start_mark, _TOO_DEEP)
        for item in value:
            if isinstance(item, tuple):  # a mapping's (key, value)
                stack.append((item[1], depth + 1))
                stack.append((item[0], depth + 1))
            else:
                stack.append((item, depth + 1))


def _overflows(value: str) -> bool:
    try:
        return abs(float(value.replace("_", ""))) == float("inf")
    except ValueError:
        return False


def _refused(path: str, mark, problem: str) -> YamlError:
    """A refusal at a parser mark (0-based), the place kept as data as for a YAML error."""
    if mark is None:
        return _yaml_error(path, problem)
    error = YamlError.at(path, problem, mark.line + 1, mark.column + 1)
    error.reason = problem
    return error


def _alias_refusal(path: str, text: str) -> YamlError:
    """The error for an alias, at the place the parser's events show."""
    from ruamel.yaml import YAML
    from ruamel.yaml.events import AliasEvent

    alias = "a YAML alias{}; source files spell every value out (anchors and aliases are refused: they can expand without bound)"
    try:
        for event in YAML(typ="safe", pure=False).parse(text):
            if isinstance(event, AliasEvent):
                return _refused(path, event.start_mark, alias.format(f" (*{event.anchor})"))
    except Exception:
        pass
    return _yaml_error(path, alias.format(""))


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
