"""assistantgit validate: the rules of docs/rules.md over a source tree (pre-commit hook)."""

from __future__ import annotations

from pathlib import Path

from ..cliparse import Argument, Option
from ..console import out
from ..options import FindingsFormat


def _github(finding) -> str:
    def escape(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    level = "error" if finding.severity == "error" else "warning"
    return (
        f"::{level} file={escape(finding.path, True)},line={finding.line},col={finding.column},"
        f"title={escape(finding.rule, True)}::{escape(finding.rule + ' ' + finding.message)}"
    )


def validate(
    paths: list[Path] | None = Argument(
        None, help="Files or folders to check (default: the whole tree).", show_default=False
    ),
    dir: Path | None = Option(
        None,
        "--dir",
        "-d",
        help="The source tree (default: found above the paths, or the current folder).",
        show_default=False,
    ),
    strict: bool = Option(False, "--strict", help="Fail on warnings too (exit 1)."),
    output: FindingsFormat = Option(
        FindingsFormat.text,
        "--format",
        "-f",
        help="text (path:line:col: error: ID message), github (Actions annotations) or json.",
    ),
    select: list[str] | None = Option(
        None,
        "--select",
        help="Run only these rules: ids or prefixes (AG502, AG5), repeatable; replaces assistantgit.yaml's select.",
        show_default=False,
    ),
    ignore: list[str] | None = Option(
        None,
        "--ignore",
        help="Do not run these rules: ids or prefixes, repeatable; added to assistantgit.yaml's ignore.",
        show_default=False,
    ),
    skip_outside: bool = Option(
        False,
        "--skip-outside",
        help="Ignore named files that are in no source tree (the pre-commit hooks pass it: a repository's src/actions/*.js or .github/actions/ are not a skill's).",
    ),
) -> int:
    """Check a source tree before it is committed: YAML, names, dialog links, references,
    training data, size and canonical form. Named files are checked against the whole tree.

    Errors are what the service would refuse; quality advice (duplicate examples, few
    examples, unknown references) is a warning. Exit 0 when no error (warnings allowed),
    1 on an error (or on a warning with --strict), 2 for unusable input or configuration.
    assistantgit.yaml may select, ignore and set the severity of rules (docs/rules.md).

    Example: assistantgit validate intents/greeting.yaml --format github
    """
    import json

    from ..collector import without_gc
    from ..validate import validate as run

    if select or ignore:
        from ..validate import rule_patterns

        rule_patterns(select or [], "--select")
        rule_patterns(ignore or [], "--ignore")
    if skip_outside and paths and dir is None:
        from ..tree.source import find_root

        paths = [p for p in paths if find_root(Path(p)) is not None]
        if not paths:
            return 0
    from ..project.trees import named_or_found

    groups, line = named_or_found(paths, dir)
    if line:
        out.info(line)
    per_tree = []
    # The parsed tree is millions of objects that live to the end and hold no cycles: the
    # collector's passes over them were a fifth of a whole-tree run (10 MB: 0.6 of 3.1 s).
    with without_gc():
        for root, group in groups.items():
            findings = run(group, root, select, ignore)
            per_tree.append((root, findings))
            _say_what_is_not_checked(root, group)
    findings = [f for _, tree_findings in per_tree for f in tree_findings]
    if output is FindingsFormat.json:
        out.result(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    elif output is FindingsFormat.github:
        for finding in findings:
            out.result(_github(finding))
    else:
        color = out.stdout_color
        for finding in findings:
            out.result(_text(finding, color))
    if output is FindingsFormat.text or findings:
        for root, tree_findings in per_tree:
            out.info(_summary(root, tree_findings, len(per_tree) > 1))
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    return 1 if errors or (strict and warnings) else 0


def _text(finding, color: bool) -> str:
    """path:line:column: error: AG123 message (the severity coloured on a terminal)."""
    if not color:
        return finding.text()
    label = f"\033[1;{31 if finding.severity == 'error' else 33}m{finding.severity}:\033[0m"
    return f"{finding.path}:{finding.line}:{finding.column}: {label} {finding.rule} {finding.message}"


def _summary(root, findings, several: bool) -> str:
    from ..project.trees import shown

    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    where = shown(root) if root is not None else "the tree"
    if not findings:
        return f"{where}: no findings"
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return f"{where}: {counts}" if several else counts


def _say_what_is_not_checked(root, paths) -> None:
    from ..errors import InputError
    from ..formats.base import CheckedFormat
    from ..formats.registry import tree_format
    from ..tree.source import find_root

    found = root if root is not None else find_root(Path(paths[0] if paths else "."))
    if found is None:
        return
    try:
        fmt = tree_format(Path(found))
    except InputError:
        return
    if isinstance(fmt, CheckedFormat):
        out.info(fmt.unchecked)
