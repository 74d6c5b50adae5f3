"""Translation files: XLIFF 2.0, gettext PO and CSV, written and read with translate-toolkit.

One unit per distinct source string: its id (a valid XML NMTOKEN, units.unit_id), the
source, the target when known, the stable keys of every place the string is used, and
notes for the translator. XLIFF keeps the keys in `<note category="location">` and the
first key as the unit's `name`; PO in `#. key: ...` comments, with the tree files as
`#:` references; CSV in its `location` column, one key a line.

translate-toolkit (3.20) puts an XLIFF 2.0 unit's `<notes>` and `xml:space` on its
`<segment>`, where the XLIFF 2.0 schema does not allow them: `_xliff_unit` moves them
onto the `<unit>`, where they belong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError

FORMATS = ("xliff", "po", "csv")
SUFFIXES = {".xlf": "xliff", ".xliff": "xliff", ".po": "po", ".pot": "po", ".csv": "csv"}
KEY_NOTE = "key: "
CSV_FIELDS = ["location", "source", "target", "id", "developer_comments"]
CSV_ESCAPES = ("=", "+", "-", "@")  # what translate-toolkit guards against spreadsheet formulas
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Unit:
    id: str
    source: str
    target: str = ""
    keys: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    files: list = field(default_factory=list)


@dataclass
class Header:
    skill: str = ""  # the skill's name
    format: str = ""  # the source tree's format
    source_language: str = ""
    target_language: str = ""
    revision: str = ""  # the git commit the source tree was exported from
    since: str = ""  # --since: the revision the export is a delta from


def _toolkit():
    try:
        from translate.storage import csvl10n, po, xliff2
    except ImportError:
        raise InputError("translation files need translate-toolkit: pip install 'assistantgit[translate]'") from None
    return csvl10n, po, xliff2


def format_of(name: str, given: str | None = None) -> str:
    """The file format: given (--format), else from the file name's suffix."""
    if given:
        if given not in FORMATS:
            raise InputError(f"--format must be one of {', '.join(FORMATS)}, not '{given}'")
        return given
    for suffix, fmt in SUFFIXES.items():
        if name.lower().endswith(suffix):
            return fmt
    raise InputError(f"{name}: cannot tell the format from the name; use .xlf, .po or .csv, or give --format")


def write(units: list[Unit], header: Header, fmt: str) -> bytes:
    """The file's bytes."""
    csvl10n, po, xliff2 = _toolkit()
    if fmt == "xliff":
        for unit in units:  # translate-toolkit would drop such a character silently: the text would change
            bad = NOT_XML.search(unit.source + unit.target)
            if bad:
                raise InputError(
                    f"{unit.keys[0] if unit.keys else unit.source!r}: holds the character "
                    f"U+{ord(bad.group()):04X}, which XML cannot carry; export --format po or csv"
                )
        return _write_xliff(xliff2, units, header)
    if fmt == "po":
        return _write_po(po, units, header)
    store = csvl10n.csvfile(fieldnames=CSV_FIELDS, escape_formulas=True)
    for unit in units:
        row = store.addsourceunit(unit.source)
        row.target, row.id, row.location = unit.target, unit.id, "\n".join(unit.keys)
        row.developer_comments = "\n".join(unit.notes)
    return bytes(store)


def _write_po(po, units: list[Unit], header: Header) -> bytes:
    store = po.pofile()
    store.updateheader(
        add=True,
        Project_Id_Version=header.skill,
        Language=header.target_language,
        X_Source_Language=header.source_language,
        X_Assistantgit_Format=header.format,
        X_Assistantgit_Revision=header.revision,
        X_Assistantgit_Since=header.since,
    )
    for unit in units:
        entry = store.addsourceunit(unit.source)
        entry.target = unit.target
        for note in [KEY_NOTE + key for key in unit.keys] + unit.notes:
            entry.addnote(note, origin="developer")
        for rel in unit.files:
            entry.addlocation(rel)
    return bytes(store)


def _write_xliff(xliff2, units: list[Unit], header: Header) -> bytes:
    from lxml import etree  # type: ignore[import-untyped]

    store = xliff2.Xliff2File()
    store.setsourcelanguage(header.source_language or "en")
    if header.target_language:
        store.settargetlanguage(header.target_language)
    store.body.set("original", header.skill)
    file_notes = [
        (name, value)
        for name, value in (("format", header.format), ("revision", header.revision), ("since", header.since))
        if value
    ]
    if file_notes:
        notes = etree.SubElement(store.body, store.namespaced("notes"))
        for name, value in file_notes:
            etree.SubElement(notes, store.namespaced("note"), category=name).text = value
    for unit in units:
        entry = store.UnitClass(unit.source)
        store.addunit(entry)
        entry.setid(unit.id)
        if unit.target:
            entry.target = unit.target
        _xliff_unit(store, entry, unit)
    return bytes(store)


