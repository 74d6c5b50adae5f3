"""AG9xx: a translated tree against its source tree, found through the translation record
that `assistantgit translate import` keeps beside it (docs/translation.md). A tree without
a record has no source to compare with: these rules say nothing about it."""

from __future__ import annotations

from .._core import ERROR, per_tree, rule


@per_tree
def _findings(tree) -> tuple:
    from ...translate.check import tree_problems

    rels = [source.rel for source in tree.yaml_selected(known_only=True)]
    return tuple(tree_problems(tree.root, rels, lambda rel: tree.files[rel].load()))


@rule("AG901", ERROR, "a translation lacks a placeholder of its source text")
def lost_placeholder(tree):
    for rel, path, rule_id, message in _findings(tree):
        if rule_id == "AG901":
            yield rel, path, message


@rule("AG902", ERROR, "a translation has a placeholder its source text does not have")
def added_placeholder(tree):
    for rel, path, rule_id, message in _findings(tree):
        if rule_id == "AG902":
            yield rel, path, message
