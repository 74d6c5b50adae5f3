"""Reading and fast-parsing a tree's canonical YAML files in two processes: push's first read
of a tree folder, and a whole-tree validate's without a parse cache (a CI job's checkout).

Reading and parsing the 17,000 files of a 10 MB tree is half a second of pure Python, most
of a first push (issue 14). A forked child (assistantgit/forked.py) reads and parses from
the first file on and sends each batch's data back; the parent does the same from the last
file back until the two meet, then takes the child's answers (forked.meet). Not while every
core already runs another task (forked.room_for_child): the child's start would then be paid
for nothing (measured: slower in median).

Only the canonical files read without a fault are done here (read_text + canonical.fast_loads);
any other file (not canonical, unreadable, a link, ...) is left to the caller, which reads
every file not done the general way, in path order, so the first error is the one a run in
one process reports, with the same text. An answer of the child that is not what was asked
(another batch, a value the YAML reader never makes) ends the child: the parent does the rest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .. import canonical, forked
from .files import read_text

# Fewer files than this are read in one process: forking and the child's first pages of
# memory cost about as much as parsing these (the stress tree's files, best of 15, load 1.3:
# 300 files 9.2 ms in one process, 9.9 ms in two; 500: 15.8, 15.0; 1000: 35.0, 27.2).
MIN_FILES = 500
_BATCH = 32  # files the child parses between two answers (a few ms; at most this is wasted at the meeting)
_POLL = 4  # files the parent parses between two looks at the pipe, so that answers never pile up
_SCALARS = frozenset((str, int, float, bool, type(None)))


def read_canonical(paths: Sequence[str], texts: bool = False) -> dict:
    """{path: data} of the files whose text is canonical YAML and reads without a fault, parsed
    in two processes when that can help (forked.usable, room_for_child, MIN_FILES); {} otherwise.
    With `texts`, {path: (text, data)}: validate keeps each file's text (AG701 compares it)."""
    if len(paths) < MIN_FILES or not forked.usable() or not forked.room_for_child():
        return {}
    try:
        ahead = forked.Ahead(lambda: _batches(paths, texts))
    except OSError:  # no process or pipe to spare (EAGAIN, EMFILE): read in one process
        return {}
    done: dict = {}
    try:
        _meet(ahead, paths, done, texts)
    finally:
        ahead.close()  # the child is killed (it may be parsing files the parent has done) and reaped
    return done


def _meet(ahead: forked.Ahead, paths: Sequence[str], done: dict, texts: bool) -> None:
    """The child's answers for the first files, the parent's own for the last (forked.meet)."""

    def own(index: int) -> None:
        read = _fast(paths[index], texts)
        if read is not _UNDONE:
            done[paths[index]] = read

    def take(index: int, answer) -> bool:
        if answer is None:  # left to the caller's general read
            return True
        if not _well_formed(answer, texts):
            return False
        done[paths[index]] = answer if texts else answer[0]
        return True

    forked.meet(ahead, len(paths), _BATCH, own, take, _POLL)


class _Undone:
    """A file left to the caller's general read."""


_UNDONE = _Undone()


def _fast(path: str, texts: bool = False):
    """The file's data (with `texts`, (text, data)) when its text is canonical and reads
    without a fault, else _UNDONE."""
    try:
        text = read_text(path)
        data = canonical.fast_loads(text)
    except Exception:  # the caller reads it again the general way, and meets the same fault there
        return _UNDONE
    return (text, data) if texts else data


def _batches(paths: Sequence[str], texts: bool = False) -> Iterator[tuple[int, list]]:
    """The child's work: (first index, [(data,) (with `texts`, (text, data)) or None for each
    file of the batch])."""
    for first in range(0, len(paths), _BATCH):
        answers = []
        for path in paths[first : first + _BATCH]:
            read = _fast(path, texts)
            answers.append(None if read is _UNDONE else read if texts else (read,))
        yield first, answers


def _well_formed(answer, texts: bool) -> bool:
    """Whether an answer of the child for a file is ([text,] data), holding only what the YAML
    reader makes."""
    try:
        return (
            type(answer) is tuple
            and len(answer) == (2 if texts else 1)
            and (not texts or type(answer[0]) is str)
            and _yaml(answer[-1])
        )
    except RecursionError:
        return False


def _yaml(value) -> bool:
    """Whether a value holds only what the YAML reader makes: dict (of str keys), list, str,
    int, float, bool, None."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) is not str and not _yaml(item)):
                return False
        return True
    if kind is list:
        for item in value:  # noqa: SIM110  (a loop, not all(): no generator made per list)
            if type(item) is not str and not _yaml(item):
                return False
        return True
    return kind in _SCALARS
