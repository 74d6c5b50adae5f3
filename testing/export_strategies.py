"""Generated Watson JSON exports (hypothesis strategies): dialog and actions skills, bare or in
an envelope, with odd items, secrets, audit fields and ids that tie now and then, serialized
in any JSON layout, now and then broken (a duplicate key, cut short, a number the export may
not hold, too deep, a BOM, invalid UTF-8). The streaming pull and diff's item-by-item read
are each tested against the whole read on these."""

from __future__ import annotations

import codecs
import copy
import json

from hypothesis import strategies as st

NAMES = st.sampled_from(["a", "b", "B", "c", "Help", "ünï", "🎉", "x y", ""])
IDS = NAMES | st.text(alphabet=st.sampled_from("abcXY 🎉é-"), min_size=1, max_size=5)  # ties now and then
TEXTS = st.text(alphabet=st.sampled_from('ab Z"\\/\n\té🎉\u2028\x00'), max_size=6)
SCALARS = st.one_of(
    TEXTS, st.integers(-(10**20), 10**20), st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none()
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=3), max_leaves=6
)
SECRETS = st.fixed_dictionaries({}, optional={"password": TEXTS, "apiKey": st.integers(0, 99), "headers": VALUES})


def item(id_field: str, extra: dict, ids: st.SearchStrategy = IDS) -> st.SearchStrategy:
    return st.builds(
        lambda ident, title, more, secret, audit: {
            id_field: ident,
            **({"title": title} if title is not None else {}),
            **more,
            **secret,
            **({"created": "2024-01-01", "updated": "2024-02-02"} if audit else {}),
        },
        ids,
        st.none() | NAMES,
        st.fixed_dictionaries({}, optional=extra),
        SECRETS,
        st.booleans(),
    )


INTENT_NAMES = st.sampled_from(["a", "b", "c"])  # so that actions own intents now and then
ONE_INTENT = st.builds(lambda name: {"intent": name}, INTENT_NAMES)
CONDITION = ONE_INTENT | st.recursive(
    ONE_INTENT | st.builds(lambda name: {"intent": name}, NAMES) | st.just({"expression": "x"}),
    lambda inner: st.dictionaries(st.sampled_from(["and", "or", "not"]), st.lists(inner, max_size=2), max_size=1),
    max_leaves=3,
)
ITEMS = {
    "intents": item(
        "intent",
        {"examples": st.lists(st.builds(lambda t: {"text": t}, TEXTS) | VALUES, max_size=3)},
        INTENT_NAMES | IDS,
    ),
    "entities": item(
        "entity",
        {
            "values": st.lists(
                st.builds(lambda v, s: {"value": v, "synonyms": s}, NAMES, st.lists(TEXTS, max_size=2)), max_size=2
            )
        },
    ),
    "dialog_nodes": item("dialog_node", {"output": VALUES, "parent": NAMES, "context": VALUES}),
    "actions": item("action", {"condition": CONDITION, "steps": st.lists(VALUES, max_size=2), "variables": VALUES}),
    "variables": item("variable", {"data_type": NAMES}),
    "collections": item("collection", {}),
    "data_types": item("data_type", {}),
}
DIALOG = ["intents", "entities", "dialog_nodes"]
ACTIONS = ["actions", "intents", "entities", "variables", "collections", "data_types"]
ODD_ITEMS: st.SearchStrategy = st.sampled_from(
    [None, "x", [], {}, {"intent": 1}, {"dialog_node": None}, {"action": "a", "intent": {"intent": "b"}}]
)


@st.composite
def workspaces(draw) -> dict:
    kinds = draw(st.sampled_from([DIALOG, DIALOG, ACTIONS, ACTIONS, sorted(ITEMS)]))  # now and then a mix
    arrays = draw(st.lists(st.sampled_from(kinds), unique=True, max_size=5))
    others = draw(
        st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "language",
                    "metadata",
                    "counterexamples",
                    "webhooks",
                    "type",
                    "workspace",
                    "status",
                    "learning_opt_out",
                ]
            ),
            VALUES,
            max_size=4,
        )
    )
    if "webhooks" in others and draw(st.booleans()):
        others["webhooks"] = [{"name": "main", "url": "u", "headers": [{"name": "Authorization", "value": "Bearer t"}]}]
    if "counterexamples" in others and draw(st.booleans()):
        others["counterexamples"] = [{"text": "no"}, {"text": "nope", "created": "x"}]
    workspace = dict(others)
    for key in arrays:
        items = draw(st.lists(ITEMS[key] | ODD_ITEMS if draw(st.integers(0, 9)) == 0 else ITEMS[key], max_size=4))
        workspace[key] = items
    order = draw(st.permutations(list(workspace)))
    return {key: workspace[key] for key in order}


@st.composite
def exports(draw) -> dict:
    workspace = draw(workspaces())
    shape = draw(st.sampled_from(["bare", "envelope", "envelope", "envelope with arrays"]))
    if shape == "bare":
        return workspace
    envelope = draw(
        st.dictionaries(
            st.sampled_from(["name", "type", "skill_id", "language", "status"]),
            st.sampled_from(["dialog", "action", "x"]) | VALUES,
            max_size=3,
        )
    )
    if shape == "envelope with arrays":
        envelope.update(draw(workspaces()))
    envelope["workspace"] = workspace
    order = draw(st.permutations(list(envelope)))
    return {key: envelope[key] for key in order}


LAYOUTS = st.fixed_dictionaries(
    {
        "indent": st.sampled_from([None, None, 0, 2, "\t"]),
        "separators": st.sampled_from([None, (",", ":"), (" , ", " : ")]),
        "ensure_ascii": st.booleans(),
    }
)


