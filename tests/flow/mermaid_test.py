"""Mermaid output of `show`: hostile text stays inside labels, large skills stay within
Mermaid's limits, and every picture of every corpus skill parses with Mermaid itself."""

from __future__ import annotations

import functools
import html
import random
import re

import pytest

from assistantgit.diff.sources import from_export_file
from assistantgit.flow import actions, dialog, mermaid, outline, pictures, source
from testing.flows import HOSTILE, dialog_tree, node
from testing.mermaid import assert_grammar, assert_parses, flowchart_problems, mermaid_blocks
from testing.paths import SAMPLE_REPO, corpus_files


def hostile_flows():
    nodes = [
        (
            f"dialog_nodes/{i}.yaml",
            node(
                f"n{i}",
                title,
                previous=f"n{i - 1}" if i else None,
                condition=title,
                next_step={"behavior": "jump_to", "selector": title, "dialog_node": "n0"},
            ),
        )
        for i, title in enumerate(HOSTILE)
    ]
    nodes.append(("dialog_nodes/x.yaml", node("%%{init}%%", HOSTILE[0], parent="n1", type="slot", variable=HOSTILE[4])))
    steps = [
        {
            "step": f"s{i}",
            "title": title,
            "condition": {"eq": [{"variable": "s0"}, {"scalar": title}]},
            "resolver": {"type": "continue"},
        }
        for i, title in enumerate(HOSTILE)
    ]
    action = {"action": HOSTILE[3], "title": HOSTILE[0], "condition": {"expression": HOSTILE[1]}, "steps": steps}
    return [dialog.build(nodes), actions.build([("actions/a.yaml", action)])]


def every_picture(flows) -> list[str]:
    texts = [pictures.overview(flow).text for flow in flows]
    texts += mermaid_blocks(pictures.markdown(flows))
    texts += [pictures.neighbourhood(flow, flow.roots[0]).text for flow in flows if flow.roots]
    return texts


def test_escaped_text_holds_no_character_mermaid_or_markdown_reads():
    for text in HOSTILE:
        escaped = mermaid.escape(text)
        assert not set(escaped) & set('"`%<>&\\:[]{}|$\n\r\t'), escaped
        bare = re.sub(r"#\d+;", "", escaped)
        assert "#" not in bare and ";" not in bare
        # Mermaid shows `#N;` as the character N: what a reader sees is the text itself
        shown = html.unescape(re.sub(r"#(\d+);", r"&#\1;", escaped))
        assert shown == "".join(" " if ch.isspace() else ch if ch.isprintable() else "\ufffd" for ch in text)


def test_hostile_titles_and_conditions_pass_the_grammar():
    texts = every_picture(hostile_flows())
    assert_grammar(texts)
    assert all("%%" not in t and "`" not in t and "click" not in t.split("\n")[1:][0][:9] for t in texts)


@pytest.mark.slow  # Mermaid parses a picture per hostile label (test_the_checks_catch_what_escaping_prevents runs by default)
def test_hostile_titles_and_conditions_parse_with_mermaid(mermaid_parser):
    assert_parses(mermaid_parser, every_picture(hostile_flows()))


def test_the_checks_catch_what_escaping_prevents(mermaid_parser):
    """The same labels written raw: Mermaid applies the directive or refuses the diagram,
    and the grammar check refuses them too (so neither check passes by accident)."""
    raw = [
        "flowchart TD\n    n1[\"x %%{init: {'theme':'forest'}}%% y\"]\n",
        'flowchart TD\n    n1["a "quoted" b"]\n',
        'flowchart TD\n    n1["a"]\n    click n1 "https://evil.example"\n',
        "flowchart TD\n"
        + "".join(f'    n{i}["a"]\n' for i in range(502))
        + "".join(f"    n{i} --> n{i + 1}\n" for i in range(501)),
    ]
    for text in raw:
        assert flowchart_problems(text), text
    refused = mermaid_parser.refused(raw)
    assert [text for text, _ in refused] == [raw[0], raw[1], raw[3]]  # a click line parses: only the grammar stops it
    assert "forest" in refused[0][1] and "500" in refused[2][1]


def big_dialog(count: int, seed: int = 1, fan_out: int = 6) -> list:
    rng = random.Random(seed)
    nodes, children = [], {}
    for index in range(count):
        parent = None if index < fan_out or rng.random() < 0.05 else f"n{rng.randrange(max(1, index - 50), index)}"
        previous = children.get(parent)
        data = node(
            f"n{index}", f'Node {index} "q" [b] | p', parent=parent, previous=previous, condition=f"#intent_{index}"
        )
        if rng.random() < 0.2:
            data["next_step"] = {"behavior": "jump_to", "selector": "body", "dialog_node": f"n{rng.randrange(count)}"}
        children[parent] = f"n{index}"
        nodes.append((f"dialog_nodes/n{index}.yaml", data))
    return nodes


