"""assistantgit: conversational-assistant exports (Watson Assistant, Avaamo) under git."""

__version__ = "0.1.0"
