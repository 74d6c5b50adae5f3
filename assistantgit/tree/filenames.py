"""File names for items, readable and safe on Linux, macOS and Windows.

A file name never carries data (each file holds its item's full name), so the only
duties here are: readable, portable, deterministic, and stable (an item keeps its
file name as long as its own name does not change, whatever else is added).
"""

from __future__ import annotations

import re
import unicodedata

MAX_STEM = 60
# Names Windows reserves for devices, whatever the extension; COM¹-COM³ and LPT¹-LPT³
# too, as slug keeps superscript digits (they are \w).
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", "clock$"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in "0123456789¹²³"
}
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
    head, dot, tail = text.partition(".")
    if head.casefold() in _WINDOWS_RESERVED:  # Windows reserves `CON.txt` too: mark the part before the dot
        text = f"{head}_{dot}{tail}"
    return text


def short_hash(text: str, length: int = 6) -> str:
    import hashlib  # here: most pulls name no file by hash, and hashlib costs a few ms to import

    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def _plainness(name: str, stem: str) -> int:
    if name == stem:
        return 0 if stem == stem.casefold() else 1
    return 2


def assign_stems(names: list[str], keys: list[str] | None = None, owner=None) -> list[str]:
    """Give each name a file stem, unique even on case-insensitive file systems.

    Names that share a stem (ignoring case) form a group. One member keeps the plain
    stem; the others get `stem~hash`, where the hash is of their own key (`keys`, by
    default the name itself; a dialog node's id when its title is the name), so their
    file names never depend on the rest of the group.

    The plain stem goes, in this order of preference, to: the item that already has
    that file (`owner(stem)` gives the key of the item a file of that exact stem holds
    now, "" when it cannot tell, None when there is no such file: a pull into an
    existing tree), a name that is exactly its stem in lower case, a name that is
    exactly its stem, the smallest name and key. So adding an item renames no file.
    """
    keys = names if keys is None else keys
    stems = [slug(name) for name in names]
    groups: dict[str, list[int]] = {}
    for index, stem in enumerate(stems):
        groups.setdefault(stem.casefold(), []).append(index)
    result = list(stems)
    taken = {key for key, members in groups.items() if len(members) == 1}

    def holder_rank(index: int) -> int:
        held_by = owner(stems[index]) if owner is not None else None
        return 0 if held_by == keys[index] else 1 if held_by == "" else 2

    for key, members in groups.items():
        if len(members) == 1:
            continue
        members.sort(key=lambda i: (holder_rank(i), _plainness(names[i], stems[i]), names[i], keys[i]))
        taken.add(key)
        for index in members[1:]:
            length = 6
            while True:
                candidate = f"{stems[index]}~{short_hash(keys[index], length)}"
                if candidate.casefold() not in taken:
                    break
                length += 2
                if length > 40:  # the same key twice: number it
                    candidate = f"{stems[index]}~{short_hash(keys[index])}~{len(taken)}"
                    break
            taken.add(candidate.casefold())
            result[index] = candidate
    return result
