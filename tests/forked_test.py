"""forked: work in a forked child whose answers the parent takes as they come, that
never outlives the run (nor its parent), and whose failure only means the parent does the work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from assistantgit import forked
from testing.paths import PROJECT

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and hasattr(os, "fork")), reason="work is forked on Linux only"
)


def _gone(pid: int, within: float = 10.0) -> bool:
    """Whether the process has ended (a zombie has ended) within `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except FileNotFoundError:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)


def _all(ahead: forked.Ahead) -> list:
    """Every item the child sends, until it is done."""
    items = []
    while ahead.fd is not None:
        items += ahead.ready()
        time.sleep(0.005)
    return items


def test_the_items_the_child_yields_come_back_in_order_and_the_child_is_reaped():
    ahead = forked.Ahead(lambda: ((index, [index] * 500) for index in range(200)))  # more than a pipe holds
    pid = ahead.pid
    assert pid is not None
    assert _all(ahead) == [(index, [index] * 500) for index in range(200)]
    assert ahead.pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left


def test_the_child_never_goes_on_with_the_callers_code():
    """After its work the child leaves (os._exit): the code after the fork runs once, in the
    parent, and the output it had not flushed yet is written once."""
    code = (
        "import os, sys, time\n"
        "from assistantgit import forked\n"
        "sys.stdout.write('before ')  # in the buffer when the child is forked\n"
        "ahead = forked.Ahead(lambda: iter([1]))\n"
        "items = []\n"
        "while ahead.fd is not None:\n"
        "    items += ahead.ready()\n"
        "    time.sleep(0.005)\n"
        "print('after', items)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (proc.stdout, proc.stderr) == ("before after [1]\n", "")


def test_the_child_writes_nothing_but_its_answers(capfd):
    def produce():
        print("from the child")
        os.write(2, b"from the child\n")
        yield 1

    assert _all(forked.Ahead(produce)) == [1]
    assert capfd.readouterr() == ("", "")


def test_a_child_that_fails_gives_what_it_sent_before_and_nothing_more():
    def produce():
        yield "first"
        raise RuntimeError("the work failed")

    ahead = forked.Ahead(produce)
    assert _all(ahead) == ["first"]


def test_the_answer_of_a_child_stopped_early_is_never_taken():
    def produce():
        yield "first"
        time.sleep(60)
        yield "never"

    ahead = forked.Ahead(produce)
    pid = ahead.pid
    assert pid is not None
    while not (items := ahead.ready()):
        time.sleep(0.005)
    assert items == ["first"]
    ahead.close()
    assert ahead.ready() == [] and _gone(pid, within=0)


def test_ctrl_c_in_the_parent_stops_the_child():
    """Ctrl-C reaches the whole process group: the child dies of it as a plain process does,
    without a traceback, without running the caller's code."""
    script = PROJECT / "tests" / "_forked_interrupted.py"
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, start_new_session=True
    )
    child = int(proc.stdout.split()[0])
    assert _gone(child)
    assert proc.stdout.split()[1:] == ["interrupted"], proc.stdout
    assert "Traceback" not in proc.stderr and "not reached" not in proc.stdout


def test_a_child_dies_with_its_parent_even_when_the_parent_is_killed():
    code = (
        "import os, signal, sys, time\n"
        "from assistantgit import forked\n"
        "def produce():\n"
        "    time.sleep(60)\n"
        "    yield 1\n"
        "ahead = forked.Ahead(produce)\n"
        "print(ahead.pid, flush=True)\n"
        "time.sleep(0.2)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert _gone(int(proc.stdout.split()[0]))


def test_work_is_not_forked_when_told_not_to_or_on_one_core(monkeypatch):
    monkeypatch.delenv(forked.NO_FORK, raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert forked.usable()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not forked.usable()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setenv(forked.NO_FORK, "1")
    assert not forked.usable()


@pytest.mark.parametrize(
    ("loadavg", "spare"),
    [
        (b"0.52 0.61 0.70 1/190 4242\n", True),  # this process alone runs: the other core is idle
        (b"1.10 0.90 0.50 2/190 4242\n", True),  # one other task: the child shares a core with it
        (b"2.10 1.90 1.50 3/190 4242\n", False),  # two others: both cores busy
        (b"3.00 2.00 1.00 5/190 4242\n", False),
        (b"not what Linux writes\n", True),  # unreadable: as before the check
        (None, True),
    ],
)
def test_a_room_for_child_is_one_no_task_runs_on(loadavg, spare, tmp_path, monkeypatch):
    path = tmp_path / "loadavg"
    if loadavg is not None:
        path.write_bytes(loadavg)
    monkeypatch.setattr(forked, "_LOADAVG", str(path))
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert forked.room_for_child() is spare
