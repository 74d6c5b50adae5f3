"""AG95x: conversation test files (conversations/**/*.yaml in a source tree, docs/testing.md).

Errors are what `assistantgit test` refuses (it stops with exit 2 before sending
anything); warnings name an intent, entity, dialog node or action the skill does not
have, which would make the test fail. Only the file format is imported here: no runner,
no SDK.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from ...conversations.model import DUPLICATE, SHAPE, VALUE, read_suite
from .._core import ERROR, WARNING, rule

_PARSED: WeakKeyDictionary = WeakKeyDictionary()


def suites(tree) -> list:
    """(rel, SuiteFile) of the tree's selected conversation files, parsed once per validation."""
    held = _PARSED.get(tree)
    if held is None:
        held = [(rel, read_suite(tree.root / rel, rel)) for rel in tree.conversations]
        _PARSED[tree] = held
    return held


@rule("AG951", ERROR, "a conversation test file that is not valid UTF-8 YAML")
def unreadable(tree):
    for rel, suite in suites(tree):
        if suite.error:
            line, column, message = suite.error
            yield rel, (), message, (line, column)


def _problems(tree, wanted: str):
    for rel, suite in suites(tree):
        for problem in suite.problems:
            if problem.rule == wanted:
                yield rel, (), problem.message, suite.locate(problem.path)


@rule(SHAPE, ERROR, "a conversation test file of the wrong shape: unknown key, missing field, wrong type")
def wrong_shape(tree):
    yield from _problems(tree, SHAPE)


@rule(VALUE, ERROR, "a conversation test value the service or the runner refuses")
def bad_value(tree):
    yield from _problems(tree, VALUE)


@rule(DUPLICATE, ERROR, "two conversations with the same name in one file")
def duplicate_name(tree):
    yield from _problems(tree, DUPLICATE)


def _expectations(tree, key: str):
    for rel, suite in suites(tree):
        for conversation in suite.conversations:
            for turn in conversation.turns:
                for expectation in turn.expectations:
                    if expectation.key == key:
                        yield rel, suite, expectation


def _skill_trees(tree) -> list:
    """The trees whose names the tests may use: the tree, both parts of a tree of parts (the
    published-version ZIP), none for a format that checks only its own structure (Avaamo)."""
    from ...formats.base import CheckedFormat, PartedFormat

    if isinstance(tree.fmt, PartedFormat):
        from ...tree.source import open_tree
        from .._tree import Tree

        return [Tree.of(open_tree([], tree.root / part)) for part in tree.fmt.parts if (tree.root / part).is_dir()]
    return [] if isinstance(tree.fmt, CheckedFormat) else [tree]


@rule("AG955", WARNING, "a conversation test expects an intent the skill does not define")
def unknown_intent(tree):
    trees = _skill_trees(tree) if tree.conversations else []
    if any(t.incomplete("intents", "actions") for t in trees):
        return  # an unreadable intents file may define it: AG101 reports that file, not its follow-ons
    known = {name for t in trees for name in t.intents}
    for rel, suite, expectation in _expectations(tree, "intent") if trees else ():
        if expectation.value not in known:
            yield rel, (), f"intent #{expectation.value} is not defined in the skill", suite.locate(expectation.path)


@rule("AG956", WARNING, "a conversation test expects an entity or entity value the skill does not define")
def unknown_entity(tree):
    trees = _skill_trees(tree) if tree.conversations else []
    if any(t.incomplete("entities") for t in trees):
        return  # as AG955: no follow-on of an unreadable file
    values: dict = {}
    for t in trees:
        for name, found in t.entities.items():
            for _, held in found:
                values.setdefault(name, set()).update(held)
    for rel, suite, expectation in _expectations(tree, "entities") if trees else ():
        for name, value in expectation.value:
            if name.startswith("sys-"):
                continue  # system entities have no values file
            if name not in values:
                yield rel, (), f"entity @{name} is not defined in the skill", suite.locate(expectation.path)
            elif value is not None and value not in values[name]:
                yield rel, (), f"entity @{name} has no value {value!r}", suite.locate(expectation.path)


@rule("AG957", WARNING, "a conversation test expects a dialog node or action the skill does not have")
def unknown_node_or_action(tree):
    trees = _skill_trees(tree) if tree.conversations else []
    if not trees or any(t.incomplete("dialog_nodes", "actions") for t in trees):
        return  # as AG955: no follow-on of an unreadable file
    nodes = {facts.ident for t in trees for facts in t.nodes}
    actions = {ident for t in trees for ident in t.actions}
    titles: dict = {}
    for key, ids, kind in (("node", nodes, "dialog_nodes"), ("action", actions, "actions")):
        for rel, suite, expectation in _expectations(tree, key):
            if expectation.value in ids:
                continue
            if kind not in titles:  # titles are read only when a test names something by title
                titles[kind] = {
                    str(data.get("title"))
                    for t in trees
                    for source in t.of_kind(kind, False)
                    if isinstance(data := t.mapping(source), dict) and data.get("title")
                }
            if expectation.value not in titles[kind]:
                what = "dialog node" if key == "node" else "action"
                yield rel, (), f"no {what} has the id or title {expectation.value!r}", suite.locate(expectation.path)


@rule("AG958", ERROR, "a conversation test file not in canonical form (what `assistantgit fmt --check` reports)")
def not_canonical(tree):
    from ...canonical import format_text
    from ...errors import InputError
    from ...tree import display_path
    from .form import first_difference

    for rel, suite in suites(tree):
        if suite.error or suite.canonical:
            continue
        try:
            wanted = format_text(suite.text, lambda data: data, rel, suite.data, False)
        except InputError:
            continue
        if wanted != suite.text:
            line = first_difference(suite.text, wanted)
            yield (
                rel,
                (),
                (
                    f"not in canonical form (first difference on line {line}); run: assistantgit fmt "
                    f"{display_path(tree.root / rel)}"
                ),
                (line, 1),
            )
