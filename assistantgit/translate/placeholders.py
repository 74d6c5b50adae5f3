"""Placeholders: the parts of a text that the assistant fills in or evaluates at run time.

`$var` (a context variable), `@entity` / `@entity:value`, `<? expression ?>`, `${...}`
and `{{...}}` (a variable of an actions response, see units.concat_text) must reach the
translation unchanged, in any order: a translator who writes `$nom` for `$name` leaves
the French user with an empty gap. Everything between placeholders is text to translate.
"""

from __future__ import annotations

import re
from collections import Counter

PLACEHOLDER = re.compile(
    r"<\?.*?\?>"  # <? expression ?>
    r"|\{\{.*?\}\}"  # {{variable}} (actions responses)
    r"|\$\{[^}]*\}"  # ${variable}
    r"|\$[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"  # $var, $var.field
    # @entity, @entity:value, @entity:(a value): not the @ of an e-mail address
    r"|(?<![A-Za-z0-9_.@])@[A-Za-z0-9_][A-Za-z0-9_-]*(?::(?:\([^)]*\)|[A-Za-z0-9_-]+))?",
    re.DOTALL,
)


def split(text: str) -> list[tuple[bool, str]]:
    """The text as runs of (is_placeholder, run), in order; runs joined give the text back."""
    runs, start = [], 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > start:
            runs.append((False, text[start : match.start()]))
        runs.append((True, match.group()))
        start = match.end()
    if start < len(text):
        runs.append((False, text[start:]))
    return runs


def placeholders(text: str) -> Counter:
    """Each placeholder of the text, with how many times it occurs."""
    if not _MAY_START.search(text):  # most texts: words only
        return Counter()
    return Counter(match.group() for match in PLACEHOLDER.finditer(text))


_MAY_START = re.compile(r"[$@{]|<\?")


def mismatch(source: str, target: str) -> tuple[list[str], list[str]]:
    """(placeholders of the source missing from the target, placeholders the source does not have)."""
    wanted, found = placeholders(source), placeholders(target)
    return sorted((wanted - found).elements()), sorted((found - wanted).elements())


def pseudo(text: str) -> str:
    """A pseudo-translation: every run of text reversed, placeholders kept where they are.

    Used by tests and by `translate export --pseudo` to show, before any translator is
    paid, which strings of a skill reach the export and that the round trip keeps
    everything else.
    """
    return "".join(run if is_placeholder else _reversed(run) for is_placeholder, run in split(text))


def _reversed(run: str) -> str:
    """The run's words reversed; the spaces and punctuation around them stay in place, so a
    placeholder never runs into a letter (`$name, hi` becomes `$name, ih`, not `$nameih ,`)."""
    match = _WORDS.search(run)
    if match is None:
        return run
    return run[: match.start()] + match.group()[::-1] + run[match.end() :]


_WORDS = re.compile(r"\w(?:.*\w)?", re.DOTALL)
