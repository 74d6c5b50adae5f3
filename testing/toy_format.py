"""A toy export format, for the test that a new format needs no change outside its own
module and one registry line (tests/formats/toy_format_test.py).

The export: {"toy": 1, "title": "...", "notes": [{"id": "a", "text": "..."}, ...]}.
The tree:   toy.yaml (format, title), notes/<id>.yaml (one note per file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from assistantgit import canonical
from assistantgit.errors import InputError
from assistantgit.formats.base import FORMAT_VERSION, Format
from assistantgit.formats.collection import Collection
from assistantgit.formats.registry import Registered
from assistantgit.tree import Managed, read_text

NAME = "toy-notes"
ROOT_FILE = "toy.yaml"
NOTES = Collection("notes", "notes", "id", what="note", name_prefix="~")
# The one line a registry needs (FORMATS in formats/registry.py, or registry.register).
ENTRY = Registered(NAME, ROOT_FILE, "json", __name__)


class ToyFormat(Format):
    name = NAME
    root_file = ROOT_FILE
    description = "toy notes export"
    collections: ClassVar[tuple[Collection, ...]] = (NOTES,)
    rules: ClassVar[tuple[str, ...]] = ("AG1", "AG7")  # files that parse, their shape, canonical form
    settings_label: ClassVar[str] = "notebook settings"
    unchecked = "toy tree: a note's text is not checked"

    def managed(self) -> list[Managed]:
        return [Managed(ROOT_FILE, is_folder=False), Managed(NOTES.folder)]

    def detect(self, data: Any) -> bool:
        return isinstance(data, dict) and data.get("toy") == 1

    def explode(self, export: Any, where: str = "export") -> dict[str, Any]:
        files = NOTES.explode(export.get("notes", []), where)
        files[ROOT_FILE] = {"format": NAME, "format_version": FORMAT_VERSION, "title": export.get("title")}
        return files

    def assemble(self, files: dict[str, Any], where: str = "tree") -> Any:
        root = files.get(ROOT_FILE)
        if not isinstance(root, dict):
            raise InputError(f"{where}/{ROOT_FILE}: missing or not a mapping")
        return {"toy": 1, "title": root.get("title"), "notes": NOTES.assemble(files)}

    def check_tree(self, root: Path) -> list[InputError]:
        """A toy rule of its own: every note has a text."""
        problems = []
        for path in sorted((Path(root) / NOTES.folder).glob("*.yaml")):
            note = canonical.loads(read_text(path), str(path))
            if isinstance(note, dict) and not note.get("text"):
                problems.append(InputError.at(path, "a note needs a text"))
        return problems


FORMAT = ToyFormat()
