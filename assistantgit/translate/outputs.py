"""The strings of responses: dialog node outputs, action step outputs, skill settings.

A response is a `generic` item with a `response_type`; each type shows users a few known
fields (a text's values, an option list's title and labels, an image's title...). The
old dialog form `output.text` (a text, a list, or `{values: [...]}`) is read too.
Actions write a text as `text_expression.concat`, scalars between variables: a
translator sees it as one sentence, each variable as a `{{name}}` placeholder (see
concat_text), so the sentence can be reordered around it.
"""

from __future__ import annotations

import re
from typing import Any

from .location import CONCAT, TEXT, Location, one_line, translatable

# response_type -> fields of the response shown to users, with a note for the translator
RESPONSE_FIELDS = {
    "option": (("title", "title of an option list"), ("description", "description of an option list")),
    "image": (("title", "image title"), ("description", "image description"), ("alt_text", "image alternative text")),
    "video": (("title", "video title"), ("description", "video description"), ("alt_text", "video alternative text")),
    "audio": (("title", "audio title"), ("description", "audio description"), ("alt_text", "audio alternative text")),
    "iframe": (("title", "embedded page title"), ("description", "embedded page description")),
    "suggestion": (("title", "title of a suggestion list"),),
    "channel_transfer": (("message_to_user", "message shown before a transfer to another channel"),),
}
AGENT_FIELDS = (
    (("message_to_human_agent",), "message shown to the human agent who takes over"),
    (("agent_available", "message"), "message when an agent is available"),
    (("agent_unavailable", "message"), "message when no agent is available"),
)
_TOKEN = re.compile(r"\{\{.*?\}\}", re.DOTALL)


class Collector:
    """Gathers an item's locations; `what` names the item in notes."""

    def __init__(self, rel: str, item: str, what: str | None = None):
        self.rel, self.item = rel, item
        self.found: list = []
        kind = item.rpartition("/")[2].partition(":")[0]
        self.what = what or kind.replace("_", " ")

    def add(self, path: tuple, key: str, text, note: str, how: str = TEXT, group: str | None = None) -> None:
        """Record a string (nothing when there is nothing to translate); `group` names its set."""
        if translatable(text):
            self.found.append(
                Location(
                    f"{self.item}:{one_line(key)}",
                    self.item,
                    text,
                    f"{self.what}: {note}",
                    self.rel,
                    path,
                    how,
                    f"{self.item}:{one_line(group)}" if group is not None else "",
                )
            )


def output_texts(collector: Collector, output, path: tuple, key: str, where: str = "") -> None:
    """The texts of a dialog node's or step's `output`."""
    if not isinstance(output, dict):
        return
    text = output.get("text")
    if isinstance(text, str):
        collector.add(path + ("text",), f"{key}.text", text, f"{where}response text")
    elif isinstance(text, list):
        for index, value in enumerate(text):
            collector.add(
                path + ("text", index), f"{key}.text[{index}]", value, f"{where}response text (one variation)"
            )
    elif isinstance(text, dict) and isinstance(text.get("values"), list):
        for index, value in enumerate(text["values"]):
            collector.add(
                path + ("text", "values", index),
                f"{key}.text.values[{index}]",
                value,
                f"{where}response text (one variation)",
            )
    generic = output.get("generic")
    if isinstance(generic, list):
        responses(collector, generic, path + ("generic",), f"{key}.generic", where)


def responses(collector: Collector, generic: list, path: tuple, key: str, where: str = "") -> None:
    """The texts of a `generic` list of responses."""
    for index, response in enumerate(generic):
        if not isinstance(response, dict):
            continue
        here, at = path + (index,), f"{key}[{index}]"
        kind = response.get("response_type")
        if kind == "text":
            _text_response(collector, response, here, at, where)
        elif kind == "connect_to_agent":
            agent_messages(collector, response, here, at, where)
        for field, note in RESPONSE_FIELDS.get(str(kind), ()):
            collector.add(here + (field,), f"{at}.{field}", response.get(field), where + note)
        options = response.get("options") if kind == "option" else None
        for position, option in enumerate(options if isinstance(options, list) else ()):
            if not isinstance(option, dict):
                continue
            collector.add(
                here + ("options", position, "label"),
                f"{at}.options[{position}].label",
                option.get("label"),
                where + "label of an option (a button or list entry)",
            )
            value = option.get("value")
            sent = value.get("input") if isinstance(value, dict) else None
            if isinstance(sent, dict):
                collector.add(
                    here + ("options", position, "value", "input", "text"),
                    f"{at}.options[{position}].value.input.text",
                    sent.get("text"),
                    where + "text sent as the user's message when the option is chosen",
                )


