"""filenames: stems that are portable (Linux, macOS, Windows), unique ignoring case,
deterministic, and stable: adding items renames no existing file."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit.tree import MAX_STEM, assign_stems, slug
from testing.profile import examples

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", "clock$"} | {
    f"{prefix}{number}" for prefix in ("com", "lpt") for number in "0123456789¹²³"
}
WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(code) for code in range(32)}
# Small alphabets make the collisions (case, reserved names, separators) that matter.
PIECES = [
    "a",
    "A",
    "b",
    "é",
    "e\u0301",
    "É",
    "ß",
    "ss",
    " ",
    ".",
    "-",
    "_",
    ":",
    "/",
    "*",
    "?",
    "con",
    "Nul",
    "COM1",
    "lpt¹",
    "日本",
    "🙂",
    "\t",
    "~",
    "İ",
    "K",
    "K",
]
names = st.one_of(
    st.text(), st.lists(st.sampled_from(PIECES), max_size=6).map("".join), st.text(min_size=55, max_size=300)
)


def portable(stem: str) -> bool:
    return (
        bool(stem)
        and re.fullmatch(r"[\w.\-~]+", stem) is not None
        and not WINDOWS_FORBIDDEN & set(stem)
        and stem[0] != "."  # hidden on Unix, and ignored by the tree reader
        and stem[-1] not in ". "  # Windows drops trailing dots and spaces
        and stem.partition(".")[0].casefold() not in WINDOWS_RESERVED
        and unicodedata.is_normalized("NFC", stem)
        and len((stem + "~" + "f" * 6 + ".yaml").encode("utf-8")) <= 255  # ext4, APFS, NTFS name limit
    )


@settings(max_examples=examples(1000), deadline=None)
@given(names)
def test_slug_is_portable_and_deterministic(name):
    stem = slug(name)
    assert portable(stem), stem
    assert len(stem) <= MAX_STEM + 1
    assert slug(name) == stem


@pytest.mark.parametrize(
    "name, stem",
    [
        ("Greeting", "Greeting"),
        ("General/FAQ: what*?", "General_FAQ_what"),
        ("  spaced  out  ", "spaced_out"),
        ("Überweisung ändern", "Überweisung_ändern"),
        ("U\u0308berweisung", "Überweisung"),  # decomposed (macOS) and composed give one name
        ("...", "_"),
        ("", "_"),
        ("con", "con_"),
        ("CON", "CON_"),
        ("nul.txt", "nul_.txt"),
        ("com1", "com1_"),
        ("LPT9", "LPT9_"),
        ("aux-help", "aux-help"),
        ("console", "console"),
        ("x" * 100, "x" * MAX_STEM),
    ],
)
def test_slug_examples(name, stem):
    assert slug(name) == stem


@settings(max_examples=examples(600), deadline=None)
@given(st.lists(names, max_size=12))
def test_stems_are_unique_ignoring_case_and_portable(items):
    keys = [f"node_{index}" for index in range(len(items))]  # titles may repeat, ids do not
    stems = assign_stems(items, keys)
    assert len(stems) == len(items)
    assert len({stem.casefold() for stem in stems}) == len(stems)
    assert all(portable(stem) for stem in stems), stems
    assert assign_stems(items, keys) == stems


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(names, max_size=10, unique=True), st.randoms(use_true_random=False))
def test_a_name_gets_the_same_stem_whatever_the_order(items, random):
    shuffled = list(items)
    random.shuffle(shuffled)
    assert dict(zip(shuffled, assign_stems(shuffled))) == dict(zip(items, assign_stems(items)))


def test_case_collisions_and_long_names_get_distinct_files():
    stems = assign_stems(["help", "Help", "HELP", "x" * 80 + "1", "x" * 80 + "2"])
    assert stems[0] == "help"
    assert re.fullmatch(r"Help~[0-9a-f]{6}", stems[1]) and re.fullmatch(r"HELP~[0-9a-f]{6}", stems[2])
    assert stems[3] == "x" * MAX_STEM and stems[4].startswith("x" * MAX_STEM + "~")
    assert len({s.casefold() for s in stems}) == 5


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(names, max_size=8, unique=True), st.lists(names, max_size=4, unique=True))
def test_adding_items_renames_no_existing_file(existing, added):
    """What a pull into an existing tree sees: `owner` tells which item holds each file."""
    added = [name for name in added if name not in existing]
    before = assign_stems(existing)
    holder = dict(zip(before, existing))
    after = assign_stems(existing + added, owner=lambda stem: holder.get(stem))
    assert after[: len(existing)] == before


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(names, max_size=8, unique=True), st.lists(names, max_size=4, unique=True))
def test_clean_names_keep_their_file_without_looking_at_the_tree(existing, added):
    """A name that is already a clean lower-case file name never loses its file, even
    when the tree is not consulted (a fresh pull on another machine)."""
    added = [name for name in added if name not in existing]
    before = assign_stems(existing)
    after = assign_stems(existing + added)
    for index, name in enumerate(existing):
        if slug(name) == name == name.casefold():
            assert after[index] == before[index] == name
