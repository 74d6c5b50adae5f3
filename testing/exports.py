"""Exports for tests: our own small skills, and what a test does with an export (load it,
put it in a canonical order written apart from the code, shuffle it as a re-download
would, check the upload rules)."""

from __future__ import annotations

import copy
import hashlib
import json
import random
from pathlib import Path

from .paths import SAMPLE_DIALOG


def base_export() -> dict:
    """A small, valid dialog skill of our own writing."""
    examples = {
        "greeting": ["hello", "hi there", "good morning", "hey", "good evening", "howdy"],
        "goodbye": ["bye", "see you", "goodbye", "talk to you later", "cheerio"],
        "order_status": [
            "where is my order",
            "track my parcel",
            "order status",
            "has it shipped",
            "when will it arrive",
        ],
    }

    def node(ident, **kw):
        return {"dialog_node": ident, "title": ident.replace("_", " ").title(), **kw}

    return {
        "name": "Validate test skill",
        "description": "Crafted for the validate tests",
        "language": "en",
        "intents": [{"intent": k, "examples": [{"text": t} for t in v]} for k, v in examples.items()],
        "entities": [
            {
                "entity": "size",
                "values": [
                    {"value": "small", "type": "synonyms", "synonyms": ["tiny", "little"]},
                    {"value": "medium", "type": "synonyms", "synonyms": ["regular"]},
                    {"value": "large", "type": "synonyms", "synonyms": ["big", "huge"]},
                ],
            },
            {"entity": "sys-number", "values": []},
        ],
        "dialog_nodes": [
            node(
                "welcome",
                conditions="welcome",
                output={"generic": [{"response_type": "text", "values": [{"text": "Hi!"}]}]},
            ),
            node("greet", conditions="#greeting", previous_sibling="welcome"),
            node("orders", type="folder", previous_sibling="greet"),
            node("order_ask", parent="orders", conditions="#order_status && @size:large"),
            node("order_other", parent="orders", previous_sibling="order_ask", conditions="@sys-number > 3 || @size"),
            node(
                "goodbye",
                conditions="#goodbye",
                previous_sibling="orders",
                next_step={"behavior": "jump_to", "selector": "body", "dialog_node": "welcome"},
            ),
            node("anything_else", conditions="anything_else", previous_sibling="goodbye"),
        ],
        "counterexamples": [{"text": "what is the weather"}],
    }


def own_export() -> dict:
    """A small dialog skill of our own, with the ids the tests touch (used when the sample is absent)."""

    def node(ident, title, parent=None, previous=None, condition="", text="ok"):
        data = {
            "dialog_node": ident,
            "type": "standard",
            "conditions": condition,
            "output": {"generic": [{"response_type": "text", "values": [{"text": text}]}]},
        }
        for key, value in (("title", title), ("parent", parent), ("previous_sibling", previous)):
            if value is not None:
                data[key] = value
        return data

    return {
        "name": "Own sample",
        "language": "en",
        "description": "test skill",
        "learning_opt_out": True,
        "workspace_id": "abc",
        "created": "2024-01-01T00:00:00Z",
        "updated": "2024-02-01T00:00:00Z",
        "intents": [
            {"intent": "greeting", "examples": [{"text": "hello"}, {"text": "hi"}]},
            {"intent": "cancel_order", "examples": [{"text": "cancel my order"}, {"text": "stop the order"}]},
            {"intent": "refund", "examples": [{"text": "refund please"}, {"text": "money back"}]},
            {"intent": "thanks", "examples": [{"text": "thanks"}, {"text": "thank you"}]},
        ],
        "entities": [
            {
                "entity": "shipping_method",
                "values": [
                    {"value": "express", "type": "synonyms", "synonyms": ["fast", "next day"]},
                    {"value": "standard", "type": "synonyms", "synonyms": ["normal"]},
                ],
            },
            {"entity": "order_number", "values": [{"value": "order", "type": "patterns", "patterns": ["[0-9]{8}"]}]},
        ],
        "dialog_nodes": [
            node("node_welcome", "Welcome", condition="welcome", text="Welcome!"),
            node("folder_orders", "Orders", previous="node_welcome"),
            node("node_order_status", "Order status", "folder_orders", condition="#order_status"),
            node("node_cancel_order", "Cancel order", "folder_orders", "node_order_status", "#cancel_order"),
            node("node_refund", "Refund", None, "folder_orders", "#refund", "Refunds take 5 days.\nReally."),
            node("node_thanks", "Thanks", None, "node_refund", "#thanks"),
            node("node_anything_else", "Anything else", None, "node_thanks", "anything_else"),
        ],
        "counterexamples": [{"text": "tell me a joke"}],
    }


