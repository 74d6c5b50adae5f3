"""formats.collection: the order pull gives a set-like array."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from assistantgit.canonical import canonical_json
from assistantgit.formats.collection import sort_expanded, sort_items
from testing.profile import examples

words = st.text(alphabet=st.sampled_from("aAbé 🙂\u0000"), max_size=4)
items = st.lists(st.one_of(words, st.fixed_dictionaries({"text": words}, optional={"x": st.integers(0, 2)})))


@settings(max_examples=examples(400), deadline=None)
@given(st.one_of(st.lists(words), items))
def test_sort_items_is_the_order_of_natural_key_then_content(values):
    """The definition; a list of texts only is sorted in one plain sort (issue 14)."""

    def key(item):
        if isinstance(item, str):
            return (item, "")
        return (str(item.get("text", "")), canonical_json(item))

    assert sort_items(values, "text") == sorted(values, key=key)


@settings(max_examples=examples(400), deadline=None)
@given(items)
def test_sort_expanded_is_sort_items_of_the_texts_made_mappings(values):
    """An intent's examples from the source: each text t as {"text": t}, ties (a text beside
    a mapping of the same text) broken by content as sort_items breaks them."""
    expanded = [{"text": item} if isinstance(item, str) else item for item in values]
    assert sort_expanded(values, "text") == sort_items(expanded, "text")


# -- assemble: ids checked all at once, or file by file when anything is wrong ---------------------

_idents = st.one_of(st.sampled_from(["a", "b", "B", "é", ""]), st.none(), st.integers(0, 1), st.just(["a"]))
_item_files = st.one_of(
    st.builds(
        lambda ident, examples: {"intent": ident, "examples": examples}, _idents, st.lists(st.sampled_from("zyx"))
    ),
    st.builds(lambda examples: {"examples": examples}, st.lists(st.sampled_from("zyx"))),  # no id
    st.sampled_from([["a list"], "a text", None]),
)
_trees = st.dictionaries(
    st.sampled_from([f"intents/{name}.yaml" for name in ("a", "b", "c", "d", "e")] + ["skill.yaml", "entities/a.yaml"]),
    _item_files,
)


def _assembled(assemble):
    from assistantgit.errors import InputError
    from assistantgit.uploadstream import Unconverted

    try:
        items = assemble()
    except InputError as error:
        return str(error)
    return [item.converted() if type(item) is Unconverted else item for item in items]


@settings(max_examples=examples(1500), deadline=None)
@given(_trees, st.booleans())
@example({"intents/a.yaml": {"intent": "a"}, "intents/b.yaml": {"intent": "a", "examples": ["z"]}}, True)
@example({"intents/a.yaml": {"intent": "a"}, "intents/b.yaml": {"intent": ""}}, False)
@example({"intents/b.yaml": {"intent": "b", "examples": ["z", "y"]}, "intents/a.yaml": {"intent": "c"}}, False)
def test_assemble_is_the_file_by_file_check_or_its_refusal(files, when_written):
    """The same items in the same order, or the same first refusal, as checking each file in
    turn; items converted (or left to convert when written) either way."""
    from assistantgit.formats.collection import CONVERT_WHEN_WRITTEN
    from assistantgit.formats.watson.common import INTENTS

    paths = sorted(path for path in files if path.startswith("intents/"))
    token = CONVERT_WHEN_WRITTEN.set(when_written)
    try:
        assert _assembled(lambda: INTENTS.assemble(files)) == _assembled(
            lambda: INTENTS._assemble_checked(files, paths)
        )
    finally:
        CONVERT_WHEN_WRITTEN.reset(token)
