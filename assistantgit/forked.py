"""Work started in a forked child, whose answers the caller takes as they come.

Counting the JSON size of a tree's files for AG601 (validate/rules/size.py), or parsing
them when no cache holds their data (push, a whole-tree validate: tree/fastread.py), is pure
Python, so a thread would not overlap it with the caller's work; a forked child does, on a
second core, and hands back its answers (marshal) through a pipe as it goes.

Only where that is safe and can help (`usable`): Linux (elsewhere fork is missing, or unsafe
without exec once system libraries are loaded), two usable cores or more, no other thread
in the process. A busy machine is no reason not to fork for AG601's count: the scheduler
shares it by thread, so two threads get more of it than one (measured on a loaded machine:
best and median both lower with the child). The parse, whose child's start is a large part
of its work, does not fork while every core runs another task (`room_for_child`). Anywhere
else, and whenever an answer is missing or not what was asked, the caller computes it
itself: the child can only save time, never change a result.

The child never returns into the caller's code (whatever happens it leaves by os._exit,
writing nothing but its answer, flushing no buffer of the parent's), takes Ctrl-C as a
plain process does (it dies), and dies with its parent (PR_SET_PDEATHSIG); the parent
kills and reaps it when the run ends, whether it used the answer or not.
"""

from __future__ import annotations

import marshal
import os
import signal
import struct
import sys
from collections.abc import Callable, Iterable
from typing import Any

# Set to anything to compute everything in the one process (tests, or a machine where forking misbehaves).
NO_FORK = "ASSISTANTGIT_NO_FORK"
_PR_SET_PDEATHSIG = 1
_LOADAVG = "/proc/loadavg"
_HEAD = struct.Struct(">I")  # each item the child sends: its length, then its marshal bytes


def usable() -> bool:
    """Whether work may go to a forked child here."""
    if os.environ.get(NO_FORK) or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return False
    if cores < 2:
        return False  # one core: the child would only take turns with the parent
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1  # fork copies only the calling thread