def sample_export_bytes() -> bytes:
    if SAMPLE_DIALOG.is_file():
        return SAMPLE_DIALOG.read_bytes()
    return json.dumps(own_export()).encode()


VOLATILE = {
    "created",
    "updated",
    "status",
    "status_description",
    "status_errors",
    "workspace_id",
    "skill_id",
    "assistant_id",
    "environment_id",
    "environment",
    "valid",
    "next_snapshot_version",
    "snapshot",
    "counts",
    "dialog_settings_updated",
}


SET_ARRAYS = {
    "intents": "intent",
    "entities": "entity",
    "actions": "action",
    "variables": "variable",
    "collections": "collection",
    "data_types": "data_type",
    "counterexamples": "text",
    "dialog_nodes": "dialog_node",
    "webhooks": "name",  # for the dialog members of ZIPs
}


def load(path: Path):
    return json.loads(Path(path).read_bytes().decode("utf-8-sig"))


def _key(field):
    def key(item):
        if isinstance(item, dict):
            return (str(item.get(field, "")), json.dumps(item, sort_keys=True))
        return ("", json.dumps(item))

    return key


def _no_audit(items):
    audit = ("created", "updated")
    return [{k: v for k, v in i.items() if k not in audit} if isinstance(i, dict) else i for i in items]


def canon_ws(ws: dict) -> dict:
    """Content of a workspace independent of set order and volatile fields (written apart from the code)."""
    ws = {k: v for k, v in ws.items() if k not in VOLATILE}
    for array, field in SET_ARRAYS.items():
        if isinstance(ws.get(array), list):
            ws[array] = sorted(_no_audit(ws[array]), key=_key(field))
    for intent in ws.get("intents", []):
        intent["examples"] = sorted(_no_audit(intent.get("examples", [])), key=_key("text"))
    for entity in ws.get("entities", []):
        values = []
        for value in _no_audit(entity.get("values", [])):
            for array in ("synonyms", "patterns"):
                if isinstance(value.get(array), list):
                    value = dict(value, **{array: sorted(value[array])})
            values.append(value)
        entity["values"] = sorted(values, key=_key("value"))
    for action in ws.get("actions", []):
        if isinstance(action.get("variables"), list):
            action["variables"] = sorted(action["variables"], key=_key("variable"))
    return ws


def canon(doc: dict) -> dict:
    doc = canon_ws(copy.deepcopy(doc))
    if isinstance(doc.get("workspace"), dict):
        doc["workspace"] = canon_ws(doc["workspace"])
    return doc


def tree_digest(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def check_upload_rules(raw: bytes) -> None:
    assert not raw.startswith(b"\xef\xbb\xbf")
    for byte in (b"\n", b"\r", b"\t"):
        assert byte not in raw
    assert len(raw) <= 10 * 1024 * 1024
    raw.decode("utf-8")


def shuffled(doc: dict, seed: int) -> dict:
    rnd = random.Random(seed)
    doc = copy.deepcopy(doc)
    ws = doc.get("workspace", doc)
    doc["updated"] = "2031-01-01T00:00:00.000Z"
    for array in SET_ARRAYS:
        if isinstance(ws.get(array), list):
            rnd.shuffle(ws[array])
    for intent in ws.get("intents", []):
        rnd.shuffle(intent.get("examples", []))
    for entity in ws.get("entities", []):
        rnd.shuffle(entity.get("values", []))
        for value in entity.get("values", []):
            rnd.shuffle(value.get("synonyms", []))
    for action in ws.get("actions", []):
        rnd.shuffle(action.get("variables", []))
    return doc


def reshuffled(export: dict, seed: int) -> dict:
    """The same content downloaded again: new timestamps and ids of the copy, arrays in another order."""
    rng = random.Random(seed)
    export = copy.deepcopy(export)
    workspace = export.get("workspace", export)
    for key in ("intents", "entities", "counterexamples"):
        rng.shuffle(workspace.get(key, []))
    for intent in workspace.get("intents", []):
        rng.shuffle(intent.get("examples", []))
        for example in intent.get("examples", []):
            example["created"] = f"2031-0{seed % 9 + 1}-01T00:00:00Z"
    for entity in workspace.get("entities", []):
        for value in entity.get("values", []):
            rng.shuffle(value.get("synonyms", []))
    export.update(
        created="2031-01-01T00:00:00Z", updated=f"2031-02-0{seed % 9 + 1}T00:00:00Z", workspace_id=f"ws-{seed}"
    )
    return export
