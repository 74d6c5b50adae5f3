"""The README's picture of a diff comment is real and current, and show's docs name its options."""

from __future__ import annotations

import importlib.util
import re

import pytest

from testing.mermaid import assert_grammar, assert_parses, mermaid_blocks
from testing.paths import PROJECT

SCREENSHOTS = PROJECT / "docs" / "screenshots"


def _maker():
    spec = importlib.util.spec_from_file_location("make_diff_comment", SCREENSHOTS / "make_diff_comment.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_comment_is_what_diff_writes_today(tmp_path):
    made = _maker().comment(tmp_path)
    assert made == (SCREENSHOTS / "diff-comment.md").read_text("utf-8"), (
        "run docs/screenshots/make_diff_comment.py and commit the new comment and screenshot"
    )
    assert (SCREENSHOTS / "diff-comment.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_readme_shows_an_excerpt_of_that_comment():
    readme = (PROJECT / "README.md").read_text("utf-8")
    excerpt = re.search(r"````markdown\n(.*?)\n    \.\.\.\n```\n````", readme, re.S).group(1)
    assert excerpt in (SCREENSHOTS / "diff-comment.md").read_text("utf-8")
    assert "![The diff comment as GitHub shows it](docs/screenshots/diff-comment.png)" in readme


@pytest.mark.slow  # every picture of the committed comments through Mermaid
def test_the_comments_pictures_parse(mermaid_parser):
    blocks = mermaid_blocks((SCREENSHOTS / "diff-comment.md").read_text("utf-8"))
    assert len(blocks) == 3
    assert_grammar(blocks)
    assert_parses(mermaid_parser, blocks)


def test_show_is_documented(cli):
    docs = (PROJECT / "docs" / "show.md").read_text("utf-8")
    readme = (PROJECT / "README.md").read_text("utf-8")
    help_text = cli("show", "--help").stdout
    for option in ("--dir", "--format", "--depth"):
        assert option in help_text and option in docs
    assert "assistantgit show" in readme and "docs/show.md" in readme
    assert "Pictures of changed flows" in (PROJECT / "docs" / "diff.md").read_text("utf-8")
