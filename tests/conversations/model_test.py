"""The conversation file format as read by assistantgit.conversations.model: places of
conversations and expectations, normalised values, and what a tree counts as its suite."""

from __future__ import annotations

import os

import pytest
from ruamel.yaml import YAML

from assistantgit.conversations.model import read_suite, suite_files
from testing.paths import SAMPLE_REPO

SAMPLE = SAMPLE_REPO / "dialog-skill"


@pytest.mark.parametrize("path", suite_files(SAMPLE), ids=lambda p: p.name)
def test_conversation_lines_agree_with_the_locator(path, tmp_path):
    suite = read_suite(path)
    assert suite.canonical and suite.conversations and not suite.problems
    for conversation in suite.conversations:
        assert conversation.line == suite.locate(conversation.path)[0]
        assert path.read_text(encoding="utf-8").split("\n")[conversation.line - 1].lstrip().startswith("- name:")
    restyled = tmp_path / "restyled.yaml"  # the same suite in another style: wider indents, a comment
    yaml = YAML()
    yaml.indent(mapping=4, sequence=6, offset=4)
    with open(restyled, "w", encoding="utf-8") as handle:
        handle.write("# written by hand\n")
        yaml.dump(suite.data, handle)
    again = read_suite(restyled)
    assert not again.canonical and not again.problems and again.error is None
    lines = restyled.read_text(encoding="utf-8").split("\n")
    for conversation, original in zip(again.conversations, suite.conversations):
        assert lines[conversation.line - 1].strip() == f"- name: {original.name}" or lines[
            conversation.line - 1
        ].strip().startswith("- name:")


def test_expectations_are_normalised():
    import textwrap

    from assistantgit import canonical
    from assistantgit.conversations.model import SuiteFile
    from assistantgit.conversations.model.parse import parse

    text = textwrap.dedent("""\
        context:
          channel: web
        conversations:
          - name: One
            context:
              tier: gold
            turns:
              - input: hi
                response:
                  intent: "#greeting"
                  entities:
                    - "@size:large"
                    - colour
                  confidence: 1
    """)
    suite = SuiteFile("t.yaml", text, canonical.loads(text))
    parse(suite)
    assert suite.problems == []
    conversation = suite.conversations[0]
    assert conversation.context == {"channel": "web", "tier": "gold"}
    values = {e.key: e.value for e in conversation.turns[0].expectations}
    assert values == {"intent": "greeting", "entities": [("size", "large"), ("colour", None)], "confidence": 1.0}


def test_suite_files_skip_links_and_hidden_files(tmp_path):
    folder = tmp_path / "conversations"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.yaml").write_text("conversations: []\n", encoding="utf-8")
    (folder / "nested" / "b.yaml").write_text("conversations: []\n", encoding="utf-8")
    (folder / ".draft.yaml").write_text("x\n", encoding="utf-8")
    (folder / "notes.md").write_text("x\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("conversations: []\n", encoding="utf-8")
    os.symlink(outside / "secret.yaml", folder / "link.yaml")
    os.symlink(outside, folder / "linked")
    assert [p.relative_to(folder).as_posix() for p in suite_files(tmp_path)] == ["a.yaml", "nested/b.yaml"]


def test_a_linked_file_named_on_the_command_line_is_refused(cli, tmp_path):
    target = tmp_path / "real.yaml"
    target.write_text("conversations: []\n", encoding="utf-8")
    os.symlink(target, tmp_path / "link.yaml")
    from assistantgit.conversations.runner import load_suites
    from assistantgit.errors import InputError

    with pytest.raises(InputError, match="symbolic link"):
        load_suites([tmp_path / "link.yaml"], None)
