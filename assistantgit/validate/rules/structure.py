"""AG1xx: files that parse, hold the right shape, and belong in the tree."""

from __future__ import annotations

import os

from ...formats.fields import LIST, MAP, TEXT, fits, problems
from .._core import ERROR, WARNING, rule
from ._common import list_field

VALUE_TYPES = {"value": TEXT, "type": TEXT, "synonyms": LIST, "patterns": LIST, "metadata": MAP}
LIST_FILES = {"counterexamples", "webhooks"}


@rule("AG101", ERROR, "the file is not valid UTF-8 YAML")
def yaml_parses(tree):
    for source in tree.yaml_selected():
        rel = source.rel
        source.load()
        if source.error:
            line, column, problem = source.error
            yield rel, (), f"cannot read the file: {problem}", (line, column)


@rule("AG102", ERROR, "a file lacks the field that names its item, or holds the wrong kind of document")
def required_fields(tree):
    for source in tree.yaml_selected(known_only=True):
        rel = source.rel
        data = source.load()
        if source.error:
            continue
        if source.kind in LIST_FILES:
            if not isinstance(data, list):
                yield rel, (), f"a {rel} file must hold a list"
            continue
        if not isinstance(data, dict):
            yield rel, (), "the file must hold a mapping (key: value lines)"
            continue
        required: str | None
        if source.kind == "skill":
            required = "format"  # every root file names its format
        else:
            collection = tree.folders.get(source.kind)
            required = collection.id_field if collection else None
        if required and required not in data:
            yield rel, (), f"missing '{required}'"


@rule("AG103", ERROR, "a known field has the wrong type")
def field_types(tree):
    for source in tree.yaml_selected(known_only=True):
        rel = source.rel
        data = source.load()
        if not isinstance(data, dict):
            continue
        shape = tree.fmt.field_shapes.get(source.kind)
        # the types every command checks before use (formats/fields.py); push's read already did
        if shape is not None and source.fits is not shape:
            for key_path, message in problems(shape, data):
                yield rel, key_path, message
        if source.kind == "intents":
            yield from _examples(rel, data, ())
        elif source.kind == "actions" and isinstance(data.get("intent"), dict):
            yield from _examples(rel, data["intent"], ("intent",))
        elif source.kind == "entities" and isinstance(data.get("values"), list):
            for index, value in enumerate(data["values"]):
                if not isinstance(value, dict):
                    yield rel, ("values", index), "an entity value must be a mapping with 'value'"
                    continue
                if "value" not in value:
                    yield rel, ("values", index), "an entity value needs 'value'"
                if not fits(VALUE_TYPES, value):  # fits: problems would find nothing (nearly every value)
                    for key_path, message in problems(VALUE_TYPES, value, ("values", index)):
                        yield rel, key_path, message
                for key in ("synonyms", "patterns"):
                    items = list_field(value, key)  # not a list: VALUE_TYPES said so
                    if _all_texts(items):
                        continue
                    for position, item in enumerate(items):
                        if not isinstance(item, str):
                            yield rel, ("values", index, key, position), f"each of '{key}' must be text"
        elif source.kind in LIST_FILES and isinstance(data, list) and source.kind == "counterexamples":
            for index, item in enumerate(data):
                if not isinstance(item, str) and not (isinstance(item, dict) and isinstance(item.get("text"), str)):
                    yield rel, (index,), "a counterexample must be text"


def _all_texts(items: list) -> bool:
    """True when every item is a str (a subclass too, as isinstance says): str.join checks
    them in C, a tree's 40,000 synonyms on every push."""
    try:
        "".join(items)
    except TypeError:
        return False
    return True


def _examples(rel, intent, prefix):
    examples = intent.get("examples")
    if not isinstance(examples, list):
        return
    others = [example for example in examples if type(example) is not str]  # most are texts: passed in C
    if all(type(example) is dict and type(example.get("text")) is str for example in others):
        return  # every one fine: the loop below would say nothing
    for index, example in enumerate(examples):
        if not isinstance(example, str) and not (isinstance(example, dict) and isinstance(example.get("text"), str)):
            yield rel, (*prefix, "examples", index), "an example must be text (or a mapping with 'text')"