def _xliff_unit(store, entry, unit: Unit) -> None:
    from lxml import etree

    element = entry.getunitelement()
    if unit.keys:
        element.set("name", unit.keys[0])
    segment = entry.xmlelement
    space = "{http://www.w3.org/XML/1998/namespace}space"
    if segment.get(space) is not None:
        element.set(space, segment.attrib.pop(space))
    for misplaced in segment.findall(store.namespaced("notes")):
        segment.remove(misplaced)
    notes = etree.Element(store.namespaced("notes"))
    for category, texts in (("location", unit.keys), ("description", unit.notes)):
        for text in texts:
            etree.SubElement(notes, store.namespaced("note"), category=category).text = text
    if len(notes):
        element.insert(0, notes)


def read(raw: bytes, where: str, fmt: str) -> tuple[Header, list[Unit]]:
    """The header and units of a translation file; a file the library cannot read is refused."""
    csvl10n, po, xliff2 = _toolkit()
    try:
        if fmt == "xliff":
            return _read_xliff(xliff2, raw, where)
        if fmt == "po":
            return _read_po(po, raw)
        return Header(), _read_csv(csvl10n, raw)
    except InputError:
        raise
    except Exception as error:  # the library's parse errors: lxml, csv, PO syntax, wrong XLIFF version
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"{where}: not a readable {fmt.upper()} translation file ({message})") from None


def _refuse_doctype(raw: bytes, where: str) -> None:
    """A translated file comes back from outside (a vendor, a pull request): a DOCTYPE is
    refused before the toolkit reads it. XLIFF needs none, and its entities are the attack
    (a billion-laughs expansion, an external entity naming a file of the machine). The
    check parses with entities unresolved, no DTD loaded and no network."""
    from lxml import etree

    refused = InputError(
        f"{where}: holds a DOCTYPE (entity declarations); an XLIFF file needs none, and assistantgit "
        "refuses them (entity expansion, external entities)"
    )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:  # libxml2 stops an entity bomb itself
            raise refused from None
        raise InputError(f"{where}: not a readable XLIFF translation file ({error})") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise refused


def _read_xliff(xliff2, raw: bytes, where: str) -> tuple[Header, list[Unit]]:
    _refuse_doctype(raw, where)
    store = xliff2.Xliff2File.parsestring(raw)
    notes = {
        note.get("category"): note.text or ""
        for note in store.body.iterfind(f"{store.namespaced('notes')}/{store.namespaced('note')}")
    }
    header = Header(
        store.body.get("original", ""),
        notes.get("format", ""),
        store.getsourcelanguage() or "",
        store.gettargetlanguage() or "",
        notes.get("revision", ""),
        notes.get("since", ""),
    )
    units = []
    for entry in store.units:
        element = entry.getunitelement()
        by_category: dict = {}
        for holder in (element, entry.xmlelement):
            for note in holder.iterfind(f"{store.namespaced('notes')}/{store.namespaced('note')}"):
                by_category.setdefault(note.get("category"), []).append(note.text or "")
        keys = by_category.get("location") or ([element.get("name")] if element.get("name") else [])
        units.append(
            Unit(
                entry.getid() or "",
                str(entry.source or ""),
                str(entry.target or ""),
                keys,
                by_category.get("description", []),
            )
        )
    return header, units


def _read_po(po, raw: bytes) -> tuple[Header, list[Unit]]:
    store = po.pofile.parsestring(raw)
    fields = store.parseheader()
    header = Header(
        fields.get("Project-Id-Version", ""),
        fields.get("X-Assistantgit-Format", ""),
        fields.get("X-Source-Language", ""),
        fields.get("Language", ""),
        fields.get("X-Assistantgit-Revision", ""),
        fields.get("X-Assistantgit-Since", ""),
    )
    units = []
    for entry in store.units:
        if entry.isheader() or entry.isobsolete():
            continue
        lines = (entry.getnotes("developer") or "").split("\n")
        keys = [line[len(KEY_NOTE) :] for line in lines if line.startswith(KEY_NOTE)]
        notes = [line for line in lines if line and not line.startswith(KEY_NOTE)]
        target = "" if entry.isfuzzy() else str(entry.target or "")  # a fuzzy entry is a guess, not a translation
        units.append(Unit("", str(entry.source or ""), target, keys, notes, entry.getlocations()))
    return header, units


def _unescape(text: str) -> str:
    """Undo translate-toolkit's guard against spreadsheet formulas ('=x written for =x)."""
    return text[1:] if text[:1] == "'" and text[1:2] in CSV_ESCAPES else text


def _read_csv(csvl10n, raw: bytes) -> list[Unit]:
    store = csvl10n.csvfile()
    store.parse(raw)
    if "source" not in store.fieldnames or "target" not in store.fieldnames:
        raise InputError(
            f"a CSV translation file needs 'source' and 'target' columns (it has {', '.join(store.fieldnames)})"
        )
    units = []
    for row in store.units:
        keys = [line for line in _unescape(row.location or "").split("\n") if line]
        units.append(
            Unit(
                row.id or "",
                _unescape(row.source or ""),
                _unescape(row.target or ""),
                keys,
                [n for n in (row.developer_comments or "").split("\n") if n],
            )
        )
    return units
