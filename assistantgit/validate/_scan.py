"""Facts a rule needs from files it does not report on, read without a YAML parser.

An intent's name and examples, an entity's values, a node's links, an action's id: each
scanner reads them from canonical text with string and regular-expression operations,
which is exact for canonical text and about ten times faster than parsing; for any text
it does not recognise as canonical it returns None and the caller parses the file.
`facts_from_data` gives the same facts from parsed data (tests check the two agree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import canonical


@dataclass
class NodeFacts:
    rel: str
    ident: object
    parent: object = None
    previous: object = None
    jump: object = None  # next_step.dialog_node
    behavior: object = None


def freeze(facts):
    """Facts as marshal stores them quickly: examples joined into one string (they hold no line break)."""
    if isinstance(facts, NodeFacts):
        return ("node", facts.ident, facts.parent, facts.previous, facts.jump, facts.behavior)
    if (
        isinstance(facts, tuple)
        and len(facts) == 2
        and isinstance(facts[1], list)
        and facts[1]
        and all(type(e) is str for e in facts[1])
    ):
        joined = "\n".join(facts[1])
        if joined.count("\n") == len(facts[1]) - 1:
            return ("lines", facts[0], joined)
    return facts


def thaw(facts):
    if isinstance(facts, tuple) and len(facts) == 6 and facts[0] == "node":
        return NodeFacts("", *facts[1:])
    if isinstance(facts, tuple) and len(facts) == 3 and facts[0] == "lines":
        return facts[1], facts[2].split("\n")
    return facts


def _text(value):
    """A link or name field as rules use it: a text, else None (AG103 reports the wrong type)."""
    return value if isinstance(value, str) else None


def well_formed(kind: str, facts) -> bool:
    """True when facts (from a cache file) have the shape facts_from_data gives."""
    if facts is None:
        return True
    if kind in ("intents", "actions"):
        return (
            isinstance(facts, tuple)
            and len(facts) == 2
            and (facts[0] is None or isinstance(facts[0], str))
            and isinstance(facts[1], list)
            and _texts_only(facts[1])
        )
    if kind == "entities":
        return (
            isinstance(facts, tuple)
            and len(facts) == 2
            and isinstance(facts[0], str)
            and isinstance(facts[1], (set, frozenset))
            and all(isinstance(v, str) for v in facts[1])
        )
    if kind == "action_id":
        return isinstance(facts, str)
    if kind == "dialog_nodes":
        return isinstance(facts, NodeFacts) and all(
            v is None or isinstance(v, str)
            for v in (facts.ident, facts.parent, facts.previous, facts.jump, facts.behavior)
        )
    if kind == "json_size":
        return isinstance(facts, int) and not isinstance(facts, bool) and facts >= 0
    return False


def _texts_only(items: list) -> bool:
    """True when every item is a text (AG502 puts an intent's example keys in sets: a list
    in a damaged entry would make that raise). str.join checks it in C: every run checks
    the 110,000 keys of a tree."""
    try:
        "".join(items)
    except TypeError:
        return False
    return True


def facts_from_data(kind: str, data: dict, examples: bool = True):
    """The facts of a file of `kind` from its data; without `examples`, an intent's are left
    out (a run that compares none: push's refusals)."""
    if kind == "intents":
        name = data.get("intent")
        return (name, example_texts(data) if examples else []) if isinstance(name, str) else None
    if kind == "actions":
        inline = data.get("intent")
        if isinstance(inline, dict) and isinstance(inline.get("intent"), str):
            return inline["intent"], example_texts(inline) if examples else []
        return (None, [])
    if kind == "action_id":
        return data.get("action") if isinstance(data.get("action"), str) else None
    if kind == "entities":
        name = data.get("entity")
        values: list = data["values"] if isinstance(data.get("values"), list) else []
        return (
            (name, {v.get("value") for v in values if isinstance(v, dict) and isinstance(v.get("value"), str)})
            if isinstance(name, str)
            else None
        )
    if kind == "dialog_nodes":
        return node_facts(data)
    return None


def node_facts(data: dict) -> NodeFacts:
    """facts_from_data of a dialog node: each field as _text gives it, written out (a push
    gathers 13,500 of them)."""
    get = data.get
    ident, parent, previous, step = get("dialog_node"), get("parent"), get("previous_sibling"), get("next_step")
    jump = behavior = None
    if isinstance(step, dict):
        jump, behavior = step.get("dialog_node"), step.get("behavior")
    return NodeFacts(
        "",
        ident if isinstance(ident, str) else None,
        parent if isinstance(parent, str) else None,
        previous if isinstance(previous, str) else None,
        jump if isinstance(jump, str) else None,
        behavior if isinstance(behavior, str) else None,
    )


def example_texts(intent: dict) -> list:
    examples = intent.get("examples")
    if not isinstance(examples, list):
        return []
    return [e.get("text") if isinstance(e, dict) else e for e in examples]


def normalized(text) -> str:
    """How the classifier compares utterances: case and runs of spaces do not count."""
    folded = str(text).casefold()
    # Most texts have single spaces only: every other white space character is unprintable.
    if folded.isprintable() and "  " not in folded and folded[:1] != " " and folded[-1:] != " ":
        return folded
    return " ".join(folded.split())


def normalized_all(texts: list) -> list:
    """`normalized` of each text: one casefold of them all joined (casefold maps each character
    alone), white space collapsed only in the texts that need it. A tree's 100,000 examples
    pay once instead of text by text."""
    joined = "\n".join(texts)
    lines = len(texts) - 1
    if not texts or joined.count("\n") != lines:  # a text holds a line break: each alone
        return [normalized(text) for text in texts]
    folded = joined.casefold()
    if folded.count("\n") != lines:
        return [normalized(text) for text in texts]
    parts = folded.split("\n")
    # Line breaks as spaces, one search finds a run of spaces, or a space at either end, in any
    # text (three searches before: a tenth of a first commit's normalizing). It also finds
    # empty texts; those, and any text it finds, are normalized one by one below.
    spaced = folded.replace("\n", " ")
    if "  " not in spaced and spaced[:1] != " " and spaced[-1:] != " " and spaced.isprintable():
        return parts
    return [
        part
        if part.isprintable() and "  " not in part and part[:1] != " " and part[-1:] != " "
        else " ".join(part.split())
        for part in parts
    ]


def example_keys(examples: list) -> list:
    """The keys AG502 compares a file's examples by (`normalized`); a number or null as its text.
    Kept in the fact cache in place of the texts: normalizing a tree's 110,000 examples was a
    third of a commit hook's run."""
    if set(map(type, examples)) <= {str}:  # all texts (checked in C: a tree's 110,000 examples)
        return normalized_all(examples)
    return [normalized(text) for text in examples if text is not None]


# -- scanners for canonical text: return None to ask for a real parse -----------------------
# A line at column 0 that canonical text never starts with (comment, item, quote, flow...).
_ODD_STARTS = tuple("#-'\"{[%&*!\t")
_ODD_LINE = re.compile(r"\n[#\-'\"{\[%&*!\t]")  # starts with a literal: re scans fast


def _odd(text: str) -> bool:
    return text.startswith(_ODD_STARTS) or _ODD_LINE.search(text) is not None


_RESERVED_PLAIN = re.compile(r"[-.0-9]|(?:null|true|false|\.nan|\.inf)$")


def _scalar(text: str):
    if not text or text[0] in "|{[" or text[-1] == ":" or (": " in text and text[0] != '"'):
        raise ValueError
    if text[0] == '"' or _RESERVED_PLAIN.match(text):
        return canonical.read_scalar(text)
    return text


def _top(text: str, key: str):
    """The scalar of a top-level `key: value` line, or None."""
    start = 0 if text.startswith(key + ": ") else text.find("\n" + key + ": ") + 1
    if start == 0 and not text.startswith(key + ": "):
        return None
    end = text.find("\n", start)
    return _scalar(text[start + len(key) + 2 : end])


_TOP_LINE = re.compile(r"\n(?=[^ \n])")


def _block(text: str, key: str) -> list[str]:
    """The lines under a top-level `key:` line, up to the next top-level line."""
    found = _block_text(text, key)
    return [] if found is None else found.split("\n")


def _block_text(text: str, key: str) -> str | None:
    """The lines under a top-level `key:` line as one text without its last line breaks,
    or None when there is no such line."""
    head = "\n" + key + ":\n"
    if text.startswith(head[1:]):
        start = len(head) - 1
    else:
        start = text.find(head)
        if start < 0:
            return None
        start += len(head)
    end = _TOP_LINE.search(text, start - 1)
    return text[start : end.start() if end else len(text)].rstrip("\n")


# A line an examples list cannot hold; an item other than a text mapping with deeper lines.
_FOREIGN_LINE = re.compile(r"\n(?!  - |    |\n)")
_NESTED_NON_TEXT = re.compile(r"\n  - (?!text: )[^\n]*\n    ")
_ITEM = re.compile(r"\n  - (?:text: )?([^\n]*)")
# Item texts that are not plain strings in canonical form (quoted, numbers, null, block...);
# _CAREFUL_START alone where the texts hold no ':' (a search from every line break, not
# from every character: most intents).
_CAREFUL = re.compile(r'\n(?:["\-.0-9|{\[]|(?:null|true|false|\.nan|\.inf)\n)|: |:\n')
_CAREFUL_START = re.compile(r'\n(?:["\-.0-9|{\[]|(?:null|true|false|\.nan|\.inf)\n)')
_PLAIN_START = frozenset('"-.0123456789|{[')
_WORDS = frozenset({"null", "true", "false", ".nan", ".inf"})


def _items(lines: list[str]) -> list:
    """The texts of a list of examples: plain lines, or mappings whose first key is `text`."""
    return _items_text("\n".join(lines))


def _items_text(lines: str | None) -> list:
    """_items of the lines joined (as _block_text gives them). Done with regular expressions
    over the whole list: this runs on every example of a tree at each commit."""
    if not lines:
        return []
    block = "\n" + lines
    if _FOREIGN_LINE.search(block) or _NESTED_NON_TEXT.search(block + "\n"):
        raise ValueError
    texts = _ITEM.findall(block)
    joined = "\n" + "\n".join(texts) + "\n"
    if (_CAREFUL if ":" in joined else _CAREFUL_START).search(joined) is None:
        return texts
    return [
        _scalar(text) if text[:1] in _PLAIN_START or ": " in text or text[-1:] == ":" or text in _WORDS else text
        for text in texts
    ]


def scan_intent(text: str):
    try:
        if _odd(text):
            return None
        name = _top(text, "intent")
        return (name, _items_text(_block_text(text, "examples"))) if isinstance(name, str) else None
    except (ValueError, canonical.NotCanonical):
        return None


def scan_action_intent(text: str):
    """The intent an action file holds inline (`intent:` with `intent` and `examples` below it)."""
    try:
        if _odd(text):
            return None
        lines = _block(text, "intent")
        if lines == [] or lines == [""]:
            has_key = text.startswith("intent:") or "\nintent:" in text
            return None if has_key else (None, [])
        name, examples, inside = None, [], False
        for line in lines:
            if line.startswith("  intent: "):
                name = _scalar(line[10:])
            if line[2:3] not in (" ", ""):
                inside = line == "  examples:"
            elif inside:
                examples.append(line[2:])
        return (name, _items(examples)) if isinstance(name, str) else None
    except (ValueError, canonical.NotCanonical):
        return None


def scan_action_id(text: str):
    try:
        return None if _odd(text) else _top(text, "action")
    except (ValueError, canonical.NotCanonical):
        return None


def scan_entity(text: str):
    try:
        if _odd(text):
            return None
        name = _top(text, "entity")
        values = {_scalar(line[11:]) for line in _block(text, "values") if line.startswith("  - value: ")}
        values = {v for v in values if isinstance(v, str)}
        return (name, values) if isinstance(name, str) else None
    except (ValueError, canonical.NotCanonical):
        return None


def scan_node(text: str):
    try:
        if _odd(text):
            return None
        facts = NodeFacts(
            "", _text(_top(text, "dialog_node")), _text(_top(text, "parent")), _text(_top(text, "previous_sibling"))
        )
        for line in _block(text, "next_step"):
            if line.startswith("  dialog_node: "):
                facts.jump = _text(_scalar(line[15:]))
            elif line.startswith("  behavior: "):
                facts.behavior = _text(_scalar(line[12:]))
        return facts if facts.ident is not None else None
    except (ValueError, canonical.NotCanonical):
        return None
