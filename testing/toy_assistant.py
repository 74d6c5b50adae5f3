"""The toy assistant behind testing/watson_message.py (its docstring says what it does)."""

from __future__ import annotations

import re

WORD = re.compile(r"\w+")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NUMBER = re.compile(r"\b\d+\b")


def words(text: str) -> set:
    return set(WORD.findall(text.casefold()))


def _example_texts(intent: dict) -> list:
    return [e.get("text") if isinstance(e, dict) else e for e in intent.get("examples") or []]


class Skill:
    """A dialog workspace or an action skill, indexed for answering."""

    def __init__(self, content: dict, kind: str):
        nested = content.get("workspace")
        workspace: dict = nested if isinstance(nested, dict) else content
        self.kind = kind
        self.skill_id = content.get("skill_id")
        self.intents = [
            (i["intent"], [words(t) for t in _example_texts(i) if isinstance(t, str)])
            for i in workspace.get("intents") or []
        ]
        self.counterexamples = {
            " ".join(WORD.findall(str(c.get("text") if isinstance(c, dict) else c).casefold()))
            for c in workspace.get("counterexamples") or []
        }
        self.entities = workspace.get("entities") or []
        self.nodes = {n["dialog_node"]: n for n in workspace.get("dialog_nodes") or []}
        self.children = _ordered_children(self.nodes)
        self.actions = workspace.get("actions") or []
        self.variables = workspace.get("variables") or []

    # -- understanding ----------------------------------------------------------------------
    def classify(self, text: str) -> list:
        found = words(text)
        if not found or " ".join(WORD.findall(text.casefold())) in self.counterexamples:
            return []
        scored = []
        for index, (name, examples) in enumerate(self.intents):
            best = max((len(found & example) for example in examples), default=0)
            if best:
                scored.append((-best, index, name))
        scored.sort()
        return [{"intent": name, "confidence": round(min(1.0, -best / len(found)), 4)} for best, _, name in scored]

    def extract(self, text: str) -> list:
        folded, found = text.casefold(), []
        for entity in self.entities:
            name = entity.get("entity")
            if name == "sys-date":
                found += [_mention(name, m.group(), m) for m in ISO_DATE.finditer(text)]
            elif name == "sys-number":
                found += [_mention(name, m.group(), m) for m in NUMBER.finditer(text)]
            for value in entity.get("values") or []:
                for term in [value.get("value")] + list(value.get("synonyms") or []):
                    match = re.search(r"(?<!\w)" + re.escape(str(term).casefold()) + r"(?!\w)", folded)
                    if match:
                        found.append(_mention(name, value["value"], match))
                        break
                for pattern in value.get("patterns") or []:
                    match = re.search(pattern, text)
                    if match:
                        found.append(_mention(name, value["value"], match))
        return found


def _mention(entity: str, value: str, match) -> dict:
    return {
        "entity": entity,
        "value": value,
        "location": [match.start(), match.end()],
        "confidence": 1,
        "literal": match.group(),
    }


def _ordered_children(nodes: dict) -> dict:
    """parent id (None for the root) -> child nodes in sibling order (previous_sibling chains)."""
    groups: dict = {}
    for node in nodes.values():
        groups.setdefault(node.get("parent"), []).append(node)
    ordered = {}
    for parent, members in groups.items():
        after = {m.get("previous_sibling"): m for m in members}
        chain: list[dict] = []
        current = after.get(None)
        while current is not None and len(chain) < len(members):
            chain.append(current)
            current = after.get(current["dialog_node"])
        chain += [m for m in members if m not in chain]
        ordered[parent] = chain
    return ordered


class Turn:
    """What a condition can see: the input, its intents and entities, the context."""

    def __init__(self, skill: Skill, text: str, context: dict, first: bool, alternates: bool = False):
        self.text, self.context, self.first = text, context, first
        self.intents = skill.classify(text)
        self.entities = [{k: v for k, v in e.items() if k != "literal"} for e in skill.extract(text)]
        self.literals = {e["entity"]: e["literal"] for e in skill.extract(text)}
        self.top = self.intents[0]["intent"] if self.intents else None
        self.shown_intents = self.intents if alternates else self.intents[:1]

    def matches(self, condition, empty: bool = False) -> bool:
        condition = (condition or "").strip()
        if not condition:
            return empty
        if "||" in condition:
            return any(self.matches(part) for part in condition.split("||"))
        if "&&" in condition:
            return all(self.matches(part) for part in condition.split("&&"))
        if condition in ("true", "anything_else"):
            return True
        if condition == "welcome":
            return self.first and not self.text.strip()
        if condition.startswith("#"):
            return self.top == condition[1:]
        if condition.startswith("@"):
            name, _, value = condition[1:].partition(":")
            value = value.strip("()")
            return any(e["entity"] == name and (not value or e["value"] == value) for e in self.entities)
        return False

    def evaluate(self, value):
        """A context value as the node sets it: `@entity`, `@entity.literal`, `$variable`, or itself."""
        if not isinstance(value, str):
            return value
        match = re.fullmatch(r"@([\w-]+)(\.literal)?", value)
        if match:
            if match.group(2):
                return self.literals.get(match.group(1))
            return next((e["value"] for e in self.entities if e["entity"] == match.group(1)), None)
        match = re.fullmatch(r"\$(\w+)", value)
        return self.context.get(match.group(1)) if match else value

    def fill(self, text: str) -> str:
        return re.sub(r"\$(\w+)", lambda m: str(self.context.get(m.group(1), "") or ""), text)
