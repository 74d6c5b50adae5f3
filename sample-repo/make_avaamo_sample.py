"""Write sample-repo/exports/Pizza_Palace_4711_20251104093012.zip: an Avaamo agent export of
our own making (the real layout is undocumented; this one is shaped like Avaamo's
"Backup & Export": agent settings, skills with intents and responses, entities, a custom
script and an avatar image). Reproducible: the same bytes on every run.

    python sample-repo/make_avaamo_sample.py && assistantgit pull \
        sample-repo/exports/Pizza_Palace_4711_20251104093012.zip --dir sample-repo/avaamo-agent
"""

from __future__ import annotations

import json
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "exports" / "Pizza_Palace_4711_20251104093012.zip"
STAMP = (2025, 11, 4, 9, 30, 12)


def png(width: int = 48, height: int = 48) -> bytes:
    """A small RGB PNG: a tomato-red disc on a cream background (the agent's avatar)."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (width / 2.4) ** 2
            row += bytes((214, 48, 39) if inside else (250, 243, 224))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


MANIFEST = {
    "export_format": 3,
    "platform_version": "8.2.0",
    "exported_by": "maria.rossi@example.com",
    "agent_id": 4711,
    "includes": ["agent", "skills", "entities", "js_files", "assets"],
}

AGENT = {
    "id": 4711,
    "name": "Pizza Palace",
    "description": "Orders, tracks and answers questions about pizzas.",
    "default_language": "en-US",
    "languages": ["en-US", "it-IT"],
    "avatar": "assets/avatar.png",
    "greeting": {
        "type": "card",
        "title": "Ciao! 🍕",
        "text": "I can take your order or track it.\nWhat would you like?",
        "image": "assets/avatar.png",
        "quick_replies": ["Order a pizza", "Track my order", "Opening hours"],
    },
    "settings": {"session_timeout_minutes": 30, "typing_indicator": True, "fallback_skill": "Fallback"},
}

ORDER_SKILL = {
    "uuid": "5c1e2a0e-order",
    "name": "Order a pizza",
    "type": "dialog",
    "enabled": True,
    "intents": [
        {
            "key": "order_pizza",
            "name": "Order pizza",
            "training_data": [
                "I want a pizza",
                "order a margherita",
                "can I get two pepperoni pizzas",
                "Vorrei una pizza",
            ],
        },
        {"key": "change_order", "name": "Change order", "training_data": ["change my order", "add olives please"]},
        {"key": "cancel_order", "name": "Cancel order", "training_data": ["cancel my order", "never mind, stop"]},
    ],
    "nodes": [
        {
            "uuid": "n-ask-size",
            "name": "Ask size",
            "trigger": {"intent": "order_pizza"},
            "responses": [{"type": "quick_reply", "text": "Which size?", "options": ["Small", "Medium", "Large"]}],
            "slots": [{"name": "size", "entity": "pizza_size", "prompt": "Small, medium or large?"}],
        },
        {
            "uuid": "n-ask-toppings",
            "name": "Ask toppings",
            "parent": "n-ask-size",
            "responses": [{"type": "text", "text": "Any toppings? We have ${entities.topping.values}."}],
        },
        {
            "uuid": "n-confirm",
            "name": "Confirm order",
            "parent": "n-ask-toppings",
            "responses": [
                {
                    "type": "card",
                    "title": "Your order",
                    "text": "A {{size}} pizza with {{toppings}}.\nShall I place it?",
                    "image": "assets/menu/margherita.png",
                    "buttons": [{"title": "Yes", "postback": "confirm"}, {"title": "No", "postback": "cancel"}],
                }
            ],
            "script": "js_files/order.js#placeOrder",
        },
    ],
}

TRACK_SKILL = {
    "uuid": "9a77-track",
    "name": "Track order",
    "type": "dialog",
    "enabled": True,
    "intents": [
        {
            "key": "track_order",
            "name": "Track order",
            "training_data": ["where is my pizza", "track order 1234", "how long until delivery"],
        }
    ],
    "nodes": [
        {
            "uuid": "n-track",
            "name": "Lookup",
            "trigger": {"intent": "track_order"},
            "responses": [{"type": "text", "text": "Your order {{order_id}} arrives in about {{eta}} minutes."}],
            "webhook": {"url": "https://orders.example.com/api/track", "method": "GET"},
        }
    ],
}

FAQ_SKILL = {
    "uuid": "faq-hours",
    "name": "Opening hours",
    "type": "qna",
    "enabled": True,
    "questions": [
        {"id": 1, "question": "When are you open?", "answer": "Every day 11:00–23:00."},
        {"id": 2, "question": "Do you deliver on holidays?", "answer": "Yes, except on 25 December."},
    ],
}

ENTITIES = [
    {
        "name": "pizza_size",
        "type": "list",
        "values": [
            {"value": "small", "synonyms": ["piccola", "S"]},
            {"value": "medium", "synonyms": ["media", "M"]},
            {"value": "large", "synonyms": ["grande", "L", "family"]},
        ],
    },
    {
        "name": "topping",
        "type": "list",
        "values": [{"value": "olives", "synonyms": ["olive"]}, {"value": "mushrooms", "synonyms": ["funghi"]}],
    },
    {"name": "order_id", "type": "regex", "pattern": "\\b\\d{4,8}\\b"},
]

ORDER_JS = """// Custom script: hand the confirmed order to the shop's API.
function placeOrder(context) {
  const order = { size: context.slots.size, toppings: context.slots.toppings || [] };
  return Avaamo.http.post("https://orders.example.com/api/orders", order)
    .then(function (reply) { context.variables.order_id = reply.id; });
}
"""


def build(out: Path = OUT) -> Path:
    members = [
        ("manifest.json", json.dumps(MANIFEST, indent=2).encode()),
        ("agent.json", json.dumps(AGENT, indent=2, ensure_ascii=False).encode()),
        ("skills/", b""),
        ("skills/1_order_a_pizza/skill.json", json.dumps(ORDER_SKILL, indent=2, ensure_ascii=False).encode()),
        ("skills/2_track_order/skill.json", json.dumps(TRACK_SKILL, indent=2).encode()),
        ("skills/3_opening_hours/skill.json", json.dumps(FAQ_SKILL, indent=2, ensure_ascii=False).encode()),
        ("entities.json", json.dumps(ENTITIES, indent=2).encode()),
        ("js_files/order.js", ORDER_JS.encode()),
        ("assets/avatar.png", png()),
        ("assets/menu/margherita.png", png(32, 24)),
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = zipfile.ZIP_STORED if name.endswith((".png", "/")) else zipfile.ZIP_DEFLATED
            info.external_attr = ((0o40755 << 16) | 0x10) if name.endswith("/") else (0o644 << 16)
            archive.writestr(info, data)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
