"""A run interrupted by Ctrl-C while its child works (tests/forked_test.py): prints
the child's id, then what the parent saw. The child, which gets the same SIGINT, must die
of it without running this code ("not reached")."""

from __future__ import annotations

import os
import signal
import time

from assistantgit import forked


def produce():
    time.sleep(0.5)  # the SIGINT arrives while the child is in here
    yield 1


if os.getpgrp() != os.getpid():
    raise SystemExit("run in a process group of its own (start_new_session): Ctrl-C goes to the whole group")
ahead = forked.Ahead(produce)
print(ahead.pid, flush=True)
try:
    time.sleep(0.1)
    os.killpg(os.getpgrp(), signal.SIGINT)  # what a terminal does on Ctrl-C
    time.sleep(5)
    print("not reached", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
finally:
    ahead.close()
