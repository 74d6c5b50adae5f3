"""JUnit XML, which GitHub (test-reporter actions) and GitLab (artifacts:reports:junit) show
natively. The shape is the Jenkins xUnit schema (junit-10.xsd, the one pytest writes and
the tests validate against): one testsuite per conversation file, one testcase per
conversation, a failure per failing turn with file:line, expected and actual; coverage
goes into a last, empty testsuite as properties.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from xml.etree import ElementTree

from .runner import RunResult

# XML 1.0 refuses most control characters even escaped; a service answer may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def to_xml(result: RunResult) -> bytes:
    root = ElementTree.Element(
        "testsuites",
        name="assistantgit test",
        time=_seconds(result.seconds),
        tests=str(len(result.outcomes)),
        failures=str(result.count("failed")),
        errors=str(result.count("error")),
    )
    by_file: dict = {}
    for outcome in result.outcomes:
        by_file.setdefault(outcome.conversation.file.path, []).append(outcome)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    for path, outcomes in by_file.items():
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=_clean(path),
            file=_clean(path),
            timestamp=stamp,
            tests=str(len(outcomes)),
            failures=str(sum(o.status == "failed" for o in outcomes)),
            errors=str(sum(o.status == "error" for o in outcomes)),
            skipped="0",
            time=_seconds(sum(o.seconds for o in outcomes)),
        )
        for outcome in outcomes:
            _testcase(suite, path, outcome)
    if result.coverage is not None:
        _coverage(root, result.coverage)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _testcase(suite, path: str, outcome) -> None:
    conversation = outcome.conversation
    case = ElementTree.SubElement(
        suite,
        "testcase",
        name=_clean(conversation.name),
        classname=_clean(path.rsplit(".", 1)[0].replace("/", ".")),
        time=_seconds(outcome.seconds),
    )
    for failure in outcome.failures:
        element = ElementTree.SubElement(
            case,
            "failure",
            type=failure.key,
            message=_clean(f"{failure.where}: turn {failure.turn}: {failure.key}: expected {failure.expected}"),
        )
        element.text = _clean(
            f"{failure.where}: {conversation.name}, turn {failure.turn} ({failure.input!r})\n"
            f"expected: {failure.expected}\nactual:   {failure.actual}\n"
        )
    if outcome.error:
        element = ElementTree.SubElement(case, "error", type="RemoteError", message=_clean(outcome.error))
        element.text = _clean(outcome.error)


def _coverage(root, coverage) -> None:
    suite = ElementTree.SubElement(
        root, "testsuite", name="coverage", tests="0", failures="0", errors="0", skipped="0", time="0.000"
    )
    properties = ElementTree.SubElement(suite, "properties")
    lines = []
    for section in coverage.sections:
        key = section.name.replace(" ", "_")
        ElementTree.SubElement(
            properties,
            "property",
            name=f"coverage.{key}",
            value=f"{section.percent:.1f}% ({section.hit}/{section.total})",
        )
        ElementTree.SubElement(
            properties, "property", name=f"coverage.{key}.unreached", value=_clean(", ".join(section.unreached))
        )
        lines.append(
            f"{section.name}: {section.hit}/{section.total} ({section.percent:.1f}%); never reached: "
            f"{', '.join(section.unreached) or 'none'}"
        )
    ElementTree.SubElement(suite, "system-out").text = _clean("\n".join(lines))
