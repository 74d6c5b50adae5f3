"""Which texts the fast canonical reader parses in a test: what a cache spared shows as absent."""

from __future__ import annotations

import time

from assistantgit import canonical


def count_parsed(monkeypatch) -> list:
    """A list that receives every text `canonical.fast_loads` parses from now on (in this test)."""
    texts: list = []
    real = canonical.fast_loads

    def counting(text, *args, **kwargs):
        texts.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(canonical, "fast_loads", counting)
    return texts


def age_one_tick() -> None:
    """Let the files a test just wrote age past one timestamp tick (10 ms): the caches do not
    trust a file changed within a tick of their own writing (git's racy-file rule), so a test
    of what they spare must not write its files in the same tick as the first run's cache."""
    time.sleep(0.02)
