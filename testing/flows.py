"""Dialog trees for the flow tests: a node's data, a pulled tree holding given nodes, and
titles that try to break a Mermaid picture or inject markup into a comment."""

from __future__ import annotations

import json
from pathlib import Path

from assistantgit.pipeline import pull_file


def node(ident, title=None, parent=None, previous=None, condition=None, **more) -> dict:
    data = {"dialog_node": ident, "type": more.pop("type", "standard")}
    for key, value in (("title", title), ("parent", parent), ("previous_sibling", previous), ("conditions", condition)):
        if value is not None:
            data[key] = value
    return {**data, **more}


def dialog_tree(folder: Path, nodes: list[dict]) -> Path:
    """Pull a dialog export holding `nodes` into `folder` (a real tree, as users have them)."""
    export = folder.with_name(folder.name + "-export.json")
    export.write_text(
        json.dumps({"name": "Test", "language": "en", "intents": [], "entities": [], "dialog_nodes": nodes}), "utf-8"
    )
    pull_file(export, folder)
    return folder


HOSTILE = [
    '%%{init: {"theme": "dark", "securityLevel": "loose"}}%%',
    "x %%{init: {'theme':'forest'}}%% y",
    "`**markdown** read as markdown`",
    'click n1 "javascript:alert(1)"',
    '"]\n    click n1 href "https://evil.example"\n    n9["',
    "a | b || c",
    "[x] {y} (z) ((w)) >v] [[u]]",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "#quot; #35; &amp; &lt; &#60;",
    "semi;colon: colon",
    "back\\slash",
    "new\nline\r\ttab",
    "```mermaid",
    "---",
    "end",
    "subgraph s1",
    "style n1 fill:#f00;",
    "classDef x fill:#f00;",
    "flowchart LR",
    "%% a comment",
    "a --> b",
    "n1 -.->|x| n2",
    "$$x^2 \\href{javascript:alert(1)}{x}$$",
    "fa:fa-car fab:fa-github",
    "Ünïcödé カード 🙏 ﬂ°°60¶ß",
    "\u202eevil\u200b",
    "\x1b[31mred",
    "x" * 300,
]
