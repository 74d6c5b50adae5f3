"""AG5xx: training data a reviewer would reject. Examples compare the way the
classifier sees them: ignoring case and repeated spaces.

All are warnings: the service accepts every one of these (IBM's own samples hold the same
example in two intents), and validate must pass a tree pulled from a genuine export
(issue 10). A team that wants them as a gate says `error: [AG5]` in assistantgit.yaml.
"""

from __future__ import annotations

from functools import lru_cache

from .._core import WARNING, rule
from ._common import entity_docs, intent_docs, list_field, normalized

MIN_EXAMPLES = 5


def _example_text(example):
    return example.get("text") if isinstance(example, dict) else example


@lru_cache(maxsize=8)
def _examples(tree) -> list:
    """(source, intent, prefix, [(index, text, normalized text)]) of each selected intent,
    the examples that are texts normalized together (AG501 and AG502 compare them)."""
    found = []
    for source, intent, prefix in intent_docs(tree):
        texts = [(index, _example_text(e)) for index, e in enumerate(list_field(intent, "examples"))]
        texts = [(index, text) for index, text in texts if isinstance(text, str)]
        keys = tree.example_keys(source.rel, [text for _, text in texts])
        found.append((source, intent, prefix, [(index, text, key) for (index, text), key in zip(texts, keys)]))
    return found


@rule("AG501", WARNING, "the same example twice in one intent")
def duplicate_example(tree):
    for source, intent, prefix, examples in _examples(tree):
        first: dict = {}
        for index, text, key in examples:
            if key in first:
                yield (
                    source.rel,
                    (*prefix, "examples", index),
                    (f"example '{text}' is already example {first[key] + 1} of intent '{intent['intent']}'"),
                )
            else:
                first[key] = index


@lru_cache(maxsize=8)
def _owners(tree) -> dict:
    """normalized example -> intents that have it, for the examples of the selected intents.

    Runs over every example of the tree on each commit, so the work is done in set
    operations on the keys the tree's facts hold (Tree.intents: normalized once per file).
    """
    wanted = {key for _s, _i, _p, examples in _examples(tree) for _index, _text, key in examples}
    owners: dict = {}
    if not wanted:
        return owners
    for name, places in tree.intents.items():
        for _rel, keys in places:
            for key in wanted.intersection(keys):
                owners.setdefault(key, set()).add(name)
    return owners


@rule("AG502", WARNING, "the same example in two intents")
def shared_example(tree):
    owners = _owners(tree)
    listed: dict = {}  # normalized example -> (its owners sorted, their position, their quoted names)
    for source, intent, prefix, examples in _examples(tree):
        own = intent["intent"]
        for index, text, key in examples:
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
                source.rel,
                (*prefix, "examples", index),
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
            for position, synonym in enumerate(list_field(value, "synonyms")):
                if not isinstance(synonym, str):
                    continue
                key = normalized(synonym)
                if key == normalized(str(value.get("value"))):
                    continue  # a synonym equal to its own value: redundant, harmless
                if key in owner:
                    yield (
                        source.rel,
                        ("values", index, "synonyms", position),
                        (f"synonym '{synonym}' repeats {owner[key]} of entity '{entity['entity']}'"),
                    )
                else:
                    owner[key] = f"a synonym of value '{value.get('value')}'"
