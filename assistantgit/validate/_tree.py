"""The tree a validation looks at: its files, which of them to report on, and the
cross-file facts (names, examples, node links) that rules resolve references against.

A pre-commit run names a few files of a tree that may hold thousands. Those files are
parsed fully; every other file is only scanned for the few facts rules need (an
intent's name and examples, an entity's values, a node's links), line by line, which
is exact for canonical text and ten times faster than parsing (see _scan), and kept
in a cache between runs (see _cache). A file the scan does not recognise as canonical
is parsed instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property

from ..tree.fastread import read_canonical
from ..tree.source import SourceFile, SourceTree
from ._cache import FactCache, ParseCache, keep_data, kept_data
from ._scan import (
    NodeFacts,
    example_keys,
    facts_from_data,
    freeze,
    node_facts,
    scan_action_id,
    scan_action_intent,
    scan_entity,
    scan_intent,
    scan_node,
    thaw,
    well_formed,
)

# The facts of a file that does not parse (cached like other facts while the file is unchanged).
UNREADABLE = ("unreadable",)
# Which cross-file facts read the files of a kind.
_FACTS_OF = {"intents": "intents", "entities": "entities", "actions": "actions", "dialog_nodes": "nodes"}
# The facts that hold a file's examples as AG502 compares them (_scan.example_keys), not as
# written: a run on named files then normalizes only the examples of files that changed.
_KEYED = ("intents", "actions")


@dataclass(eq=False)
class Tree(SourceTree):
    """An opened tree with the cross-file facts rules resolve references against."""

    conversations: list = field(default_factory=list)  # rels of the conversation test files to check (AG9xx)
    # No rule of this run compares examples (push's refusals): the facts of intents hold none,
    # neither normalized into keys (a 100 MB skill: ~110 MB) nor as texts (~9 MB of lists).
    examples_uncompared: bool = False
    # rule id -> what its `prepare` started before the rules ran (_core.run_rules closes it)
    prepared: dict = field(default_factory=dict)

    @classmethod
    def of(cls, opened: SourceTree) -> Tree:
        return cls(**{f.name: getattr(opened, f.name) for f in fields(SourceTree)})

    def of_kind(self, kind: str, selected_only: bool = True) -> list[SourceFile]:
        """As SourceTree.of_kind, from an index made once: rules ask about 40 times per run."""
        return list(self._by_kind(selected_only).get(kind, ()))

    def _by_kind(self, selected_only: bool) -> dict:
        index = self._kinds.get(selected_only)
        if index is None and not selected_only and self.whole:
            # a whole-tree run selects every file, sorted (open_tree): one index for both (a push's 17,000)
            index = self._kinds[False] = self._by_kind(True)
        if index is None:
            index = self._kinds[selected_only] = {}
            for source in map(self.files.get, self.selected if selected_only else sorted(self.files)):
                if source is not None:
                    index.setdefault(source.kind, []).append(source)
        return index

    @cached_property
    def _kinds(self) -> dict:
        return {}

    def yaml_selected(self, known_only: bool = False) -> list[SourceFile]:
        """As SourceTree.yaml_selected, made once per run: AG101, AG102, AG103 and AG701 each
        ask (17,000 files on a push)."""
        found = self._yaml_selected.get(known_only)
        if found is None and known_only:  # the known kinds of the YAML files: one pass over those
            found = self._yaml_selected[True] = [s for s in self.yaml_selected() if s.kind != "other"]
        elif found is None:  # (SourceTree.yaml_selected, each file looked up once)
            selected = map(self.files.__getitem__, self.selected)
            found = self._yaml_selected[False] = [s for s in selected if s.kind != "bytes"]
        return list(found)

    @cached_property
    def _yaml_selected(self) -> dict:
        return {}

    # -- cross-file facts -------------------------------------------------------------
    @cached_property
    def cache(self) -> FactCache | None:
        """The small per-file facts of earlier runs: the items' JSON sizes (AG601; measuring them
        is most of a second on 10 MB) and which files are canonical (AG701, fmt). A whole-tree
        run parses every file and takes only these."""
        return FactCache(str(self.root), stamps=self._stamps)

    @cached_property
    def facts_cache(self) -> FactCache:
        """The cross-file facts (names, example keys, node links) a run on named files takes
        for the other files. Its own cache file (5 MB for a 10 MB tree): a whole-tree run and
        fmt never load it."""
        return FactCache(str(self.root), "facts", self._stamps)

    @cached_property
    def parsed_cache(self) -> ParseCache:
        """The data of files whose canonical text a whole-tree run parsed, kept while they are
        unchanged: parsing is half of validating a whole 10 MB tree, loading its data a tenth.
        Its own cache file, so a run on named files (a commit hook) never loads it."""
        return ParseCache(str(self.root), self._stamps)

    @cached_property
    def _stamps(self) -> dict:
        """rel -> the file's stamp (size, times, inode), taken once per run for every cache."""
        return {}

    def preload_parsed(self) -> None:
        """Give every unchanged file the data a previous run parsed from its canonical text,
        and the other canonical files theirs, parsed in two processes where that helps
        (tree/fastread.py: a CI job's fresh checkout); the rest are parsed when a rule asks."""
        cache = self.parsed_cache
        todo = []
        for source in self.files.values():
            if source.kind == "bytes" or source.parsed:
                continue
            kept = kept_data(cache, source)  # (takes the file's stamp first: a change from now on shows in it)
            if kept is not None:
                source.preload(kept[0])
                source.canonical = True  # only data parsed from canonical text is kept
            else:
                todo.append(source)
        done = read_canonical([source.path for source in todo], texts=True)
        for source in todo:
            read = done.get(source.path)
            if read is not None:
                source.read_fast(*read)

    def keep_parsed(self) -> None:
        """Keep the data of the files parsed from canonical text in this run for the next."""
        cache = self.parsed_cache
        for source in self.files.values():
            if source.parsed and source.canonical and source.error is None and cache.known(source, "data") is None:
                keep_data(cache, source, source.data)
        cache.save(set(self.files))

    @cached_property
    def _chosen(self) -> set:
        return set(self.selected)

    def _compute(self, source: SourceFile, key: str, scan):
        uncompared = self.examples_uncompared and self.whole  # (a run on named files keeps keys in the fact cache)
        facts = None
        if not source.parsed and source.text is not None:
            facts = scan(source.text)
        if facts is None:
            data = source.load()
            if source.error is not None:
                return UNREADABLE
            facts = facts_from_data(key, data, not uncompared) if isinstance(data, dict) else None
        if key in _KEYED and facts is not None:
            name, texts = facts
            facts = (name, ()) if uncompared else (name, self.example_keys(source.rel, texts))
        return facts

    def example_keys(self, rel: str, texts: list) -> list:
        """_scan.example_keys of a file's example texts, made once per run: AG501 compares the
        named files' examples, AG502 every file's."""
        held = self._example_keys.get(rel)
        if held is not None and held[0] == texts:
            return held[1]
        keys = example_keys(texts)
        self._example_keys[rel] = (texts, keys)
        return keys

    @cached_property
    def _example_keys(self) -> dict:
        return {}

    def _facts(self, kind: str, scan, key: str | None = None):
        """(source, facts) of every file of a kind: named files parsed, the others scanned or cached."""
        key = key or kind
        for source in self.of_kind(kind, selected_only=False):
            if self.whole or source.rel in self._chosen:
                source.load()
                facts = self._compute(source, key, scan)
            else:
                cache = self.facts_cache
                held = cache.held(source, key)
                if held is None:  # computed here: kept frozen, used as computed (a cold run: 110,000 examples)
                    facts = self._compute(source, key, scan)
                    cache.put(source, key, freeze(facts))
                else:
                    facts = thaw(held[0])
                    if facts != UNREADABLE and not well_formed(key, facts):  # a damaged cache entry: computed again
                        cache.forget(source, key)
                        facts = self._compute(source, key, scan)
            if facts == UNREADABLE:
                self._unreadable.add(kind)
            elif facts is not None:
                yield source, facts

    @cached_property
    def _unreadable(self) -> set:
        return set()

    def incomplete(self, *kinds: str) -> bool:
        """Whether a file of these kinds could not be read: what it defines is unknown, so a
        reference to a missing name may well be to it (AG101 already reports the file)."""
        for kind in kinds:  # the facts are gathered once, noting the files that do not parse
            getattr(self, _FACTS_OF[kind])
        return bool(self._unreadable.intersection(kinds))

    @cached_property
    def intents(self) -> dict:
        """intent name -> [(rel, [its examples' keys])]; inline intents of actions included."""
        found: dict = {}
        for source, (name, examples) in self._facts("intents", scan_intent):
            found.setdefault(name, []).append((source.rel, examples))
        for source, (name, examples) in self._facts("actions", scan_action_intent):
            if name is not None:
                found.setdefault(name, []).append((source.rel, examples))
        return found

    @cached_property
    def entities(self) -> dict:
        """entity name -> [(rel, set of its values)]."""
        found: dict = {}
        for source, (name, values) in self._facts("entities", scan_entity):
            found.setdefault(name, []).append((source.rel, values))
        return found

    @cached_property
    def actions(self) -> dict:
        """action id -> [rel]."""
        found: dict = {}
        for source, ident in self._facts("actions", scan_action_id, "action_id"):
            found.setdefault(ident, []).append(source.rel)
        return found

    @cached_property
    def nodes(self) -> list[NodeFacts]:
        if self.whole:
            return self._nodes_of_parsed()
        found = []
        for source, facts in self._facts("dialog_nodes", scan_node):
            facts.rel = source.rel
            found.append(facts)
        return found

    def _nodes_of_parsed(self) -> list[NodeFacts]:
        """`nodes` of a whole-tree run, as _facts gives them there: each file parsed (a push
        preloaded them all), its facts read from its data; written out, without _facts'
        generator and calls per node (a push reads 13,500)."""
        found = []
        for source in self.of_kind("dialog_nodes", selected_only=False):
            data = source.load()
            if source.error is not None:
                self._unreadable.add("dialog_nodes")
            elif isinstance(data, dict):
                facts = node_facts(data)
                facts.rel = source.rel
                found.append(facts)
        return found
