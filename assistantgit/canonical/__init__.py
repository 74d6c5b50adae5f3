"""The canonical YAML dialect of source files: how pull writes them, how every command reads them.

    dumps(data) -> text            the one style pull writes (emit.py)
    keys_written()                 every mapping key dumps wrote in this process (or None)
    loads(text, path) -> data      fast for canonical text, ruamel.yaml for anything else (read.py, slow.py)
    fast_loads(text) -> data       canonical text only; raises NotCanonical for anything else
    is_canonical(text) -> bool
    json_size(text)                the size of its data as compact JSON, counted on canonical text (jsonsize.py)
    format_text(text, normalize)   a file in canonical form, its comments kept (fmt.py)
    locate / locate_canonical / locate_roundtrip: (line, column) of a key path (locate.py);
    roundtrip_document + locate_node: the same for many look-ups in one restyled text

Nothing here knows about formats, trees or validate: it is the bottom layer, above errors.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .emit import KEY_PRIORITY, canonical_json, dumps, keys_written, scalar, write_string
from .locate import Lines, locate, locate_canonical, locate_node, locate_roundtrip, roundtrip_document
from .read import NotCanonical, fast_loads, is_canonical, loads, read_scalar
from .slow import YamlError, slow_loads

if TYPE_CHECKING:
    from .fmt import format_text
    from .jsonsize import Counted, json_size

# Loaded on first use: pull and push never need them, and jsonsize's expressions cost every
# command's start-up about 1 ms (issue 14).
_LOADED_ON_USE = {"format_text": ".fmt", "json_size": ".jsonsize", "Counted": ".jsonsize"}


def __getattr__(name: str) -> Any:
    module = _LOADED_ON_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "KEY_PRIORITY",
    "Counted",
    "Lines",
    "NotCanonical",
    "YamlError",
    "canonical_json",
    "dumps",
    "fast_loads",
    "format_text",
    "is_canonical",
    "json_size",
    "keys_written",
    "loads",
    "locate",
    "locate_canonical",
    "locate_node",
    "locate_roundtrip",
    "read_scalar",
    "roundtrip_document",
    "scalar",
    "slow_loads",
    "write_string",
]
