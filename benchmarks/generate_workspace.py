"""Write a synthetic Watson Assistant dialog skill of about 10 MB, the same bytes every run.

Why synthetic: the benchmark needs a skill as large as the vendor allows (2,000 intents,
3,000 dialog nodes), and third-party exports may not be copied into the project. The
content imitates real exports: examples with mentions, entities with synonyms and
patterns, a nested dialog tree with folders, frames, slots, event handlers, jumps,
`output.generic` responses, context, multi-line and non-ASCII texts, and awkward
strings (numbers, booleans, ': ', '#', leading spaces) that stress the YAML writer.

Usage: python benchmarks/generate_workspace.py [OUT_DIR_OR_FILE] [--seed N]
Example: python benchmarks/generate_workspace.py benchmarks/_work/
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent / "_work"
FILE_NAME = "synthetic-dialog.json"
SEED = 20261123
INTENTS = 2000
ENTITIES = 80
DIALOG_NODES = 3000
# Draws of a sentence for a new example, and the chance of keeping one another intent holds.
SHARED_DRAWS = 8
SHARED_KEPT = 0.01
# Spellings of each drawn sentence: the templates make ~100,000 distinct sentences, which a
# skill scaled 10x (bench_targets.py --growth) exhausts, so its examples stopped growing (a
# "100 MB" skill was 71 MB). Above 1, each example ends in one of VARIETY numbers.
VARIETY = 1

TOPICS = [
    "account",
    "card",
    "loan",
    "mortgage",
    "payment",
    "transfer",
    "statement",
    "password",
    "address",
    "branch",
    "appointment",
    "insurance",
    "claim",
    "order",
    "delivery",
    "refund",
    "invoice",
    "subscription",
    "plan",
    "device",
    "router",
    "roaming",
    "voucher",
    "booking",
    "flight",
    "baggage",
    "seat",
    "hotel",
    "prescription",
    "pharmacy",
    "warranty",
    "repair",
    "pension",
    "savings",
    "overdraft",
    "cheque",
    "pin",
    "statement copy",
    "direct debit",
    "standing order",
]
VERBS = [
    "open",
    "close",
    "cancel",
    "change",
    "update",
    "reset",
    "check",
    "pay",
    "renew",
    "block",
    "unblock",
    "activate",
    "track",
    "report",
    "dispute",
    "upgrade",
    "downgrade",
    "transfer",
    "book",
    "reschedule",
]
QUALIFIERS = [
    "my",
    "the",
    "a new",
    "our",
    "my old",
    "the joint",
    "my business",
    "the online",
    "my partner's",
    "this",
]
TAILS = [
    "",
    "",
    "",
    " please",
    " today",
    " right now",
    " from abroad",
    " online",
    " in the app",
    " before Friday",
    " for my daughter",
    " without fees",
    " asap",
    " on the website",
    " at the branch",
]
TEMPLATES = [
    "How do I {verb} {qual} {topic}{tail}?",
    "I want to {verb} {qual} {topic}{tail}",
    "Can you help me {verb} {qual} {topic}{tail}?",
    "need to {verb} {qual} {topic}{tail}",
    "is it possible to {verb} {qual} {topic}{tail}",
    "{verb} {topic}",
    "Where can I {verb} {qual} {topic}?",
    "what happens if I {verb} {qual} {topic}{tail}",
    "I'd like to {verb} {qual} {topic}, how?",
    "why can't I {verb} {qual} {topic}{tail}",
]
# Real users write in many languages and with emoji; the writer must keep them exact.
FOREIGN = [
    "Je voudrais {verb} ma carte, s'il vous plaît",
    "Ich möchte mein Konto ändern",
    "¿Cómo puedo pagar mi préstamo?",
    "カードを止めたいです",
    "我想查询我的账户余额",
    "Хочу закрыть счёт",
    "أريد تغيير كلمة المرور",
    "Θέλω να ακυρώσω",
    "kann ich das Überweisungslimit erhöhen",
    "Où est l'agence la plus proche ?",
    "préstamo hipotecario ñ",
    "help 🙏 my card is blocked",
    "thanks 👍",
    "crédit à la consommation — taux ?",
    "Zahlung über 1.000 €",
]
# Strings a naive YAML writer gets wrong: they must come back as the same text.
AWKWARD = [
    "yes",
    "No",
    "off",
    "null",
    "~",
    "true",
    "1.5",
    "007",
    "1e-05",
    "2021-03-04",
    "12:30",
    "- dash first",
    "#hashtag question",
    "key: value inside",
    "ends with colon:",
    " leading space",
    "trailing space ",
    "50% off?",
    "@mention me",
    "[bracketed]",
    "{braced}",
    'quote "inside"',
    "it's",
    "*starred*",
    "&anchor",
    "!tag",
    "|pipe",
    ">folded",
    "tab\tinside",
    "back\\slash",
    "?question first",
    "line\u2028separator",
]
FIRST_NAMES = ["Ana", "Bo", "Chen", "Dana", "Élodie", "Farid", "Grete", "Hiro", "Ines", "Jonas", "Kemal", "Léa"]


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.clock = 1_500_000_000_000  # milliseconds; node ids and timestamps derive from it
        self.example_owner: dict[str, str] = {}  # example as the classifier compares it -> its first intent

    def tick(self) -> int:
        self.clock += self.rng.randint(1_000, 5_000_000)
        return self.clock

    def timestamp(self) -> str:
        seconds, millis = divmod(self.tick(), 1000)
        # Formatted by hand so no time zone database or locale changes the bytes.
        days, rest = divmod(seconds, 86400)
        hour, rest = divmod(rest, 3600)
        minute, second = divmod(rest, 60)
        year, month, day = _civil_from_days(days)
        return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{millis:03d}Z"

    def audit(self) -> dict:
        created = self.timestamp()
        return {"created": created, "updated": self.timestamp() if self.rng.random() < 0.5 else created}

    def sentence(self, topic: str | None = None) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            return rng.choice(FOREIGN).replace("{verb}", rng.choice(VERBS))
        if roll < 0.06:
            return rng.choice(AWKWARD) + " " + rng.choice(TOPICS)
        text = rng.choice(TEMPLATES).format(
            verb=rng.choice(VERBS),
            qual=rng.choice(QUALIFIERS),
            topic=topic or rng.choice(TOPICS),
            tail=rng.choice(TAILS),
        )
        if rng.random() < 0.3:
            text = text.lower()
        return text

    # ---- intents -------------------------------------------------------------------------

    def intent_names(self) -> list[str]:
        names, seen = [], set()
        while len(names) < INTENTS:
            base = f"{self.rng.choice(TOPICS).title().replace(' ', '')}_{self.rng.choice(VERBS).title()}"
            name = f"{base}_{len(names):04d}" if self.rng.random() < 0.9 else f"{base}-{len(names)}"
            if name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        # Names that differ only by case, or hold characters no file system likes.
        names[10], names[11] = "Help", "help"
        # (Only characters the vendor accepts in a name: push refuses a skill the service would.)
        names[12], names[13], names[14] = "con", "General.FAQ..what.", "Überweisung_ändern"
        names[15] = "very_long_intent_name_" + "x" * 100
        return names

    @staticmethod
    def _example(text: str) -> str:
        """The service refuses a tab in examples and synonyms (validate's AG210): responses keep theirs."""
        return text.replace("\t", " ")

    def _new_example(self, intent: str, topic: str) -> str | None:
        """An example that another intent rarely holds too (None when none is found in a few draws).

        Real exports share few examples between intents (0.4 % of the examples of the 31
        dialog exports of the shared corpus; IBM's samples hold a handful): the drawn sentences
        collide far more often (35 % of the examples when taken as drawn), which made validate's
        AG502 report 38,000 findings no real skill has."""
        for _ in range(SHARED_DRAWS):
            text = self._example(self.sentence(topic))
            if VARIETY > 1:
                text = f"{text} {self.rng.randrange(VARIETY)}"
            key = " ".join(text.casefold().split())  # as validate's AG502 compares examples
            owner = self.example_owner.setdefault(key, intent)
            if owner == intent or self.rng.random() < SHARED_KEPT:
                return text
        return None

    def intent(self, name: str, entity_names: list[str]) -> dict:
        rng = self.rng
        topic = rng.choice(TOPICS)
        examples, seen = [], set()
        for _ in range(rng.randint(36, 76)):
            text = self._new_example(name, topic)
            if text is None or text.casefold() in seen:
                continue
            seen.add(text.casefold())
            example: dict = {"text": text}
            if rng.random() < 0.05 and len(text) > 8:
                start = rng.randint(0, len(text) - 5)
                example["mentions"] = [{"entity": rng.choice(entity_names), "location": [start, start + 4]}]
            if rng.random() < 0.04:
                example.update(self.audit())
            examples.append(example)
        intent = {"intent": name, "examples": examples, **self.audit()}
        if rng.random() < 0.6:
            intent["description"] = f"Users who want to {rng.choice(VERBS)} their {topic}."
        elif rng.random() < 0.3:
            intent["description"] = None
        return intent

    # ---- entities ------------------------------------------------------------------------

    def entity(self, name: str) -> dict:
        rng = self.rng
        values = []
        used = set()
        for index in range(rng.randint(25, 55)):
            value = f"{rng.choice(TOPICS)} {rng.choice(VERBS)} {index}" if rng.random() < 0.8 else rng.choice(FOREIGN)
            if value in used:
                continue
            used.add(value)
            if rng.random() < 0.08:
                item = {
                    "type": "patterns",
                    "value": value,
                    "patterns": [r"\b[A-Z]{2}\d{6}\b", r"(\d{3})-\d{4}"][: rng.randint(1, 2)],
                }
            else:
                synonyms = sorted(
                    {f"{value.split(' ')[0]} {rng.choice(TAILS).strip() or 'x'} {n}" for n in range(rng.randint(4, 16))}
                )
                if rng.random() < 0.1:
                    synonyms.append(self._example(rng.choice(AWKWARD)))
                item = {"type": "synonyms", "value": value, "synonyms": synonyms}
            if rng.random() < 0.1:
                item["metadata"] = {"code": rng.randint(1, 99999), "weight": round(rng.random(), 3)}
            if rng.random() < 0.3:
                item.update(self.audit())
            values.append(item)
        entity = {"entity": name, "values": values, "fuzzy_match": rng.random() < 0.7, **self.audit()}
        if rng.random() < 0.3:
            entity["description"] = f"Kinds of {rng.choice(TOPICS)}"
        return entity

    # ---- dialog --------------------------------------------------------------------------

    def node_id(self, kind: str = "node") -> str:
        return f"{kind}_{self.rng.randint(1, 99)}_{self.tick()}"

    def text_response(self) -> dict:
        rng = self.rng
        values = []
        for _ in range(rng.randint(2, 4)):
            roll = rng.random()
            if roll < 0.15:
                # Multi-line text, sometimes with a trailing newline or a blank line inside.
                lines = [self.sentence() for _ in range(rng.randint(2, 5))]
                text = "\n".join(lines) + rng.choice(["", "", "\n", "\n\n"])
                if rng.random() < 0.2:
                    text = text.replace("\n", "\n\n", 1)
            elif roll < 0.22:
                text = f"Hello {rng.choice(FIRST_NAMES)}, your balance is $balance € — <b>{rng.randint(1, 9999)}</b> : see #{rng.randint(1, 99)}"
            elif roll < 0.26:
                text = rng.choice(AWKWARD)
            else:
                text = self.sentence() + " " + self.sentence()
            values.append({"text": text})
        return {
            "values": values,
            "response_type": "text",
            "selection_policy": rng.choice(["sequential", "random", "multiline"]),
        }

    def generic(self) -> list:
        rng = self.rng
        responses = [self.text_response()]
        roll = rng.random()
        if roll < 0.15:
            responses.insert(0, {"time": rng.choice([500, 1000, 1500]), "typing": True, "response_type": "pause"})
        elif roll < 0.3:
            responses.append(
                {
                    "title": self.sentence(),
                    "options": [
                        {"label": label, "value": {"input": {"text": label.lower()}}}
                        for label in rng.sample(
                            ["Yes", "No", "Maybe later", "Talk to an agent", "Prüfen", "Annuler"], rng.randint(2, 4)
                        )
                    ],
                    "response_type": "option",
                    **({"description": "Pick one\nor type your answer"} if rng.random() < 0.3 else {}),
                }
            )
        elif roll < 0.36:
            responses.append(
                {
                    "title": "Map",
                    "source": f"https://example.com/img/{rng.randint(1, 999)}.png",
                    "response_type": "image",
                }
            )
        elif roll < 0.38:
            responses.append(
                {
                    "response_type": "connect_to_agent",
                    "message_to_human_agent": "Customer needs help:\n$summary",
                    "agent_available": {"message": "Connecting you now."},
                    "agent_unavailable": {"message": "Nobody is available; try again at 9:00."},
                }
            )
        return responses

    def context(self):
        rng = self.rng
        if rng.random() < 0.6:
            return None
        context = {}
        for _ in range(rng.randint(1, 4)):
            key = rng.choice(["counter", "topic", "flag", "amount", "items", "profile", "rate", "code"])
            context[key] = rng.choice(
                [
                    rng.randint(-5, 10**12),
                    round(rng.uniform(0, 1000), 2),
                    1e-05,
                    True,
                    False,
                    None,
                    "",
                    "<? input.text ?>",
                    "@sys-number",
                    f"$last_{key}",
                    [1, "two", None],
                    {"nested": {"deep": [rng.randint(0, 9)]}},
                    [],
                    {},
                    "0042",
                    "line one\nline two\n",
                ]
            )
        return context

    def node(self, kind: str, parent: str | None, previous: str | None, intent: str | None, entity: str | None) -> dict:
        rng = self.rng
        ident = self.node_id(
            {"slot": "slot", "event_handler": "handler", "response_condition": "response"}.get(kind, "node")
        )
        node: dict = {"type": kind, "dialog_node": ident, "parent": parent, "previous_sibling": previous}
        if kind in ("standard", "frame"):
            node["conditions"] = (
                f"#{intent}"
                if intent and rng.random() < 0.8
                else rng.choice(
                    [
                        "anything_else",
                        "welcome",
                        f"@{entity}",
                        f"#{intent} && @{entity}",
                        "$counter > 3",
                        "true",
                        "input.text.length() > 140",
                    ]
                )
            )
            node["output"] = {"generic": self.generic()}
            if rng.random() < 0.45:
                title = f"{intent or 'Node'} {rng.choice(VERBS)}" if rng.random() < 0.8 else rng.choice(FOREIGN)
                node["title"] = title
            if kind == "frame":
                node["metadata"] = {"_customization": {"mcr": True}}
                node["digress_out_slots"] = rng.choice(["allow_all", "not_allowed", "allow_returning"])
            else:
                node["metadata"] = {}
            node["digress_in"] = rng.choice(["does_not_return", "returns", "not_available"])
            if rng.random() < 0.3:
                node["user_label"] = f"About {rng.choice(TOPICS)}"
        elif kind == "response_condition":
            node["conditions"] = rng.choice([f"@{entity}:x", "$flag", "true", "$amount > 100"])
            node["output"] = {"generic": [self.text_response()]}
        elif kind == "slot":
            node["variable"] = f"${rng.choice(['amount', 'date', 'account', 'email', 'zip'])}_{rng.randint(1, 999)}"
            node["output"] = {}
        elif kind == "event_handler":
            node["event_name"] = rng.choice(["focus", "input", "filled", "nomatch"])
            node["conditions"] = rng.choice([f"@{entity}", "$zip_len != 5", None])
            node["output"] = {"text": {"values": [self.sentence()], "selection_policy": "sequential"}}
            if rng.random() < 0.3:
                node["next_step"] = {"behavior": "reprompt"}
        elif kind == "folder":
            node["title"] = (
                rng.choice(["General", "FAQ", "Billing", "Small talk", "Außer Betrieb", "Cases / Misc"])
                + f" {rng.randint(1, 99)}"
            )
            node["conditions"] = rng.choice([None, "$enabled"])
        context = self.context() if kind != "folder" else None
        if context is not None:
            node["context"] = context
        if rng.random() < 0.5:
            node.update(self.audit())
        return node

    def dialog(self, intents: list[str], entities: list[str]) -> list:
        """A tree built depth-first: folders, frames and intent nodes at the root, up to five levels below."""
        nodes: list[dict] = []
        rng = self.rng

        def add_children(parent: str | None, count: int, depth: int) -> None:
            previous = None
            for _ in range(count):
                if len(nodes) >= DIALOG_NODES:
                    return
                if parent is None:
                    kind = "folder" if rng.random() < 0.05 else ("frame" if rng.random() < 0.06 else "standard")
                elif depth >= 4:
                    kind = "response_condition"
                else:
                    kind = rng.choice(
                        ["standard", "standard", "standard", "response_condition", "response_condition", "frame"]
                    )
                node = self.node(kind, parent, previous, rng.choice(intents), rng.choice(entities))
                nodes.append(node)
                previous = node["dialog_node"]
                if kind == "frame" and len(nodes) + 12 < DIALOG_NODES:
                    add_slots(previous)
                elif kind == "folder":
                    add_children(previous, rng.randint(4, 12), depth + 1)
                elif depth < 4 and rng.random() < 0.35:
                    add_children(previous, rng.randint(1, 4), depth + 1)

        def add_slots(frame: str) -> None:
            previous = None
            for _ in range(rng.randint(1, 3)):
                slot = self.node("slot", frame, previous, None, rng.choice(entities))
                nodes.append(slot)
                previous = slot["dialog_node"]
                handler_previous = None
                for _ in range(rng.randint(0, 2)):
                    handler = self.node(
                        "event_handler", slot["dialog_node"], handler_previous, None, rng.choice(entities)
                    )
                    nodes.append(handler)
                    handler_previous = handler["dialog_node"]
            handler = self.node("event_handler", frame, previous, None, rng.choice(entities))
            nodes.append(handler)

        last_root = None
        while len(nodes) < DIALOG_NODES:
            before = len(nodes)
            add_children(None, 1, 0)
            # Continue the root chain after the last root node.
            nodes[before]["previous_sibling"] = last_root
            last_root = nodes[before]["dialog_node"]
        # A few jumps to nodes earlier in the tree, as real skills have.
        standard = [n for n in nodes if n["type"] == "standard"]
        for node in rng.sample(standard, min(60, len(standard))):
            target = rng.choice(standard)
            if target is not node:
                node["next_step"] = {
                    "behavior": "jump_to",
                    "selector": rng.choice(["condition", "body", "user_input"]),
                    "dialog_node": target["dialog_node"],
                }
        # Same titles, differing only by case, and a reserved device name.
        titled = [n for n in standard if "title" in n]
        titled[0]["title"], titled[1]["title"], titled[2]["title"] = "Welcome", "welcome", "aux"
        # Exports list nodes in no useful order.
        rng.shuffle(nodes)
        return nodes

    def workspace(self) -> dict:
        rng = self.rng
        entity_names = [f"{rng.choice(TOPICS).replace(' ', '_')}_{index:02d}" for index in range(ENTITIES - 4)]
        entity_names += ["sys-number", "sys-date", "Währung", "Currency"]
        intent_names = self.intent_names()
        intents = [self.intent(name, entity_names) for name in intent_names]
        entities = [
            self.entity(name) if not name.startswith("sys-") else {"entity": name, "values": []}
            for name in entity_names
        ]
        nodes = self.dialog(intent_names, entity_names)
        counterexamples = [{"text": self._example(self.sentence("weather"))} for _ in range(150)]
        counterexamples = list({c["text"]: c for c in counterexamples}.values())
        return {
            "name": "Synthetic benchmark skill",
            "description": "Generated by benchmarks/generate_workspace.py; not a real assistant.",
            "language": "en",
            "intents": intents,
            "entities": entities,
            "dialog_nodes": nodes,
            "counterexamples": counterexamples,
            "webhooks": [
                {
                    "url": "https://example.com/hook",
                    "name": "main_webhook",
                    "headers": [{"name": "Authorization", "value": "$webhook_token"}],
                }
            ],
            "metadata": {"api_version": {"major_version": "v1", "minor_version": "2021-11-27"}},
            "system_settings": {
                "tooling": {"store_generic_responses": True},
                "disambiguation": {
                    "prompt": "Did you mean:",
                    "enabled": True,
                    "randomize": True,
                    "max_suggestions": 5,
                    "suggestion_text_policy": "title",
                    "none_of_the_above_prompt": "None of the above",
                },
                "human_agent_assist": {"prompt": "Did you mean:"},
                "intent_classification": {"training_backend_version": "v2"},
                "spelling_auto_correct": True,
                "off_topic": {"enabled": True},
                "system_entities": {"enabled": True},
            },
            "learning_opt_out": True,
            "workspace_id": "00000000-1111-2222-3333-444444444444",
            "status": "Available",
            **self.audit(),
        }


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm)."""
    days += 719468
    era = days // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def generate(out: Path | str = DEFAULT_DIR, seed: int = SEED) -> Path:
    """Write the export and return its path (OUT may be a folder or a .json file)."""
    out = Path(out)
    path = out if out.suffix == ".json" else out / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    data = Generator(seed).workspace()
    # One line, as the API returns it; the pushed file must stay under the 10 MB upload limit.
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "out", nargs="?", default=str(DEFAULT_DIR), help="folder (or .json file) to write; default benchmarks/_work/"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    path = generate(args.out, args.seed)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
