"""`fmt`: a source file in the canonical form pull writes, comments kept.

The canonical text is always `dumps` of the file's data normalized
the way pull normalizes it (key order, sorted set-like arrays, block scalars, final
newline). Comments a person wrote are then put back: ruamel.yaml's round-trip
scanner says where each comment is and which key or item it belongs to (the node on
its line, or the next node below a comment line); the same node is found in the
canonical text, also after sorting moved it, and the comment goes there again.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from .emit import canonical_json, dumps
from .locate import locate_canonical
from .read import NotCanonical, fast_loads
from .slow import slow_loads


def format_text(text: str, normalize, where: str = "<string>", data=None, canonical_input: bool | None = None) -> str:
    """The canonical text of a source file (raises InputError when it is not YAML).

    `data` and `canonical_input` may come from a parse the caller already made."""
    if canonical_input is None:
        try:
            data, canonical_input = fast_loads(text), True
        except (NotCanonical, TypeError):
            data, canonical_input = slow_loads(text, where), False
    try:
        canonical = dumps(normalize(data))
    except TypeError as error:
        raise InputError(f"{where}: cannot be written in canonical form ({error})") from None
    if canonical_input or "#" not in text:  # canonical text has no comments: the fast reader refuses them
        return canonical
    comments = _comments(text)
    if not comments:
        return canonical
    return _put_back(canonical, normalize(data), data, text, comments)


def _comments(text: str) -> list[tuple[int, int, str]]:
    """(line, column, '# text') of every comment, 0-based.

    ruamel.yaml's scanner tells which '#' start comments (not those inside quotes or
    block scalars), but its line numbers for comments after a line break are not
    reliable; so its comment texts are looked up in the lines themselves.
    """
    from collections import Counter

    from ruamel.yaml import YAML

    try:
        tokens = list(YAML().scan(text))
    except Exception:
        return []
    wanted: Counter = Counter()
    stack: list[Any] = [getattr(t, "comment", None) for t in tokens]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(text_of := getattr(item, "value", None), str):
            wanted.update(p.strip() for p in text_of.split("\n") if p.strip().startswith("#"))
    found = []
    for number, line in enumerate(text.split("\n")):
        if "#" not in line or not wanted:
            continue
        stripped = line.strip()
        if stripped.startswith("#") and wanted[stripped] > 0:
            wanted[stripped] -= 1
            found.append((number, len(line) - len(line.lstrip()), stripped))
            continue
        position = line.find(" #")
        while position >= 0:
            comment = line[position + 1 :].strip()
            if wanted[comment] > 0:
                wanted[comment] -= 1
                found.append((number, position + 1, comment))
                break
            position = line.find(" #", position + 1)
    return found


def _node_lines(text: str) -> dict:
    """0-based line -> key paths of the keys and items that start on it, shallowest first."""
    from ruamel.yaml import YAML

    lines: dict = {}

    def walk(node: Any, path: tuple) -> None:  # ruamel's CommentedMap/Seq: `lc` holds the places
        places: Any = getattr(node, "lc", None)  # where ruamel's round-trip loader found each key and item
        if isinstance(node, dict):
            for key in node:
                try:
                    line, _ = places.key(key)
                except (AttributeError, KeyError, TypeError):
                    continue
                lines.setdefault(line, []).append((*path, key))
                walk(node[key], (*path, key))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                try:
                    line, _ = places.item(index)
                except (AttributeError, KeyError, TypeError):
                    continue
                lines.setdefault(line, []).append((*path, index))
                walk(item, (*path, index))

    try:
        walk(YAML().load(text), ())
    except Exception:  # the safe loader read it; if the round-trip one cannot, comments go on top
        return {}
    return lines


_ID_FIELDS = ("text", "value", "dialog_node", "intent", "entity", "name", "variable", "action", "title")


def _same_item(old, new) -> bool:
    if old == new:
        return True
    if isinstance(old, dict) and isinstance(new, str):
        return old.get("text") == new
    if isinstance(old, dict) and isinstance(new, dict):
        return any(old.get(f) is not None and old.get(f) == new.get(f) for f in _ID_FIELDS)
    return False


def _new_path(old_root, new_root, path: tuple) -> tuple:
    """The path of the same node after normalization reordered arrays."""
    old, new, result = old_root, new_root, list[str | int]()
    for part in path:
        if isinstance(part, str):
            if not isinstance(old, dict) or not isinstance(new, dict) or part not in new:
                break
            old, new = old.get(part), new[part]
            result.append(part)
        else:
            if not isinstance(old, list) or not isinstance(new, list) or part >= len(old) or not new:
                break
            item = old[part]
            exact = [j for j, candidate in enumerate(new) if canonical_json(candidate) == canonical_json(item)]
            similar = exact or [j for j, candidate in enumerate(new) if _same_item(item, candidate)]
            j = similar[0] if similar else min(part, len(new) - 1)
            old, new = item, new[j]
            result.append(j)
    return tuple(result)


def _put_back(canonical: str, new_data, old_data, text: str, comments: list) -> str:
    source_lines = text.split("\n")
    nodes = _node_lines(text)
    node_line_numbers = sorted(nodes)
    out_lines = canonical.split("\n")
    before: dict = {}  # canonical line index -> comment lines to put above it
    after: dict = {}  # canonical line index -> trailing comments
    tail, header = [], []
    for line, column, comment in comments:
        content = source_lines[line][:column].strip() if line < len(source_lines) else ""
        if content and line in nodes:
            target = _new_path(old_data, new_data, nodes[line][-1])
            index = locate_canonical(canonical, target)[0] - 1 if target else 0
            after.setdefault(index, []).append(comment)
            continue
        below = next((n for n in node_line_numbers if n > line), None)
        if (
            node_line_numbers
            and line < node_line_numbers[0]
            and any(not source_lines[n].strip() for n in range(line + 1, node_line_numbers[0]))
        ):
            header.append(comment)  # a header, set apart by a blank line: it stays on top, apart
            continue
        if below is None:
            tail.append(comment)
            continue
        target = _new_path(old_data, new_data, nodes[below][0])
        index = locate_canonical(canonical, target)[0] - 1 if target else 0
        before.setdefault(index, []).append(comment)
    result = [*header, ""] if header else []
    for index, line in enumerate(out_lines):
        if index in before:
            pad = " " * (len(line) - len(line.lstrip(" ")))
            result.extend(pad + c for c in before[index])
        if index in after and line:
            line = line + "  " + " ".join(after[index])
        result.append(line)
    if tail:
        result[-1:-1] = tail  # the last element is the final newline's empty line
    return "\n".join(result)
