"""Mermaid flowcharts that always parse and never carry markup from the skill.

Escaping: Mermaid reads `%%{init: ...}%%` as a directive even inside a quoted label, a
label opening with a backtick as markdown, `$$...$$` as math, `fa:fa-name` as an icon, and
a line starting with `click` as a link; quotes, brackets, pipes, `<`, `#`, `;` and `:`
either end a label or change how it is drawn. So every character of skill text other than a letter, a digit, a space and a few
inert punctuation marks is written as Mermaid's entity code (`#35;` for `#`), which the
renderer shows as the character itself. Node ids are generated (n1, n2...), and classes,
shapes and edge kinds come from fixed tables: skill text only ever lands between the
quotes of a label.

Size: Mermaid refuses a diagram with 500 edges or more (a limit a diagram cannot raise)
and draws an error instead of a text over 50,000 characters. A Diagram keeps well below
both and refuses, all or nothing, a group of nodes that would cross a budget; callers
then start another diagram or count what is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MERMAID_MAX_EDGES = 500  # mermaid's maxEdges: a diagram with this many edges does not parse
MERMAID_MAX_TEXT = 50_000  # mermaid's maxTextSize: longer text draws an error box
MAX_EDGES = 400
MAX_TEXT = 40_000
LABEL_MAX = 60  # characters of skill text per label line, before escaping
# Printable ASCII kept as it is: none of them ends a label or opens a directive, an entity,
# math (`$$`) or an icon (`fa:fa-x`, whose `:` is escaped).
SAFE = frozenset(" .,-_/()?!'@=+*")
SHAPES = {
    "box": ("[", "]"),
    "round": ("(", ")"),
    "stadium": ("([", "])"),
    "subroutine": ("[[", "]]"),
    "flag": (">", "]"),
    "circle": ("((", "))"),
    "hexagon": ("{{", "}}"),
}
ARROWS = {"solid": "-->", "dashed": "-.->", "thick": "==>"}
CLASSES = {
    "added": "fill:#dafbe1,stroke:#1a7f37,color:#0f2d16",
    "removed": "fill:#ffebe9,stroke:#cf222e,color:#4c0f0b,stroke-dasharray:5 3",
    "changed": "fill:#fff8c5,stroke:#9a6700,color:#3b2300",
    "old": "fill:#f6f8fa,stroke:#8c959f,color:#57606a,stroke-dasharray:3 3",
    "context": "fill:#ffffff,stroke:#8c959f,color:#24292f",
    "focus": "fill:#ddf4ff,stroke:#0969da,color:#0a3069,stroke-width:3px",
    "folder": "fill:#f6f8fa,stroke:#57606a,color:#24292f",
    "action": "fill:#ddf4ff,stroke:#0969da,color:#0a3069",
    "terminal": "fill:#eaeef2,stroke:#6e7781,color:#24292f",
    "missing": "fill:#ffebe9,stroke:#cf222e,color:#4c0f0b,stroke-dasharray:2 2",
    "more": "fill:#ffffff,stroke:#d0d7de,color:#57606a,stroke-dasharray:2 2",
}


def escape(text: str) -> str:
    """Skill text as the inside of a quoted Mermaid label: inert, and shown as written
    (white space as a space; other invisible characters, bidi overrides included, as �)."""
    return "".join(
        ch
        if (ch.isalnum() and ch.isprintable()) or ch in SAFE
        else " "
        if ch.isspace()
        else f"#{ord(ch)};"
        if ch.isprintable()
        else "#65533;"
        for ch in text
    )


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label(lines: list[str]) -> str:
    """A quoted label of one or more lines (joined by Mermaid's own line break)."""
    return '"' + "<br/>".join(escape(shorten(line)) for line in lines if line) + '"'


@dataclass
class Shape:
    """A node a picture wants to draw, before it has an id."""

    key: str
    lines: list[str]
    shape: str = "box"
    css: str | None = None


@dataclass
class Link:
    source: str
    target: str
    text: str | None = None
    style: str = "solid"


@dataclass
class Diagram:
    """One flowchart under construction; `add` takes a group of shapes and links whole or not at all."""

    max_nodes: int
    direction: str = "TD"
    ids: dict[str, str] = field(default_factory=dict)
    node_lines: list[str] = field(default_factory=list)
    edge_lines: list[str] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)  # class -> node ids
    size: int = 0
    left_out: str = ""  # words for what the picture does not draw

    def add(self, shapes: list[Shape], links: list[Link]) -> bool:
        """Draw the shapes (those not drawn yet) and the links between drawn shapes.
        False, and nothing drawn, when the group would cross a budget."""
        fresh = [s for s in _unique(shapes) if s.key not in self.ids]
        ids = dict(self.ids)
        for number, shape in enumerate(fresh, start=len(self.ids) + 1):
            ids[shape.key] = f"n{number}"
        node_lines = [f"    {ids[s.key]}{SHAPES[s.shape][0]}{label(s.lines)}{SHAPES[s.shape][1]}" for s in fresh]
        edge_lines = [_edge(ids[k.source], ids[k.target], k) for k in links if k.source in ids and k.target in ids]
        size = sum(len(line) + 1 for line in node_lines + edge_lines) + 32 * len(fresh)  # class lists grow too
        edges, nodes = len(self.edge_lines) + len(edge_lines), len(ids)
        if edges > MAX_EDGES or self.size + size > MAX_TEXT or nodes > self.max_nodes:
            return False
        self.ids, self.size = ids, self.size + size
        self.node_lines += node_lines
        self.edge_lines += edge_lines
        for shape in fresh:
            if shape.css:
                self.members.setdefault(shape.css, []).append(ids[shape.key])
        return True

    @property
    def nodes(self) -> int:
        return len(self.ids)

    @property
    def text(self) -> str:
        lines = [f"flowchart {self.direction}"] + self.node_lines + self.edge_lines
        for css, ids in self.members.items():
            lines.append(f"    classDef {css} {CLASSES[css]}")
            lines.extend(f"    class {','.join(ids[i : i + 40])} {css}" for i in range(0, len(ids), 40))
        return "\n".join(lines) + "\n"


def _edge(source: str, target: str, link: Link) -> str:
    arrow = ARROWS[link.style]
    middle = f"{arrow}|{label([link.text])}|" if link.text else arrow
    return f"    {source} {middle} {target}"


def _unique(shapes: list[Shape]) -> list[Shape]:
    first: dict[str, Shape] = {}
    for shape in shapes:
        first.setdefault(shape.key, shape)
    return list(first.values())
