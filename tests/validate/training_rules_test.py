"""AG210, AG501 and AG502 check a tree's 110,000 examples on every commit, so they work on
whole lists (a list with nothing to report is passed in one go) and on the examples' keys
the fact cache keeps. These tests compare them with the rules written plainly, item by item,
on generated intents: the same findings, whole tree or named files, cache cold or warm."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistantgit import canonical
from assistantgit.validate import validate
from assistantgit.validate.rules import names
from assistantgit.validate.rules._common import normalized
from testing.parsing import age_one_tick
from testing.paths import SAMPLE_REPO
from testing.profile import examples

words = st.sampled_from(["hello", "Hello", "HELLO ", "hello  there", "bye", "Straße", "STRASSE", "ΣΑ", "σα"])
blanks = st.sampled_from(["", " ", "\u3000", "a\tb", "x\ny", "\r", " ok "])
items = st.one_of(words, blanks, st.none(), st.integers(-2, 2), st.booleans(), st.just({"text": 5}))


def _plain_ag210(texts) -> list:
    """AG210 item by item, as it was written before the batch check."""
    found = []
    for text in texts:
        if not isinstance(text, str):
            continue
        if not text.strip():
            found.append("blank")
        elif names._BAD_TEXT.search(text):
            found.append("bad")
    return found


@settings(max_examples=examples(1500), deadline=None)
@given(st.lists(items, max_size=6))
def test_a_list_passed_in_one_go_has_nothing_to_report(texts):
    clean = names._all_clean(texts)
    assert not (clean and _plain_ag210(texts))
    if all(type(text) is str for text in texts):
        assert clean == (not _plain_ag210(texts))


example = st.one_of(words, words.map(lambda text: {"text": text, "mentions": []}), st.integers(0, 1))
intent_files = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c"]), st.lists(example, max_size=5)), min_size=1, max_size=5
)


def _expected(files: list, named: list) -> set:
    """AG501 and AG502 written plainly: (file, rule, message) for the named files."""
    keys_of = {}
    for _stem, (name, exs) in files:
        keys_of.setdefault(name, set()).update(normalized(e) for e in (_text(x) for x in exs) if e is not None)
    found = set()
    for stem, (name, exs) in files:
        if stem not in named:
            continue
        first: dict = {}
        for index, text in enumerate(_text(x) for x in exs):
            if not isinstance(text, str):
                continue
            key = normalized(text)
            if key in first:
                message = f"example '{text}' is already example {first[key] + 1} of intent '{name}'"
                found.add((stem, "AG501", message))
            else:
                first[key] = index
            others = sorted(other for other, keys in keys_of.items() if other != name and key in keys)
            if others:
                message = (
                    f"example '{text}' is also an example of intent {', '.join(repr(o) for o in others)}: "
                    "the classifier cannot tell them apart; keep it in one intent"
                )
                found.add((stem, "AG502", message))
    return found


def _text(item):
    return item.get("text") if isinstance(item, dict) else item


# 100 trees, each validated cold and warm by both versions: 300 took 39 s of CI (the longest test).
@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intent_files, st.data())
def test_ag501_and_ag502_find_what_the_plain_rules_find(tmp_path, monkeypatch, specs, data):
    with tempfile.TemporaryDirectory(dir=tmp_path) as work:
        monkeypatch.setenv("XDG_CACHE_HOME", str(Path(work) / "cache"))
        root = Path(work) / "skill"
        shutil.copytree(SAMPLE_REPO / "dialog-skill", root)
        shutil.rmtree(root / "intents")
        (root / "intents").mkdir()
        files = [(f"f{index}", spec) for index, spec in enumerate(specs)]
        for stem, (name, exs) in files:
            text = canonical.dumps({"intent": name, "examples": exs})
            (root / "intents" / f"{stem}.yaml").write_text(text, encoding="utf-8")
        age_one_tick()
        named = data.draw(st.lists(st.sampled_from([stem for stem, _ in files]), unique=True, max_size=2))
        paths = [root / "intents" / f"{stem}.yaml" for stem in named]
        for _run in ("cold", "warm"):
            found = {
                (Path(f.path).stem, f.rule, f.message)
                for f in validate(paths, root)
                if f.rule in ("AG501", "AG502") and Path(f.path).parent.name == "intents"
            }
            assert found == _expected(files, named or [stem for stem, _ in files])
            age_one_tick()


def _plain_ag505(entity: dict) -> list:
    """AG505 as first written: each synonym compared with its own value's key anew."""
    values = entity["values"]
    owner = {
        normalized(v["value"]): f"value '{v['value']}'" for v in reversed(values) if isinstance(v.get("value"), str)
    }
    found = []
    for index, value in enumerate(values):
        for position, synonym in enumerate(value.get("synonyms") or []):
            if not isinstance(synonym, str):
                continue
            key = normalized(synonym)
            if key == normalized(str(value.get("value"))):
                continue
            if key in owner:
                found.append((("values", index, "synonyms", position), f"synonym '{synonym}' repeats {owner[key]}"))
            else:
                owner[key] = f"a synonym of value '{value.get('value')}'"
    return found


value_texts = st.one_of(words, st.none(), st.integers(0, 1))


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(st.fixed_dictionaries({"value": value_texts, "synonyms": st.lists(value_texts, max_size=4)}), max_size=5)
)
def test_ag505_finds_what_the_plain_rule_finds(values):
    """AG505 computes a value's own key once for all its synonyms: the same findings."""
    from types import SimpleNamespace

    from assistantgit.validate.rules import training

    entity = {"entity": "e", "values": values}
    source = SimpleNamespace(rel="entities/e.yaml")
    tree = SimpleNamespace(of_kind=lambda kind: [source] if kind == "entities" else [], mapping=lambda s: entity)
    found = [(path, message.split(" of entity ")[0]) for _rel, path, message in training.duplicate_synonym(tree)]
    assert found == _plain_ag505(entity)


class _Mapping(dict):
    """A dict of another type (ruamel.yaml reads a mapping as one): taken the slow way."""


class _Text(str):
    """A str of another type: taken the slow way."""


any_item = st.one_of(
    items,
    words.map(_Text),
    words.map(lambda text: {"text": text}),
    words.map(lambda text: _Mapping(text=text)),
    st.just({}),
)


@settings(max_examples=examples(1000), deadline=None)
@given(st.lists(any_item, max_size=6))
def test_example_texts_are_text_of_each(texts):
    assert names._example_texts(texts) == [names._text_of(item) for item in texts]
