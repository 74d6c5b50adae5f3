"""Wrong types in every field the code reads (issue 11): never a crash, always one line.

`format: [x]`, a dialog node's `parent` as a list, `omitted: [[a]]` or an Avaamo name with
a NUL crashed commands with exit 3. Each known case is checked for its message and place;
then hypothesis puts values of random types into every field that the formats, diff,
validate and fmt read, and every command must exit 0, 1 or 2, never 3.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistantgit import canonical
from testing.paths import SAMPLE_REPO

SAMPLE = SAMPLE_REPO

# (sample tree, file, key path): the fields the code reads, per format.
FIELDS = {
    "dialog-skill": [
        ("skill.yaml", ("format",)),
        ("skill.yaml", ("format_version",)),
        ("skill.yaml", ("workspace",)),
        ("skill.yaml", ("workspace", "name")),
        ("skill.yaml", ("workspace", "language")),
        ("skill.yaml", ("workspace", "description")),
        ("skill.yaml", ("workspace", "system_settings")),
        ("skill.yaml", ("envelope",)),
        ("skill.yaml", ("omitted",)),
        ("skill.yaml", ("omitted", 0)),
        ("counterexamples.yaml", ()),
        ("counterexamples.yaml", (0,)),
        ("webhooks.yaml", ()),
        ("intents/greeting.yaml", ()),
        ("intents/greeting.yaml", ("intent",)),
        ("intents/greeting.yaml", ("description",)),
        ("intents/greeting.yaml", ("examples",)),
        ("intents/greeting.yaml", ("examples", 0)),
        ("entities/product_category.yaml", ("entity",)),
        ("entities/product_category.yaml", ("fuzzy_match",)),
        ("entities/product_category.yaml", ("values",)),
        ("entities/product_category.yaml", ("values", 0)),
        ("entities/product_category.yaml", ("values", 0, "value")),
        ("entities/product_category.yaml", ("values", 0, "type")),
        ("entities/product_category.yaml", ("values", 0, "synonyms")),
        ("entities/product_category.yaml", ("values", 0, "synonyms", 0)),
        ("entities/product_category.yaml", ("values", 0, "patterns")),
        ("dialog_nodes/Help.yaml", ()),
        ("dialog_nodes/Help.yaml", ("dialog_node",)),
        ("dialog_nodes/Help.yaml", ("title",)),
        ("dialog_nodes/Help.yaml", ("parent",)),
        ("dialog_nodes/Help.yaml", ("previous_sibling",)),
        ("dialog_nodes/Help.yaml", ("conditions",)),
        ("dialog_nodes/Help.yaml", ("type",)),
        ("dialog_nodes/Help.yaml", ("next_step",)),
        ("dialog_nodes/Help.yaml", ("next_step", "behavior")),
        ("dialog_nodes/Help.yaml", ("next_step", "dialog_node")),
        ("dialog_nodes/Help.yaml", ("next_step", "selector")),
        ("dialog_nodes/Help.yaml", ("output",)),
        ("dialog_nodes/Help.yaml", ("output", "generic")),
        ("dialog_nodes/Help.yaml", ("output", "generic", 0)),
        ("dialog_nodes/Help.yaml", ("output", "generic", 0, "values")),
        ("dialog_nodes/Help.yaml", ("context",)),
        ("dialog_nodes/Help.yaml", ("actions",)),
        ("dialog_nodes/Help.yaml", ("event_name",)),
        ("dialog_nodes/Help.yaml", ("variable",)),
        ("dialog_nodes/Help.yaml", ("metadata",)),
        ("dialog_nodes/Help.yaml", ("digress_in",)),
    ],
    "actions-skill": [
        ("skill.yaml", ("format",)),
        ("skill.yaml", ("format_version",)),
        ("skill.yaml", ("workspace",)),
        ("skill.yaml", ("envelope",)),
        ("skill.yaml", ("omitted",)),
        ("counterexamples.yaml", (0,)),
        ("actions/Where_is_my_order.yaml", ()),
        ("actions/Where_is_my_order.yaml", ("action",)),
        ("actions/Where_is_my_order.yaml", ("title",)),
        ("actions/Where_is_my_order.yaml", ("condition",)),
        ("actions/Where_is_my_order.yaml", ("condition", "intent")),
        ("actions/Where_is_my_order.yaml", ("steps",)),
        ("actions/Where_is_my_order.yaml", ("steps", 0)),
        ("actions/Where_is_my_order.yaml", ("steps", 0, "step")),
        ("actions/Where_is_my_order.yaml", ("steps", 0, "next_step")),
        ("actions/Where_is_my_order.yaml", ("steps", 0, "output")),
        ("actions/Where_is_my_order.yaml", ("steps", 0, "handlers")),
        ("actions/Where_is_my_order.yaml", ("variables",)),
        ("actions/Where_is_my_order.yaml", ("variables", 0)),
        ("actions/Where_is_my_order.yaml", ("intent",)),
        ("actions/Where_is_my_order.yaml", ("intent", "intent")),
        ("actions/Where_is_my_order.yaml", ("intent", "examples")),
        ("actions/Where_is_my_order.yaml", ("intent", "examples", 0)),
        ("variables/customer_name.yaml", ("variable",)),
        ("variables/customer_name.yaml", ("title",)),
        ("variables/customer_name.yaml", ("initial_value",)),
        ("collections/Orders.yaml", ("collection",)),
        ("collections/Orders.yaml", ("title",)),
        ("entities/sys-number.yaml", ("entity",)),
        ("entities/sys-number.yaml", ("values",)),
    ],
    "assistant-zip": [
        ("assistant.yaml", ("format",)),
        ("assistant.yaml", ("format_version",)),
        ("assistant.yaml", ("members",)),
        ("assistant.yaml", ("members", 0)),
        ("dialog/skill.yaml", ("format",)),
        ("dialog/dialog_nodes/Help.yaml", ("parent",)),
        ("actions/skill.yaml", ("omitted",)),
    ],
    "avaamo-agent": [
        ("agent.yaml", ()),
        ("agent.yaml", ("format",)),
        ("agent.yaml", ("format_version",)),
        ("agent.yaml", ("name",)),
        ("agent.yaml", ("agent_id",)),
        ("agent.yaml", ("timestamp",)),
        ("agent.yaml", ("exported_at",)),
        ("agent.yaml", ("platform_version",)),
        ("agent.yaml", ("platform_version_from",)),
        ("agent.yaml", ("archive_comment",)),
        ("agent.yaml", ("members",)),
        ("agent.yaml", ("members", 0)),
        ("agent.yaml", ("members", 0, "name")),
        ("agent.yaml", ("members", 0, "kind")),
        ("agent.yaml", ("members", 0, "file")),
        ("agent.yaml", ("members", 0, "compression")),
        ("agent.yaml", ("members", 7, "file")),
        ("files/entities.yaml", ()),
        ("files/entities.yaml", (0,)),
    ],
}

ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "../../escaped",
        "/tmp/x",
        "a\x00b",
        "n" * 300,
        "<< x.yaml",
        "<< ../agent.yaml",
        "*",
        "null",
        "files/",
        "1e400",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | ODD_TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5) | ODD_TEXT, inner, max_size=3),
    max_leaves=8,
)


def put(data, path: tuple, value):
    """`data` with the field at `path` set to `value` (the whole document for ())."""
    if not path:
        return value
    holder = data
    for part in path[:-1]:
        if (isinstance(holder, dict) and part in holder) or (
            isinstance(holder, list) and isinstance(part, int) and part < len(holder)
        ):
            holder = holder[part]
        else:
            return data
    last = path[-1]
    if (isinstance(holder, dict) and isinstance(last, str)) or (
        isinstance(holder, list) and isinstance(last, int) and last < len(holder)
    ):
        holder[last] = value
    return data


def run_all(cli, tree: Path, out: Path) -> list:
    results = []
    for args in (
        ("validate", "--dir", tree),
        ("push", "--dir", tree, "--out", out),
        ("diff", SAMPLE / tree.name, tree),
        ("fmt", "--check", "--dir", tree),
        ("show", "--dir", tree),
    ):
        result = cli(*args)
        results.append((args[0], result.exit_code, result.stderr))
    return results


# The default run types one sample at random; the full suite every sample.
@pytest.mark.parametrize(
    "sample", [pytest.param(s, marks=() if s == "dialog-skill" else pytest.mark.slow) for s in sorted(FIELDS)]
)
def test_random_types_in_every_field_never_crash(sample, cli, tmp_path_factory):
    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(st.sampled_from(FIELDS[sample]), VALUES)
    def check(target, value):
        rel, path = target
        base = tmp_path_factory.mktemp("typed")
        tree = base / sample
        shutil.copytree(SAMPLE / sample, tree)
        data = canonical.loads((tree / rel).read_text(encoding="utf-8")) if (tree / rel).exists() else {}
        changed = put(data, path, value)
        if not isinstance(changed, (dict, list)):  # a whole file of one scalar: canonical writes only collections
            text = json.dumps(changed) + "\n"
        else:
            text = canonical.dumps(changed) if changed not in ({}, []) or path else "{}\n"
        (tree / rel).write_text(text, encoding="utf-8")
        out = base / ("out/" if sample == "avaamo-agent" else "out.json")
        if sample == "avaamo-agent":
            out.mkdir()
        for command, code, stderr in run_all(cli, tree, out):
            assert code in (0, 1, 2), (command, rel, path, value, stderr)
            assert "unexpected error" not in stderr, (command, rel, path, value, stderr)
            if code == 2:
                assert len([line for line in stderr.splitlines() if line.startswith("error: ")]) == 1, stderr

    check()


KNOWN = [
    ("dialog-skill", "skill.yaml", ("format",), ["x"], "skill.yaml:1:1: 'format' must be the name of a format"),
    ("dialog-skill", "skill.yaml", ("format",), {"a": "b"}, "skill.yaml:1:1: 'format' must be the name of a format"),
    (
        "dialog-skill",
        "dialog_nodes/Help.yaml",
        ("parent",),
        ["a"],
        "dialog_nodes/Help.yaml:4:1: 'parent' must be text, not a list",
    ),
    (
        "dialog-skill",
        "dialog_nodes/Help.yaml",
        ("parent",),
        {"a": "b"},
        "dialog_nodes/Help.yaml:4:1: 'parent' must be text, not a mapping",
    ),
    (
        "dialog-skill",
        "dialog_nodes/Help.yaml",
        ("previous_sibling",),
        ["x"],
        "dialog_nodes/Help.yaml:4:1: 'previous_sibling' must be text, not a list",
    ),
    (
        "dialog-skill",
        "skill.yaml",
        ("omitted",),
        [["a"]],
        "skill.yaml:5:5: each item of 'omitted' must be text, not a list",
    ),
    (
        "avaamo-agent",
        "agent.yaml",
        ("members", 0, "compression"),
        ["x"],
        "agent.yaml:8:5: 'members[0].compression' must be text, not a list",
    ),
]


@pytest.mark.parametrize("sample, rel, path, value, message", KNOWN, ids=[f"{k[1]}:{k[2]}={k[3]!r}" for k in KNOWN])
@pytest.mark.parametrize("command", ["push", "diff", "fmt", "validate"])
def test_the_cases_of_the_issue_name_the_place(sample, rel, path, value, message, command, cli, tmp_path):
    """Issue 11: each crashed (exit 3); now one line with path:line:col, exit 2 (validate: a finding)."""
    tree = tmp_path / sample
    shutil.copytree(SAMPLE / sample, tree)
    data = canonical.loads((tree / rel).read_text(encoding="utf-8"))
    (tree / rel).write_text(canonical.dumps(put(data, path, value)), encoding="utf-8")
    out = tmp_path / ("out" if sample == "avaamo-agent" else "out.json")
    if sample == "avaamo-agent":
        out.mkdir()
    args = {
        "push": ("push", "--dir", tree, "--out", out),
        "diff": ("diff", SAMPLE / sample, tree),
        "fmt": ("fmt", "--check", "--dir", tree),
        "validate": ("validate", "--dir", tree),
    }[command]
    result = cli(*args)
    if sample == "avaamo-agent" and command == "fmt":
        assert result.exit_code in (0, 1), result.stderr  # fmt does not read how a member is compressed
        return
    if command == "validate" and not message.startswith(("skill.yaml:1:1: 'format'",)):
        assert result.exit_code == 1, result.stderr
        found = result.stdout.replace(str(tree) + "/", "")
        where, _, text = message.partition(": ")
        assert where in found and text.split(",")[0] in found, found
        return
    if command == "fmt" and path != ("format",):
        assert result.exit_code in (0, 1), result.stderr  # fmt rewrites a file without reading its meaning
        return
    assert result.exit_code == 2, (result.stdout, result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0].replace(str(tree) + "/", ""), result.stderr
