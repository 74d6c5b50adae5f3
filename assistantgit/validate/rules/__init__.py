"""Every rule module; importing this package registers them all (see _core.rule)."""

from . import actions, dialog, form, names, references, size, structure, training, translation  # noqa: F401
