"""File names for items, readable and safe on Linux, macOS and Windows.

A file name never carries data (each file holds its item's full name), so the only
duties here are: readable, portable, deterministic, and stable (an item keeps its
file name as long as its own name does not change, whatever else is added).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_STEM = 60
# Names Windows reserves for devices, whatever the extension.
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", "clock$"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)}
_UNSAFE_RUN = re.compile(r"[^\w.\-]+")
_EDGE = re.compile(r"^[._\-]+|[._\-]+$")


def slug(name: str) -> str:
    """A portable file stem for a name: word characters, '.', '-', and '_' for the rest."""
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE_RUN.sub("_", text)
    text = _EDGE.sub("", text)
    if len(text) > MAX_STEM:
        text = _EDGE.sub("", text[:MAX_STEM])
    if not text:
        return "_"
    if text.split(".")[0].casefold() in _WINDOWS_RESERVED:
        text += "_"
    return text


def short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def assign_stems(names: list[str]) -> list[str]:
    """Give each name a file stem, unique even on case-insensitive file systems.

    Names that share a stem (ignoring case) form a group. The name that is exactly
    its stem keeps the plain stem, or else the smallest name of the group does; the
    others get `stem~hash`, where the hash is of their own full name. Adding an item
    thus never renames the file of an item whose name is already a clean file name.
    """
    stems = [slug(name) for name in names]
    groups: dict[str, list[int]] = {}
    for index, stem in enumerate(stems):
        groups.setdefault(stem.casefold(), []).append(index)
    result = list(stems)
    taken = {key for key, members in groups.items() if len(members) == 1}
    for key, members in groups.items():
        if len(members) == 1:
            continue
        members.sort(key=lambda i: (names[i] != stems[i], names[i]))
        taken.add(key)
        for index in members[1:]:
            length = 6
            while True:
                candidate = f"{stems[index]}~{short_hash(names[index], length)}"
                if candidate.casefold() not in taken:
                    break
                length += 2
                if length > 40:  # the same name twice: number it
                    candidate = f"{stems[index]}~{short_hash(names[index])}~{len(taken)}"
                    break
            taken.add(candidate.casefold())
            result[index] = candidate
    return result