def _text_response(collector: Collector, response: dict, path: tuple, key: str, where: str) -> None:
    collector.add(path + ("text",), f"{key}.text", response.get("text"), where + "response text")
    values = response.get("values")
    variation = " (one variation)" if isinstance(values, list) and len(values) > 1 else ""
    for index, value in enumerate(values if isinstance(values, list) else ()):
        if not isinstance(value, dict):
            continue
        collector.add(
            path + ("values", index, "text"),
            f"{key}.values[{index}].text",
            value.get("text"),
            f"{where}response text{variation}",
        )
        expression = value.get("text_expression")
        if isinstance(expression, dict) and isinstance(expression.get("concat"), list):
            collector.add(
                path + ("values", index, "text_expression"),
                f"{key}.values[{index}].text_expression",
                concat_text(expression["concat"]),
                f"{where}response text{variation}",
                CONCAT,
            )


def agent_messages(collector: Collector, response, path: tuple, key: str, where: str = "") -> None:
    """The messages of a hand-off to a human agent (a response, or an action step's resolver)."""
    if not isinstance(response, dict):
        return
    for steps, note in AGENT_FIELDS:
        holder: Any = response
        for step in steps[:-1]:
            holder = holder.get(step) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            collector.add(path + steps, key + "." + ".".join(steps), holder.get(steps[-1]), where + note)


def settings_texts(collector: Collector, data) -> None:
    """The skill's name and description, and the prompts of its settings (disambiguation, topic switch)."""
    if not isinstance(data, dict):
        return
    collector.what = "skill"
    for part in ("workspace", "envelope"):
        holder = data.get(part)
        if not isinstance(holder, dict):
            continue
        collector.add((part, "name"), f"{part}.name", holder.get("name"), "skill name, shown in the assistant builder")
        collector.add(
            (part, "description"),
            f"{part}.description",
            holder.get("description"),
            "skill description, shown in the assistant builder",
        )
        settings = holder.get("system_settings")
        if isinstance(settings, dict):
            _prompts(collector, settings, (part, "system_settings"), f"{part}.system_settings")


def _prompts(collector: Collector, settings: dict, path: tuple, key: str) -> None:
    for name, value in settings.items():
        here, at = path + (name,), f"{key}.{name}"
        if isinstance(value, str) and name.endswith("prompt"):
            collector.add(here, at, value, f"setting {at.split('system_settings.', 1)[-1]}")
        elif isinstance(value, dict):
            if isinstance(value.get("generic"), list):
                responses(collector, value["generic"], here + ("generic",), f"{at}.generic", f"setting {name}: ")
            if isinstance(value.get("text"), str):
                collector.add(here + ("text",), f"{at}.text", value["text"], f"setting {name}")
            _prompts(collector, value, here, at)


# --- actions texts: scalars and variables ----------------------------------------------------------


def _part_label(part) -> str:
    if isinstance(part, dict):
        for field in ("variable", "skill_variable", "system_variable", "expression"):
            if isinstance(part.get(field), str):
                label = part[field] + (
                    f".{part['variable_path']}" if isinstance(part.get("variable_path"), str) else ""
                )
                return label.replace("}", ")")
    return "value"


def concat_tokens(parts: list) -> list[tuple[str | None, object]]:
    """Each part as (its {{token}}, part), scalars as (None, text); tokens unique within the text."""
    tokens: list[tuple[str | None, object]] = []
    seen: dict = {}
    for part in parts:
        if isinstance(part, dict) and set(part) == {"scalar"} and isinstance(part["scalar"], str):
            tokens.append((None, part["scalar"]))
            continue
        label = _part_label(part)
        token = "{{" + label + "}}"
        number = 1
        while token in seen and seen[token] != part:
            number += 1
            token = "{{" + f"{label}#{number}" + "}}"
        seen[token] = part
        tokens.append((token, part))
    return tokens


def concat_text(parts: list) -> str:
    """An actions text as one string, each variable a {{token}}."""
    return "".join(token if token is not None else str(part) for token, part in concat_tokens(parts))


def concat_parts(source_parts: list, translation: str) -> list:
    """The concat list for a translation of concat_text(source_parts); unknown tokens stay text."""
    known = {token: part for token, part in concat_tokens(source_parts) if token is not None}
    parts: list = []
    start = 0
    for match in _TOKEN.finditer(translation):
        if match.group() not in known:
            continue
        if match.start() > start:
            parts.append({"scalar": translation[start : match.start()]})
        parts.append(known[match.group()])
        start = match.end()
    if start < len(translation):
        parts.append({"scalar": translation[start:]})
    return parts