def serialized(draw, data, layout: dict | None = None, damage: bool = True) -> bytes:
    """`data` as an export's bytes, in `layout` (json.dumps' arguments; drawn when None),
    now and then broken (when `damage`)."""
    text = json.dumps(data, **(draw(LAYOUTS) if layout is None else layout))
    changes = ["duplicate", "cut", "extra", "number", "deep", "bom", "space", "invalid utf-8"]
    change = draw(st.sampled_from(["none"] * 6 + changes)) if damage else "none"
    if change == "duplicate" and '":' in text:
        at = text.index('":') + 2
        start = text.rindex('"', 0, at - 2)
        text = text[:start] + text[start:at] + " 1, " + text[start:]
    elif change == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif change == "extra":
        text += draw(st.sampled_from([" x", " {}", "\n\n", "\x0c"]))
    elif change == "number" and ":" in text:
        at = draw(st.integers(0, text.count(":") - 1))
        pieces = text.split(":")
        number = draw(
            st.sampled_from(["1e400", "-1e400", "NaN", "Infinity", "1" * 1001, "-" + "9" * 1001, "1" * 1000, "1.5e308"])
        )
        pieces[at + 1] = " " + number + ", " + json.dumps("z") + ":" + pieces[at + 1]
        text = ":".join(pieces)
    elif change == "deep" and text.endswith("}"):
        depth = draw(st.sampled_from([95, 96, 97, 98, 99, 100, 101, 150]))
        text = text[:-1] + (", " if len(text) > 2 else "") + '"deep": ' + "[" * depth + "]" * depth + "}"
    raw = text.encode("utf-8", "surrogatepass")
    if change == "bom":
        raw = codecs.BOM_UTF8 + raw
    elif change == "space":
        raw = b" \n\t" + raw + b"\r\n"
    elif change == "invalid utf-8":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + b"\xff" + raw[at:]
    return raw


@st.composite
def export_bytes(draw) -> bytes:
    return serialized(draw, draw(exports()))


@st.composite
def actions_skills(draw) -> dict:
    """Actions skills of unique ids whose actions own intents (or share them, or name none)."""
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "🎉"]), unique=True, max_size=4))
    intents = [
        {"intent": name, "examples": [{"text": text} for text in draw(st.lists(TEXTS, max_size=3))], **draw(SECRETS)}
        for name in names
    ]
    ids = draw(st.lists(st.sampled_from(["x", "y", "z", "é"]), unique=True, min_size=1, max_size=4))
    actions = [
        {"action": ident, "title": draw(st.none() | NAMES), "condition": draw(CONDITION), "steps": []} for ident in ids
    ]
    workspace = {
        "actions": actions,
        "intents": intents,
        **draw(st.fixed_dictionaries({}, optional={"variables": st.just([])})),
    }
    order = draw(st.permutations(list(workspace)))
    workspace = {key: workspace[key] for key in order}
    return {"type": "action", "workspace": workspace} if draw(st.booleans()) else workspace


ID_FIELDS = {
    "intents": "intent",
    "entities": "entity",
    "dialog_nodes": "dialog_node",
    "actions": "action",
    "variables": "variable",
    "collections": "collection",
    "data_types": "data_type",
}


@st.composite
def edited(draw, data: dict) -> dict:
    """Another version of an export: some items changed, renamed, dropped or added, some
    settings changed, the rest as they were (laid out alike, byte for byte the same)."""
    data = copy.deepcopy(data)
    workspace = data["workspace"] if isinstance(data.get("workspace"), dict) else data
    for key, items in list(workspace.items()):
        if key not in ITEMS or not isinstance(items, list):
            continue
        kept = []
        for entry in items:
            what = draw(st.sampled_from(["keep"] * 5 + ["drop", "change", "rename"]))
            if what == "drop":
                continue
            if what != "keep" and isinstance(entry, dict):
                entry = dict(entry)
                if what == "change":
                    field = draw(st.sampled_from(["description", "title", "output", "parent", "password", "examples"]))
                    entry[field] = draw(VALUES | SECRETS)
                else:
                    entry[ID_FIELDS[key]] = draw(IDS)
            kept.append(entry)
        workspace[key] = kept + draw(st.lists(ITEMS[key], max_size=2))
    if draw(st.booleans()):
        workspace[draw(st.sampled_from(["name", "language", "metadata", "webhooks"]))] = draw(VALUES)
    return data


def tidied(data: dict) -> dict:
    """The export with its odd items and the repeats of an id left out, as most are."""
    data = copy.deepcopy(data)
    workspace = data["workspace"] if isinstance(data.get("workspace"), dict) else data
    for key, items in list(workspace.items()):
        if key in ID_FIELDS and isinstance(items, list):
            kept: dict = {}
            for item in items:
                if isinstance(item, dict) and isinstance(item.get(ID_FIELDS[key]), str):
                    kept.setdefault(item[ID_FIELDS[key]], item)
            workspace[key] = list(kept.values())
    return data


@st.composite
def export_pairs(draw) -> tuple[bytes, bytes]:
    """Two versions of an export, mostly alike and laid out alike; now and then unrelated,
    laid out differently, or broken."""
    before = draw(exports() | actions_skills())
    if draw(st.integers(0, 3)):
        before = tidied(before)
    after = draw(edited(before)) if draw(st.integers(0, 5)) else draw(exports())
    layout = draw(LAYOUTS)
    damage = draw(st.integers(0, 4)) == 0
    return (
        serialized(draw, before, layout, damage),
        serialized(draw, after, layout if draw(st.integers(0, 4)) else None, damage),
    )
