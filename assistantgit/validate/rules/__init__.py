"""Every rule module; importing this package registers them all (see _core.rule)."""

from . import (  # noqa: F401
    actions,
    conversations,
    dialog,
    form,
    names,
    references,
    size,
    structure,
    training,
    translation,
)
