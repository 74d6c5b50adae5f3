"""The reports of a conversation run: JUnit XML valid against the JUnit schema pytest's own
tests use (junit-10.xsd, taken at test time from pytest's source distribution on PyPI,
never copied into this repository), markdown for a pull-request comment, JSON."""

from __future__ import annotations

import json
import tarfile
from xml.etree import ElementTree

import pytest

from testing.conversations import line_of
from testing.sdist import fetch_sdist


@pytest.fixture(scope="session")
def junit_schema(tmp_path_factory):
    """xmlschema's view of junit-10.xsd from the sdist of the pytest that runs these tests."""
    xmlschema = pytest.importorskip("xmlschema")
    folder = tmp_path_factory.mktemp("pytest-sdist")
    archive_path, why = fetch_sdist("pytest", pytest.__version__, folder)
    if archive_path is None:
        pytest.skip(f"could not download the pytest=={pytest.__version__} sdist holding junit-10.xsd: {why}")
    with tarfile.open(archive_path) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("testing/example_scripts/junit-10.xsd"))
        text = archive.extractfile(member).read().decode("utf-8")
    return xmlschema.XMLSchema(text)


@pytest.fixture
def broken_run(dialog_project, chat):
    """A project whose run has a failure (a changed text) and an error (a refused message)."""
    workspace = chat.state.workspaces["ws-dev"]
    refund = next(n for n in workspace["dialog_nodes"] if n["dialog_node"] == "node_refund")
    refund["output"]["generic"][0]["values"][0]["text"] = 'Refunds: <ask> & "see" | the desk\x01.'
    chat.state.workspaces["ws-dev"] = dict(workspace)
    chat.state.fail("POST", r"/message$", 400, times=1, after=0, body={"error": "Invalid input", "code": 400})
    return dialog_project


@pytest.mark.network
@pytest.mark.slow
def test_junit_xml_is_valid_against_the_junit_schema(cli, broken_run, junit_schema, tmp_path):
    report = tmp_path / "results.xml"
    result = cli("test", "--env", "dev", "--jobs", "1", "--junit", report)
    assert result.exit_code == 1
    junit_schema.validate(str(report))
    root = ElementTree.parse(report).getroot()
    assert root.tag == "testsuites" and root.get("failures") == "1" and root.get("errors") == "1"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {
        "skill/conversations/help.yaml",
        "skill/conversations/orders.yaml",
        "skill/conversations/service.yaml",
        "coverage",
    }
    failure = suites["skill/conversations/service.yaml"].find("testcase[@name='How refunds work']/failure")
    line = line_of(broken_run / "skill" / "conversations" / "service.yaml", "text_contains: Register the return")
    assert failure.get("message").startswith(f"skill/conversations/service.yaml:{line}: turn 1: text_contains")
    assert 'actual:   "Refunds: <ask> & \\"see\\" | the desk\\u0001."' in failure.text
    assert len(root.findall(".//error")) == 1
    coverage = {p.get("name"): p.get("value") for p in suites["coverage"].iter("property")}
    assert coverage["coverage.intents"].endswith("/12)") and "coverage.dialog_nodes.unreached" in coverage


@pytest.mark.network
@pytest.mark.slow
def test_junit_of_a_passing_run_is_valid_too(cli, dialog_project, junit_schema, tmp_path):
    report = tmp_path / "ok.xml"
    assert cli("test", "--env", "dev", "--junit", report).exit_code == 0
    junit_schema.validate(str(report))
    assert ElementTree.parse(report).getroot().get("failures") == "0"


def test_markdown_is_a_pull_request_comment(cli, broken_run):
    result = cli("test", "--env", "dev", "--jobs", "1", "--format", "markdown")
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith("### ❌ Conversation tests\n")
    assert "| Where | Conversation | Turn | Check | Expected | Actual |" in text
    row = next(line for line in text.splitlines() if "How refunds work" in line)
    assert row.count(" | ") == 5, "a | inside a text must not open a new column"
    assert "\\|" in row
    assert "| Coverage | Reached | | Never reached |" in text and "| dialog nodes |" in text


def test_json_report_carries_everything(cli, broken_run):
    result = cli("test", "--env", "dev", "--jobs", "1", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"]["failed"] == 1 and report["summary"]["errors"] == 1
    failed = next(c for c in report["conversations"] if c["status"] == "failed")
    assert (
        failed["failures"][0]["check"] == "text_contains" and failed["failures"][0]["input"] == "how do I get a refund?"
    )
    assert set(report["coverage"]) == {"intents", "dialog nodes"}
    assert report["coverage"]["dialog nodes"]["total"] == 27


def test_a_junit_file_is_not_left_half_written(cli, dialog_project, tmp_path):
    target = tmp_path / "no-such-folder" / "results.xml"
    result = cli("test", "--env", "dev", "--junit", target)
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not target.parent.exists()
