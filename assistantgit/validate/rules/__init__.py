"""Every rule module; importing this package registers them all (see _core.rule)."""

from . import actions, conversations, dialog, form, names, references, size, structure, training  # noqa: F401