@rule("AG104", ERROR, "a file in a managed folder that the tool does not own")
def unknown_files(tree):
    for rel in tree.unknown:
        yield (
            rel,
            (),
            (
                f"unknown file in the managed folder '{rel.split('/', 1)[0]}/': push ignores it, so nothing in it "
                "reaches the assistant; move it out of the folder"
            ),
            (1, 1),
        )


@rule("AG105", ERROR, "two files define the same intent or entity")
def duplicate_items(tree):
    for kind, key in (("intents", "intent"), ("entities", "entity")):
        named = tree.of_kind(kind)
        index = getattr(tree, kind) if named else {}  # the tree's facts of a kind only when a file of it is named
        for source in named:
            data = tree.mapping(source)
            if data is None or not isinstance(data.get(key), str):
                continue
            holders = index.get(data[key], ())
            if len(holders) == 1 and holders[0][0] == source.rel:  # this file alone (nearly all: no sort each)
                continue
            others = sorted(r for r, _ in holders if r != source.rel)
            if others:
                yield source.rel, (key,), f"{key} '{data[key]}' is also defined in {', '.join(others)}"


@rule("AG106", ERROR, "content the tree's format does not read")
def foreign_content(tree):
    """`format: watson-actions` over a dialog tree made push write an upload without one of
    its 28 dialog nodes (issue 10): the paths another skill format owns, and this one does
    not, are reported on the root file's `format:`. Tree-wide, like AG601."""
    from ...formats import registry

    fmt = tree.fmt
    own = {spec.path for spec in fmt.managed()}
    siblings = [
        registry.load(entry)
        for entry in registry.FORMATS
        if entry.name != fmt.name and entry.root_file == fmt.root_file
    ]
    found = []
    for spec in sorted({spec.path: spec for other in siblings for spec in other.managed()}.values(), key=_path):
        if spec.path in own:
            continue
        target = tree.root / spec.path
        if spec.is_folder and target.is_dir():
            count = sum(len(names) for _folder, _dirs, names in os.walk(target))
            if count:
                found.append(f"{spec.path}/ ({count} file{'s' * (count != 1)})")
        elif not spec.is_folder and target.is_file():
            found.append(spec.path)
    if found and fmt.root_file in tree.files:
        yield (
            fmt.root_file,
            ("format",),
            f"this {fmt.name} tree also holds {', '.join(found)}, which a {fmt.name} skill does not have: "
            "push would leave them out; set `format:` back to the tree's format, or move them out of the tree",
        )


def _path(spec) -> str:
    return spec.path


@rule("AG107", WARNING, "a top-level key that looks like a misspelling of one the vendor knows")
def misspelled_keys(tree):
    from ...formats.watson.common import ENVELOPE_KEYS, WORKSPACE_KEYS

    for source in tree.of_kind("skill"):
        data = tree.mapping(source)
        if data is None or tree.fmt.root_file != "skill.yaml":
            continue
        for section, known in (("workspace", WORKSPACE_KEYS), ("envelope", ENVELOPE_KEYS)):
            keys = data.get(section)
            for key in keys if isinstance(keys, dict) else ():
                meant = _meant(key, known) if isinstance(key, str) and key not in known else None
                if meant:
                    yield (
                        source.rel,
                        (section, key),
                        f"'{key}' is not a key Watson Assistant knows: did you mean '{meant}'? As it is, it is "
                        "kept and sent unchanged, and the service ignores it",
                    )


def _meant(key: str, known) -> str | None:
    """The known key `key` is probably a misspelling of: same letters ignoring case, '_' and
    '-' (dialogNodes, dialog-nodes), or one typo away."""
    import difflib

    def squashed(text: str) -> str:
        return text.replace("_", "").replace("-", "").casefold()

    same = [k for k in sorted(known) if squashed(k) == squashed(key)]
    if same:
        return same[0]
    close = difflib.get_close_matches(key.casefold(), sorted(known), n=1, cutoff=0.85)
    return close[0] if close else None
