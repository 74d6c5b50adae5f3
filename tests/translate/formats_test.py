"""The translation files: XLIFF 2.0 by the core rules, PO through translate-toolkit's own
po2xliff / xliff2po, CSV safe to open in a spreadsheet.

The XLIFF 2.0 schema is published by OASIS only: no package on PyPI or Debian carries it
and tests have no other network, so it cannot be fetched at test time. The rules the core
schema states for the elements we write are checked here instead, and the file is read
back with translate-toolkit's own XLIFF 2.0 parser.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from testing.paths import SAMPLE_REPO
from testing.translation import fill, same_but_language, tree_bytes

XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NMTOKEN = re.compile(r"[\w.\-:\u00b7\u0300-\u036f\u203f-\u2040]+\Z")
# element -> (allowed attributes, allowed children in order, each "name", "name?", "name+")
CORE = {
    "xliff": ({"version", "srcLang", "trgLang", XML_SPACE}, ["file+"]),
    "file": ({"id", "original", "canResegment", "translate", "srcDir", "trgDir", XML_SPACE}, ["notes?", "unit+"]),
    "notes": (set(), ["note+"]),
    "note": ({"id", "appliesTo", "category", "priority"}, []),
    "unit": (
        {"id", "name", "canResegment", "translate", "srcDir", "trgDir", XML_SPACE, "type"},
        ["notes?", "segment+"],
    ),
    "segment": ({"id", "canResegment", "state", "subState"}, ["source", "target?"]),
    "source": ({"{http://www.w3.org/XML/1998/namespace}lang", XML_SPACE}, []),
    "target": ({"{http://www.w3.org/XML/1998/namespace}lang", XML_SPACE, "order"}, []),
}


def _check(element, problems: list) -> None:
    name = element.tag.replace(XLIFF, "")
    if name not in CORE:
        problems.append(f"<{name}> is not an XLIFF 2.0 core element here")
        return
    attributes, children = CORE[name]
    problems.extend(f"<{name}> has attribute {a}" for a in element.attrib if a not in attributes)
    found = [child.tag.replace(XLIFF, "") for child in element]
    pattern = "".join(f"(?:{c.rstrip('?+')},)" + (c[-1] if c[-1] in "?+" else "") for c in children)
    if not re.fullmatch(pattern, "".join(f"{f}," for f in found)):
        problems.append(f"<{name} {element.get('id', '')}> holds {found}, the schema wants {children}")
    for child in element:
        _check(child, problems)


def test_xliff_follows_the_xliff_2_0_core_rules_and_reads_back(cli, tmp_path):
    from lxml import etree
    from translate.storage import xliff2

    out = tmp_path / "skill.xlf"
    assert (
        cli("translate", "export", "--dir", SAMPLE_REPO / "assistant-zip", "--out", out, "--language", "fr").exit_code
        == 0
    )
    fill(out, lambda text: text.upper())
    root = etree.fromstring(out.read_bytes())
    assert root.tag == f"{XLIFF}xliff" and root.get("version") == "2.0" and root.get("srcLang") == "en"
    problems: list = []
    _check(root, problems)
    assert problems == []
    ids = [unit.get("id") for unit in root.iter(f"{XLIFF}unit")]
    assert len(ids) == len(set(ids)) > 200 and all(NMTOKEN.match(i) for i in ids)
    names = [unit.get("name") for unit in root.iter(f"{XLIFF}unit")]
    assert "dialog/intent:order_status:examples{where is my order}" in names  # the natural key, not the id
    store = xliff2.Xliff2File.parsestring(out.read_bytes())
    assert len(store.units) == len(ids) and all(str(u.target) == str(u.source).upper() for u in store.units)


def test_the_check_above_catches_a_misplaced_note():
    from lxml import etree

    bad = etree.fromstring(
        f'<xliff xmlns="{XLIFF[1:-1]}" version="2.0" srcLang="en"><file id="f"><unit id="u">'
        "<segment><source>a</source><notes><note>n</note></notes></segment></unit></file></xliff>".encode()
    )
    problems: list = []
    _check(bad, problems)
    assert problems


def test_po_survives_translate_toolkits_po2xliff_and_xliff2po(cli, tmp_path):
    from translate.storage import po

    source = SAMPLE_REPO / "dialog-skill"
    exported = tmp_path / "skill.po"
    assert cli("translate", "export", "--dir", source, "--out", exported, "--language", "fr").exit_code == 0
    fill(exported, lambda text: f"[{text}]")
    tools = Path(sys.executable).parent
    subprocess.run([tools / "po2xliff", exported, tmp_path / "skill.xlf"], check=True, capture_output=True)
    subprocess.run([tools / "xliff2po", tmp_path / "skill.xlf", tmp_path / "back.po"], check=True, capture_output=True)

    def units(path):
        store = po.pofile.parsestring(path.read_bytes())
        return {(str(u.source), str(u.target), u.getnotes("developer")) for u in store.units if not u.isheader()}

    assert units(exported) == units(tmp_path / "back.po") and len(units(exported)) > 150
    for name in ("skill.po", "back.po"):
        assert (
            cli(
                "translate", "import", tmp_path / name, "--into", tmp_path / name.replace(".", "-"), "--from", source
            ).exit_code
            == 0
        )
    assert tree_bytes(tmp_path / "skill-po") == tree_bytes(tmp_path / "back-po")


def test_csv_guards_formulas_and_still_round_trips(cli, tmp_path):
    import shutil

    source = tmp_path / "skill"
    shutil.copytree(SAMPLE_REPO / "dialog-skill", source)
    from assistantgit import canonical

    node = source / "dialog_nodes" / "Refund.yaml"
    data = canonical.loads(node.read_text())
    data["output"]["generic"][0]["values"][0]["text"] = "=HYPERLINK(1) -2 @sys-date"
    node.write_text(canonical.dumps(data))
    out = tmp_path / "skill.csv"
    assert cli("translate", "export", "--dir", source, "--out", out).exit_code == 0
    assert '"\'=HYPERLINK(1) -2 @sys-date"' in out.read_text()  # a spreadsheet shows it, never runs it
    fill(out, lambda text: text)
    assert (
        cli("translate", "import", out, "--into", tmp_path / "xx", "--from", source, "--language", "xx").exit_code == 0
    )
    assert same_but_language(source, tmp_path / "xx", "xx") == []


def test_an_unreadable_file_is_one_line_and_exit_2(cli, tmp_path):
    broken = tmp_path / "broken.xlf"
    broken.write_text("<xliff version='2.0'><file>")
    result = cli("translate", "import", broken, "--into", tmp_path / "fr", "--from", SAMPLE_REPO / "dialog-skill")
    assert result.exit_code == 2 and "not a readable XLIFF translation file" in result.stderr
    assert not (tmp_path / "fr").exists()
