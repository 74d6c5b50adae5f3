"""Translation round trip: a skill's user-facing strings out to translators and back into
one tree per language (see docs/translation.md).

units.py finds the strings and their keys; formats.py reads and writes XLIFF, PO and CSV;
apply.py writes translations into a copy of the source tree; record.py keeps what each
import did; exporting, importing and status are the three commands' work.
"""
