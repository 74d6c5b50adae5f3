"""Which texts the fast canonical reader parses in a test: what a cache spared shows as absent."""

from __future__ import annotations

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
