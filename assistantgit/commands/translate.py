"""assistantgit translate: training data and responses out to translators and back, one tree per language.

A sub-app of three commands (export, import, status). translate-toolkit, which reads and
writes the files, is imported only when a file is read or written.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..console import out

app = typer.Typer(
    name="translate",
    help=(
        "Translation round trip: export the strings a translator must see, import the translated file into "
        "the target language's tree, and check that the languages are in step.\n\n"
        "Example: assistantgit translate export --dir skill --out skill.xlf --language fr"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
SHOWN = 20


@app.command("export")
def export(
    dir: Path | None = typer.Option(
        None,
        "--dir",
        "-d",
        help="The source tree.",
        show_default="the tree the current folder is in, else assistantgit.yaml's source",
    ),
    out_file: Path = typer.Option(
        ..., "--out", "-o", help="The file to write (.xlf, .po or .csv).", show_default=False
    ),
    format: str | None = typer.Option(
        None, "--format", "-f", help="xliff (XLIFF 2.0), po (gettext) or csv.", show_default="from the --out suffix"
    ),
    since: str | None = typer.Option(
        None, "--since", help="Only strings new or changed since this git revision.", show_default=False
    ),
    language: str = typer.Option(
        "",
        "--language",
        "-l",
        help="The target language, written into the file for translation tools (e.g. fr).",
        show_default=False,
    ),
    pseudo: bool = typer.Option(
        False,
        "--pseudo",
        help="Fill every target with a pseudo-translation (text reversed, placeholders kept), to test the round trip.",
    ),
) -> int:
    """Write every string a translator must see (examples, synonyms, responses, options, titles)
    into a translation file: one unit per distinct string, with its stable keys and a note
    saying where it is shown.

    Example: assistantgit translate export --dir skill --out delta.po --since v1.2 --language fr

    Example: assistantgit translate export --out skill.xlf --language fr   (inside the tree's folder)
    """
    from ..project.trees import announced, find_tree
    from ..translate import formats
    from ..translate.workflow import exporting
    from ..tree import display_path, write_file_atomic

    file_format = formats.format_of(out_file.name, format)
    root = announced(find_tree(dir))
    result = exporting.export(root, file_format, since, language, pseudo)
    write_file_atomic(out_file, result.content, private=False)
    delta = f" new or changed since {since}" if since else ""
    out.info(
        f"Wrote {out_file} ({file_format}): {result.units} unit(s) for {result.strings} string(s){delta} of {display_path(root)}"
    )
    return 0


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="The translated file (.xlf, .po or .csv).", show_default=False),
    into: Path = typer.Option(
        ..., "--into", "-i", help="The target language's tree (created when missing).", show_default=False
    ),
    source: Path | None = typer.Option(
        None, "--from", help="The source tree.", show_default="the one the target's record names"
    ),
    language: str | None = typer.Option(
        None, "--language", "-l", help="The target language.", show_default="the file's"
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Refuse (exit 1, nothing written) when a string would stay untranslated."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace structure changed in the target tree (conditions, nodes) with the source's."
    ),
    format: str | None = typer.Option(
        None, "--format", "-f", help="xliff, po or csv.", show_default="from the file's suffix"
    ),
) -> int:
    """Write the translations into the target language's tree: a copy of the source tree
    (ids, conditions, context and structure unchanged, `language` set) with translated texts.
    Strings without a translation keep the source text and are listed.

    Exit 0, or 1 when a translation lacks or adds a placeholder ($var, @entity, <? ?>, {{...}}).

    Example: assistantgit translate import skill.fr.xlf --into skill-fr --from skill
    """
    from ..translate.workflow.importing import import_file

    report = import_file(file, into, source, language, strict, force, format)
    out.info(
        f"Imported {file} into {into} ({report.language}): {report.translated} string(s) translated, "
        f"{len(report.untranslated)} kept in the source language, {report.written} file(s) written"
    )
    for count, what in (
        (report.fixes, "text(s) changed directly in the target tree kept"),
        (report.extras, "example(s) or synonym(s) only the target has kept"),
        (report.merged, "example(s) or synonym(s) merged: two source texts share a translation"),
        (report.dropped_mentions, "entity annotation(s) dropped: the translation lacks their words"),
    ):
        if count:
            out.info(f"  {count} {what}")
    _list("untranslated", [f"{loc.key}" for loc in report.untranslated])
    _list("match nothing in the source (changed since the export)", [unit.source for unit in report.unmatched])
    for path, line, column, rule, message in report.problems:
        out.result(f"{path}:{line}:{column}: {rule} {message}")
    return 1 if report.problems else 0


@app.command("status")
def status(
    dir: Path | None = typer.Option(
        None,
        "--dir",
        "-d",
        help="The source tree.",
        show_default="the one the target's record names, else the tree the current folder is in",
    ),
    into: Path = typer.Option(..., "--into", "-i", help="The target language's tree.", show_default=False),
    exit_code: bool = typer.Option(
        False,
        "--exit-code",
        help="Exit 1 when anything is missing, outdated, out of step or has a placeholder problem.",
    ),
) -> int:
    """Which source strings have no translation, or one made for an earlier text; items in one
    tree and not the other; items whose structure differs; placeholder problems.

    Example: assistantgit translate status --dir skill --into skill-fr --exit-code

    Example: assistantgit translate status --into skill-fr   (the source its record names)
    """
    from ..translate.workflow.status import status as compute

    root = _source_of(dir, into)
    report = compute(root, into)
    out.result(f"{'kind':<16}{'strings':>9}{'translated':>12}{'missing':>9}{'outdated':>10}")
    for kind, row in sorted(report.counts.items()):
        out.result(f"{kind:<16}{row['strings']:>9}{row['translated']:>12}{row['missing']:>9}{row['outdated']:>10}")
    for title, locations in (("missing", report.missing), ("outdated (the source changed since)", report.outdated)):
        if locations:
            out.result(f"\n{title}:")
            for location in locations:
                out.result(f"  {location.key}")
    for title, names in (
        (f"only in {root}", report.only_source),
        (f"only in {into}", report.only_target),
        ("structure differs (run translate import)", report.differs),
    ):
        if names:
            out.result(f"\n{title}:")
            out.result("\n".join(f"  {name}" for name in names))
    if report.problems:
        out.result("")
    for path, line, column, rule, message in report.problems:
        out.result(f"{path}:{line}:{column}: {rule} {message}")
    if report.in_step:
        out.info(f"{into} is in step with {root}.")
    return 1 if exit_code and not report.in_step else 0


def _source_of(given: Path | None, into: Path) -> Path:
    """status's source tree: --dir, else the one the target's translation record names (the
    target is often where the user stands), else the tree found as every command finds it."""
    import os

    from ..project.trees import Located, announced, find_tree
    from ..translate import record as records

    if given is None and into.is_dir():
        record = records.load(into)
        if record is not None and record.source:
            return announced(
                Located(Path(os.path.normpath(into / record.source)), f"the translation record in {into} names it")
            )
    return announced(find_tree(given))


def _list(title: str, names: list) -> None:
    if not names:
        return
    out.info(f"{len(names)} {title}:")
    for name in names[:SHOWN]:
        out.info(f"  {name}")
    if len(names) > SHOWN:
        out.info(f"  ... and {len(names) - SHOWN} more (translate status lists them all)")
