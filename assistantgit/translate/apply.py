"""Writing translations into a copy of the source tree's files.

Everything that is not a translatable string is copied from the source: the target
language's tree keeps the source's items, ids, conditions, context and order. A string
without a translation keeps its source text. Sets of texts are tidied the way pull
writes them: sorted, and two members that translate alike merged into one (the vendor
refuses an intent with the same example twice).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from ..formats.collection import sort_items
from .outputs import concat_parts
from .placeholders import mismatch
from .units import CONCAT, EXAMPLE, MEMBER, VALUE, Location, items, skill_parts


@dataclass
class Problem:
    """A translation whose placeholders differ from its source's (rules AG901, AG902)."""

    rel: str  # the target tree's file
    path: tuple  # where the translation sits in it
    rule: str
    message: str


@dataclass
class Applied:
    files: dict  # the target tree: relative path -> data
    translated: list = field(default_factory=list)  # locations given a translation
    untranslated: list = field(default_factory=list)  # locations left in the source language
    problems: list = field(default_factory=list)
    merged: int = 0  # set members that merged with another translation
    dropped_mentions: int = 0  # entity annotations whose words the translation lacks


def placeholder_problems(location: Location, translation: str) -> list[tuple[str, str]]:
    """(rule, message) for each placeholder the translation loses or adds."""
    missing, extra = mismatch(location.text, translation)
    found = [
        ("AG901", f"the translation lacks {p} of the source text ({location.key})") for p in dict.fromkeys(missing)
    ]
    found += [
        ("AG902", f"the translation has {p}, which the source text does not ({location.key})")
        for p in dict.fromkeys(extra)
    ]
    return found


def set_places(found: list[Location]) -> dict:
    """group -> (file, path of the list) of each set of texts: examples, synonyms, counterexamples."""
    places = {}
    for location in found:
        if location.how in (MEMBER, EXAMPLE):
            places[location.group] = (location.rel, tuple(location.path[:-1]))
        elif location.how == VALUE:
            places[location.group] = (location.rel, tuple(location.path) + ("synonyms",))
    return places


def apply(
    files: dict,
    found: list[Location],
    translate: Callable[[Location], str | None],
    language: str,
    paths: dict | None = None,
    extras: dict | None = None,
) -> Applied:
    """The target tree's files: `files` with each location's translation (None: keep the source text).

    `paths` (item -> relative path) keeps the file names an existing target tree gives its items;
    `extras` (group -> texts) are members a set has only in the target language (an example
    a French reviewer added): they stay.
    """
    data = json.loads(json.dumps(files, ensure_ascii=False))
    result = Applied({})
    done: list[tuple[Location, str]] = []
    sets: dict = {}
    order = {VALUE: 1, MEMBER: 2, EXAMPLE: 2}
    for location in sorted(found, key=lambda loc: order.get(loc.how, 0)):
        translation = translate(location)
        if translation is None:
            result.untranslated.append(location)
            continue
        result.translated.append(location)
        if translation == location.text:
            continue
        *head, last = location.path
        holder = _holder(data[location.rel], head)
        if location.how == CONCAT:
            holder[last] = dict(holder[last], concat=concat_parts(holder[last]["concat"], translation))
        elif location.how == VALUE:
            synonyms = holder[last].setdefault("synonyms", [])
            if translation not in synonyms:
                synonyms.append(translation)
            sets[(location.rel, tuple(location.path) + ("synonyms",))] = "synonym"
        elif location.how == EXAMPLE:
            holder[last], lost = _relocate(holder[last], location.text, translation)
            result.dropped_mentions += lost
        else:
            holder[last] = translation
        if location.how in (MEMBER, EXAMPLE):
            sets[(location.rel, tuple(head))] = "synonym" if head and head[-1] == "synonyms" else "text"
        done.append((location, translation))
    places = set_places(found)
    for group, texts in (extras or {}).items():
        if group not in places:
            continue
        rel, head = places[group]
        holder = _holder(data[rel], head[:-1]) if head else None
        container = holder.setdefault(head[-1], []) if isinstance(holder, dict) else _holder(data[rel], head)
        container.extend(text for text in texts if text not in container)
        sets[(rel, head)] = "synonym" if head and head[-1] == "synonyms" else "text"
    for (rel, head), kind in sets.items():
        container = _holder(data[rel], head)
        tidy = _tidy(container, kind)
        result.merged += len(container) - len(tidy)
        container[:] = tidy
    _set_language(data, language)
    where = items(data)
    renamed = {rel: paths.get(item, rel) for item, rel in where.items()} if paths else {}
    result.files = {renamed.get(rel, rel): content for rel, content in data.items()}
    for location, translation in done:
        for rule, message in placeholder_problems(location, translation):
            result.problems.append(
                Problem(
                    renamed.get(location.rel, location.rel),
                    _target_path(data[location.rel], location, translation),
                    rule,
                    message,
                )
            )
    return result


def _holder(data, steps):
    for step in steps:
        data = data[step]
    return data


def _tidy(members: list, kind: str) -> list:
    """A set of texts as pull writes it: each once, sorted."""
    seen, kept = set(), []
    for member in members:
        text = member.get("text") if isinstance(member, dict) else member
        if text in seen:
            continue
        seen.add(text)
        kept.append(member)
    return sorted(kept, key=str) if kind == "synonym" else sort_items(kept, "text")


def _relocate(example: dict, text: str, translation: str) -> tuple[dict, int]:
    """An annotated example with its translated text; each mention moves to where its words are
    in the translation, or is dropped when the translation does not have them."""
    mentions, lost = [], 0
    for mention in example.get("mentions") or []:
        location = mention.get("location") if isinstance(mention, dict) else None
        if isinstance(location, list) and len(location) == 2 and all(isinstance(n, int) for n in location):
            words = text[location[0] : location[1]]
            at = translation.find(words) if words else -1
            if at >= 0:
                mentions.append(dict(mention, location=[at, at + len(words)]))
                continue
        lost += 1
    result = dict(example, text=translation)
    if "mentions" in example:
        result["mentions"] = mentions
        if not mentions:
            del result["mentions"]
    return result, lost


def _set_language(data: dict, language: str) -> None:
    for prefix in skill_parts(data):
        settings = data.get(f"{prefix}skill.yaml")
        if not isinstance(settings, dict):
            continue
        parts = [settings[p] for p in ("envelope", "workspace") if isinstance(settings.get(p), dict)]
        holders = [part for part in parts if "language" in part] or parts[:1]
        for holder in holders:
            holder["language"] = language


def _target_path(data, location: Location, translation: str) -> tuple:
    """Where a translation sits in the target file (a set member moved when its set was sorted)."""
    if location.how not in (MEMBER, EXAMPLE):
        return tuple(location.path)
    *head, _ = location.path
    container = _holder(data, head)
    for index, member in enumerate(container):
        if (member.get("text") if isinstance(member, dict) else member) == translation:
            return tuple(head) + (index,) + (("text",) if isinstance(member, dict) else ())
    return tuple(head)
