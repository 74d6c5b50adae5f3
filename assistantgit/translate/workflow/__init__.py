"""The translate commands' work on real trees and git history: export, import, status.

Kept apart from the text model of translation (units, placeholders, the record, the
checks) one level up, which validate's rules use and which must not reach git."""
