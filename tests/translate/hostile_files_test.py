"""A translated file comes back from outside (a vendor, a pull request): issue 11's rules
apply to it as to a tree. No entity is expanded or fetched, no link or FIFO is read."""

from __future__ import annotations

import os
import shutil

import pytest

from testing.attack_corpus import XML_LAUGHS, xliff
from testing.paths import SAMPLE_REPO

DOCTYPE_REFUSED = "holds a DOCTYPE (entity declarations)"


@pytest.fixture
def world(tmp_path):
    shutil.copytree(SAMPLE_REPO / "dialog-skill", tmp_path / "skill")
    (tmp_path / "secret.txt").write_text("MACHINE-SECRET-41\n", encoding="utf-8")
    return tmp_path


def import_file(cli, world, text: str):
    (world / "fr.xlf").write_text(text, encoding="utf-8")
    return cli("translate", "import", world / "fr.xlf", "--into", world / "fr", "--from", world / "skill")


def test_a_plain_file_of_one_unit_imports(cli, world):
    """The control for the cases below: the same file without its attack is read."""
    result = import_file(cli, world, xliff("es-tu un robot ?"))
    assert result.exit_code == 0, result.stderr
    assert "es-tu un robot ?" in (world / "fr" / "counterexamples.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "doctype, target",
    [
        pytest.param(f"<!DOCTYPE xliff [{XML_LAUGHS}]>\n", "&l9;", id="billion-laughs"),
        pytest.param('<!DOCTYPE xliff [<!ENTITY x SYSTEM "SECRET">]>\n', "&x;", id="external-entity"),
        pytest.param('<!DOCTYPE xliff SYSTEM "http://127.0.0.1:9/x.dtd">\n', "vu", id="external-dtd"),
        pytest.param('<!DOCTYPE xliff [<!ENTITY x "oui">]>\n', "&x;", id="harmless-entity"),
    ],
)
def test_a_doctype_is_refused_before_any_entity_is_read(cli, world, doctype, target):
    """Before: translate-toolkit dropped an external entity silently (the import went on with the
    unit empty) and a billion-laughs file was stopped only by libxml2's own amplification limit."""
    doctype = doctype.replace("SECRET", (world / "secret.txt").as_uri())
    result = import_file(cli, world, xliff(target, doctype))
    assert result.exit_code == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert line == f"error: {world / 'fr.xlf'}: {DOCTYPE_REFUSED}" + line.split(DOCTYPE_REFUSED)[1]
    assert not (world / "fr").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX links and FIFOs")
@pytest.mark.parametrize("kind", ["link", "fifo", "device"])
def test_a_translation_file_that_is_not_a_regular_file_is_refused(cli, world, kind):
    """Before: read through a link (a file of the machine), a FIFO hung the import, /dev/zero
    was read until memory ran out."""
    path = world / "fr.xlf"
    if kind == "link":
        (world / "real.xlf").write_text(xliff(), encoding="utf-8")
        path.symlink_to("real.xlf")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    result = cli("translate", "import", path, "--into", world / "fr", "--from", world / "skill")
    assert result.exit_code == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {path}: is a ")
    assert not (world / "fr").exists()