def room_for_child() -> bool:
    """Whether a child would get a core's share worth its start: no more tasks running on the
    machine (this one included, /proc/loadavg's fourth field) than it has cores. Measured on
    2 cores, push of a 10 MB tree, forked vs one process, median of 6: beside one busy task
    1.84 vs 1.93 s, beside two 3.46 vs 2.75 s (the child then shares a core with a busy task
    and its start, pages copied on write, is paid for nothing). True when it cannot be read."""
    try:
        with open(_LOADAVG, "rb") as loadavg:
            running = int(loadavg.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return True
    return running <= (os.cpu_count() or 1)


class Ahead:
    """`produce()` running in a child from now on; each item it yields comes back, in order,
    from `ready()`."""

    def __init__(self, produce: Callable[[], Iterable[Any]]):
        parent = os.getpid()
        read, write = os.pipe()
        # Ctrl-C is held back while forking: the child must never raise KeyboardInterrupt in
        # the caller's code before it has taken the default action (die) for it.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pid = os.fork()
            if pid == 0:
                _child(produce, read, write, parent, held)  # never returns
        except BaseException:
            os.close(read)
            os.close(write)
            raise
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(write)
        os.set_blocking(read, False)
        self.pid: int | None = pid
        self.fd: int | None = read
        self.received = bytearray()  # what the child sent, not taken by `ready` yet
        self.framed = 0  # received[:framed] is cut into items already

    def ready(self) -> list:
        """The items the child has sent since the last call, without waiting ([] once it is done)."""
        items: list = []
        for start, end in self.ready_spans():
            item = unread(self.received[start:end])
            if item is _NOT_READ:
                self.close()  # not what a child of ours writes: nothing more is taken from it
                break
            items.append(item)
        del self.received[: self.framed]  # (taken: what follows is an item not all sent yet)
        self.framed = 0
        return items

    def ready_spans(self) -> list[tuple[int, int]]:
        """As `ready`, each item as the (start, end) of its bytes in `self.received` (`unread`
        makes the item): the caller makes its items when it chooses (see `meet`). `received`
        is one buffer, which the C library keeps apart from the small blocks data lives in
        once it is large, and returns whole when it is dropped."""
        self.received += self._received()
        spans, received = [], self.received
        while len(received) - self.framed >= _HEAD.size:
            (length,) = _HEAD.unpack_from(received, self.framed)
            start = self.framed + _HEAD.size
            if len(received) < start + length:
                break
            spans.append((start, start + length))
            self.framed = start + length
        return spans

    def _received(self) -> bytes:
        """What the pipe holds now ([] once the child is done: then it is closed and reaped)."""
        if self.fd is None:
            return b""
        chunks = []
        while True:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:  # the child is done
                self.close()
                break
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        """Stop the child if it still runs and reap it; nothing more is read from it."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid is not None:
            pid, self.pid = self.pid, None
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass  # SIGCHLD ignored by the embedding program: the kernel reaped it


_NOT_READ = object()


def unread(payload) -> Any:
    """The item the child sent as `payload` (a span of Ahead.received), or _NOT_READ for
    bytes that are not an item (not what a child of ours writes)."""
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return _NOT_READ


def meet(
    ahead: Ahead, count: int, batch: int, own: Callable[[int], None], take: Callable[[int, Any], bool], poll: int = 1
) -> None:
    """Items 0 .. count-1 shared with the child `ahead` runs, which sends (first index, [an
    answer per item]) for batches of `batch` items from the first on: the caller does `own(index)`
    from the last item back, `poll` items between two looks at the pipe, until the two meet.
    Neither waits for the other: whatever share of the machine each gets, the work is done once.

    Then the child's answers are given to `take(index, answer)` in order, up to where the
    caller's share began; an answer `take` refuses (False), or a batch not the next one, ends
    what is taken from the child, and the caller does the rest with `own`.

    The answers are made items only after the caller's share: made as they came, the child's
    data and the caller's shared the allocator's blocks, so a push, whose upload drops the data
    item by item, gave fewer blocks back (a 100 MB push's peak 410-428 MB, against 403 MB in one
    process). Until then they wait as bytes in one buffer (Ahead.received), dropped whole after."""
    front, back = 0, count  # the child answers for items[:front], the caller did items[back:]
    spans: list[tuple[int, int]] = []
    while front < back:
        spans += ahead.ready_spans()
        front = min(len(spans) * batch, count)
        for _ in range(poll):
            if front >= back:
                break
            back -= 1
            own(back)
    taken = _take_answers(ahead, spans, count, batch, back, take)
    ahead.received = bytearray()
    for index in range(taken, back):  # after an answer not taken: the caller does them itself
        own(index)


def _take_answers(ahead: Ahead, spans: list, count: int, batch: int, back: int, take) -> int:
    """Give `take` the answers of the child's batches in order, up to `back`; returns how many
    items were taken."""
    taken = 0
    for start, end in spans:
        if taken >= back:
            break
        item = unread(ahead.received[start:end])
        size = min(batch, count - taken)
        if not (type(item) is tuple and len(item) == 2 and type(item[0]) is int and item[0] == taken):
            break  # not the next batch (or not an item at all)
        if not (type(item[1]) is list and len(item[1]) == size):
            break
        for index, answer in enumerate(item[1][: back - taken], taken):
            if not take(index, answer):
                return index
        taken += size
    return min(taken, back)


def _child(produce: Callable[[], Iterable[Any]], read: int, write: int, parent: int, held) -> None:
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child at once, as any process
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(read)
        quiet = os.open(os.devnull, os.O_WRONLY)  # a warning of a library (ruamel's) is the parent's to give
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        sys.stdout = sys.stderr = open(quiet, "w", closefd=False)  # noqa: SIM115  (lives as long as the child)
        _die_with_parent(parent)
        import gc

        gc.disable()  # a short life: collecting would only walk (and copy) the parent's memory
        os.set_blocking(write, False)  # a full pipe (the parent busy elsewhere) must not stop the work
        unsent = bytearray()
        for item in produce():
            payload = marshal.dumps(item)
            unsent += _HEAD.pack(len(payload)) + payload
            _send(write, unsent)
        os.set_blocking(write, True)
        while unsent:
            del unsent[: os.write(write, unsent)]
        status = 0
    except BaseException:  # anything: the parent computes the rest itself
        pass
    finally:
        os._exit(status)


def _send(fd: int, unsent: bytearray) -> None:
    """Write what the pipe takes now of `unsent`, and drop it from there."""
    try:
        while unsent:
            del unsent[: os.write(fd, unsent)]
    except BlockingIOError:
        pass


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill the child when the parent dies (even by SIGKILL)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (ImportError, OSError, AttributeError):
        pass  # then it ends when it finds the pipe closed, at the latest
    if os.getppid() != parent:  # the parent died before the request
        os._exit(1)
