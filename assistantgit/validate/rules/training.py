"""AG5xx: training data a reviewer would reject. Examples compare the way the
classifier sees them: ignoring case and repeated spaces.

All are warnings: the service accepts every one of these (IBM's own samples hold the same
example in two intents), and validate must pass a tree pulled from a genuine export
(issue 10). A team that wants them as a gate says `error: [AG5]` in assistantgit.yaml.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .._core import WARNING, per_tree, rule
from .._scan import example_texts
from ._common import entity_docs, intent_docs, list_field, normalized

MIN_EXAMPLES = 5


@dataclass(frozen=True)
class _Examples:
    """The examples of one selected intent that are texts, with their places and keys."""

    source: object
    intent: dict
    prefix: tuple
    indexes: Sequence[int]  # each text's place in `examples`
    texts: list
    keys: list  # each text normalized (AG501 and AG502 compare these)


@per_tree
def _examples(tree) -> list:
    """The _Examples of each selected intent, the examples that are texts normalized together."""
    found = []
    for source, intent, prefix in intent_docs(tree):
        examples = list_field(intent, "examples")
        if all(type(example) is str for example in examples):  # most intents: no mentions, no odd item
            indexes: Sequence[int] = range(len(examples))
            texts = examples
        else:
            every = example_texts(intent)
            indexes = [index for index, text in enumerate(every) if isinstance(text, str)]
            texts = every if len(indexes) == len(every) else [every[index] for index in indexes]
        found.append(_Examples(source, intent, prefix, indexes, texts, tree.example_keys(source.rel, texts)))
    return found


@rule("AG501", WARNING, "the same example twice in one intent")
def duplicate_example(tree):
    for held in _examples(tree):
        if len(set(held.keys)) == len(held.keys):  # no key twice: nothing to report (most intents)
            continue
        first: dict = {}
        for index, text, key in zip(held.indexes, held.texts, held.keys):
            if key in first:
                yield (
                    held.source.rel,
                    (*held.prefix, "examples", index),
                    (f"example '{text}' is already example {first[key] + 1} of intent '{held.intent['intent']}'"),
                )
            else:
                first[key] = index


@per_tree
def _owners(tree) -> dict:
    """normalized example -> the intents that have it, for the selected intents' examples that
    two intents or more share.

    Runs over every example of the tree on each commit (and a whole-tree run wants every
    one), so the work is done in set operations on the keys the tree's facts
    hold (Tree.intents: normalized once per file); only the shared keys are walked one by one.
    """
    wanted = set().union(*(held.keys for held in _examples(tree)))
    if not wanted:
        return {}
    named: dict = {}  # intent name -> its wanted keys (a name defined in two files: both files')
    for name, places in tree.intents.items():
        for _rel, keys in places:
            found = wanted.intersection(keys)
            if name in named:
                named[name] |= found
            else:
                named[name] = found
    seen: set = set()
    shared: set = set()  # the keys of two intents or more, found in set operations (C), not counted key by key
    for keys in named.values():
        shared |= seen.intersection(keys)
        seen |= keys
    owners: dict = {}
    for name, keys in named.items():
        for key in shared.intersection(keys):
            owners.setdefault(key, set()).add(name)
    return owners


@rule("AG502", WARNING, "the same example in two intents")
def shared_example(tree):
    owners = _owners(tree)
    listed: dict = {}  # normalized example -> (its owners sorted, their position, their quoted names)
    for held in _examples(tree):
        if owners.keys().isdisjoint(held.keys):  # none of its examples is shared (most intents)
            continue
        own = held.intent["intent"]
        for index, text, key in zip(held.indexes, held.texts, held.keys):
            names = owners.get(key)
            if not names or (len(names) == 1 and own in names):
                continue
            known = listed.get(key)
            if known is None:  # a shared example is reported once per intent holding it: sort once
                ordered = sorted(names)
                known = listed[key] = ({name: at for at, name in enumerate(ordered)}, [repr(n) for n in ordered])
            position, quoted = known
            at = position.get(own)
            others = ", ".join(quoted if at is None else quoted[:at] + quoted[at + 1 :])
            yield (
                held.source.rel,
                (*held.prefix, "examples", index),
                (
                    f"example '{text}' is also an example of intent {others}: "
                    "the classifier cannot tell them apart; keep it in one intent"
                ),
            )


@rule("AG503", WARNING, "an intent with fewer than 5 examples")
def few_examples(tree):
    for source, intent, prefix in intent_docs(tree):
        examples = intent.get("examples") if isinstance(intent.get("examples"), list) else []
        if len(examples) < MIN_EXAMPLES:
            yield (
                source.rel,
                (*prefix, "examples" if "examples" in intent else "intent"),
                (
                    f"intent '{intent['intent']}' has {len(examples)} example{'s' * (len(examples) != 1)}; "
                    f"give it at least {MIN_EXAMPLES} so the classifier can learn it"
                ),
            )


@rule("AG504", WARNING, "the same value twice in one entity")
def duplicate_value(tree):
    for source, entity in entity_docs(tree):
        first: dict = {}
        for index, value in enumerate(list_field(entity, "values")):
            text = value.get("value") if isinstance(value, dict) else None
            if not isinstance(text, str):
                continue
            key = normalized(text)
            if key in first:
                yield (
                    source.rel,
                    ("values", index, "value"),
                    (f"value '{text}' is already value {first[key] + 1} of entity '{entity['entity']}'"),
                )
            else:
                first[key] = index


@rule("AG505", WARNING, "a synonym repeated within an entity")
def duplicate_synonym(tree):
    for source, entity in entity_docs(tree):
        values = list_field(entity, "values")
        owner = {
            normalized(v["value"]): f"value '{v['value']}'"
            for v in reversed(values)
            if isinstance(v, dict) and isinstance(v.get("value"), str)
        }
        for index, value in enumerate(values):
            if not isinstance(value, dict):
                continue
            synonyms = list_field(value, "synonyms")
            own = normalized(str(value.get("value"))) if synonyms else None  # once per value, not per synonym
            for position, synonym in enumerate(synonyms):
                if not isinstance(synonym, str):
                    continue
                key = normalized(synonym)
                if key == own:
                    continue  # a synonym equal to its own value: redundant, harmless
                if key in owner:
                    yield (
                        source.rel,
                        ("values", index, "synonyms", position),
                        (f"synonym '{synonym}' repeats {owner[key]} of entity '{entity['entity']}'"),
                    )
                else:
                    owner[key] = f"a synonym of value '{value.get('value')}'"