@pytest.mark.parametrize(
    "count,fan_out",
    [pytest.param(3000, 6, marks=pytest.mark.slow), (1200, 1200), pytest.param(700, 1, marks=pytest.mark.slow)],
    ids=["tree", "flat", "chain"],
)
def test_large_skills_are_drawn_within_mermaids_limits(count, fan_out):
    if fan_out == 1:  # one long chain of children
        flow = dialog.build(
            [
                (f"dialog_nodes/n{i}.yaml", node(f"n{i}", f"N{i}", parent=f"n{i - 1}" if i else None))
                for i in range(count)
            ]
        )
    else:
        flow = dialog.build(big_dialog(count, fan_out=fan_out))
    single = pictures.overview(flow)
    assert single.nodes <= 3 * pictures.OVERVIEW_NODES and single.left_out
    assert single.left_out.endswith(f"of {count:,} nodes")
    parts = mermaid_blocks(pictures.markdown([flow]))
    assert len(parts) > 1
    drawn = [
        line for part in parts for line in part.split("\n") if re.match(r"    n\d+\[\"", line) and "#9;" not in line
    ]
    assert_grammar([single.text] + parts)
    # every node is drawn in exactly one part (as itself; context copies are drawn grey, without condition)
    own = re.compile(r'#35;intent_(\d+)"') if fan_out != 1 else re.compile(r'\["N(\d+)"\]')
    numbers = [int(m.group(1)) for part in parts for m in own.finditer(part)]
    if fan_out == 1:
        numbers = [int(m.group(1)) for part in parts for m in re.finditer(r'    n\d+\["N(\d+)"\]', part)]
        assert sorted(set(numbers)) == list(range(count))
    else:
        assert sorted(numbers) == list(range(count))
    assert drawn


def test_labels_heavy_with_entities_split_before_the_text_limit():
    nodes = [
        (f"dialog_nodes/{i}.yaml", node(f"n{i}", "🙏|" * 40, previous=f"n{i - 1}" if i else None, condition="<>" * 40))
        for i in range(200)
    ]
    flow = dialog.build(nodes)
    parts = mermaid_blocks(pictures.markdown([flow]))
    assert all(len(part) < mermaid.MAX_TEXT for part in parts)
    assert sum(part.count("#128591;#124;") // 29 for part in parts) >= 200 - 1
    assert_grammar(parts + [pictures.overview(flow).text])


@pytest.mark.slow  # Mermaid parses pictures of thousands of nodes
def test_large_skills_parse_with_mermaid(mermaid_parser):
    flow = dialog.build(big_dialog(3000))
    assert_parses(mermaid_parser, [pictures.overview(flow).text] + mermaid_blocks(pictures.markdown([flow]))[:6])


def test_show_mermaid_and_markdown_from_the_command_line(cli, copy_sample, tmp_path):
    tree = dialog_tree(tmp_path / "big", [data for _, data in big_dialog(400)])
    one = cli("show", "--dir", tree, "--format", "mermaid")
    assert one.exit_code == 0 and one.stdout.startswith("flowchart LR\n")
    assert "warning: the picture leaves out" in one.stderr and "--format markdown" in one.stderr
    parts = cli("show", "--dir", tree, "--format", "markdown")
    assert parts.stdout.startswith("### Dialog: 400 nodes, in ")
    item = cli("show", "--dir", copy_sample("dialog-skill"), "Complaint", "-f", "mermaid")
    assert item.exit_code == 0 and item.stderr == ""
    focus = re.search(r'    (n\d+)\["Complaint<br/>if #35;complaint"\]\n', item.stdout)
    assert focus and f"    class {focus.group(1)} focus\n" in item.stdout
    assert_grammar([one.stdout, item.stdout] + mermaid_blocks(parts.stdout))


@functools.cache
def corpus_pictures() -> tuple:
    """Every picture `show` draws of every dialog and actions export of the shared corpus
    (overview, every part, and one item's neighbourhood), without duplicates."""
    texts, exports = [], 0
    for kind in ("dialog", "actions"):
        for path in corpus_files(kind):
            side = from_export_file(path)
            flows = source.flows_in(side.entries, side.data)
            assert flows and sum(len(f.nodes) for f in flows), path.name
            outline.outline(flows)
            texts += every_picture(flows)
            exports += 1
    return exports, tuple(dict.fromkeys(texts))


def test_every_corpus_picture_passes_the_grammar(shared_corpus):
    exports, texts = corpus_pictures()
    assert exports >= 40
    assert_grammar(list(texts))


@pytest.mark.slow  # a sweep of the shared corpus through node (~20 s); the sample pictures below parse in every run
def test_every_corpus_picture_parses_with_mermaid(shared_corpus, mermaid_parser):
    exports, texts = corpus_pictures()
    assert_parses(mermaid_parser, list(texts))
    print(f"Mermaid parsed {len(texts)} pictures of {exports} corpus exports")


def test_sample_pictures_parse_with_mermaid(mermaid_parser, copy_sample):
    texts = []
    for name in ("dialog-skill", "actions-skill", "assistant-zip"):
        flows = source.read_flows(SAMPLE_REPO / name)
        texts += every_picture(flows)
    assert_grammar(texts)
    assert_parses(mermaid_parser, texts)
