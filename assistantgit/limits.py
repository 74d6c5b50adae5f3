"""How deep and how large untrusted data may be (issue 11).

Exports and source trees come from downloads and pull requests. Every reader refuses
data beyond these limits with one line naming the place, so no later step (recursive
writers, comparisons, the vendor's own JSON library) meets a structure that exhausts
the stack or memory. Real exports stay far below them: the deepest of the shared corpus
nests 16 levels; numbers in skills have a few digits.
"""

from __future__ import annotations

# Nesting of mappings and lists (JSON objects and arrays), counting the outermost as 1.
MAX_DEPTH = 100
# Digits of an integer: Python refuses to convert more than 4,300, and no JSON reader of
# the vendor keeps more than 17 significant ones.
MAX_INT_DIGITS = 1000
