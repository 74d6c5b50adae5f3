"""Command line: parse, call the library, turn errors into exit codes.

Each command lives in assistantgit/commands/<name>.py as a plain function with
typer annotations; this module only registers them and runs the app. Start-up is
what a pre-commit hook or a script calling us in a loop pays on every call, so:
`--version` answers before typer is imported; a command line naming a command
registers that command alone (its module only, not the other sixteen); command
modules import heavy libraries inside their functions; and the plain parameters
(str, Path, lists of them, valid enum choices, ints) are converted here instead of
by typer's pydantic TypeAdapters, which cost about 60 ms per run (cliparams.py).
"""

from __future__ import annotations

import importlib
import io
import os
import signal
import sys
import threading
from functools import cache
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from . import __version__
from .cliparse import for_typer, parse
from .console import out
from .errors import EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_UNEXPECTED, AssistantGitError, Terminated

# name -> "module:function" (or "module:app", a group of subcommands); the order is the order of `--help`.
COMMANDS = {
    "pull": "pull:pull",
    "push": "push:push",
    "diff": "diff:diff",
    "validate": "validate:validate",
    "show": "show:show",
    "fmt": "fmt:fmt",
    "init": "init:init",
    "restore": "restore:restore",
    "promote": "promote:promote",
    "publish": "publish:publish",
    "deploy": "deploy:deploy",
    "status": "status:status",
    "preview": "preview:preview",
    "logs": "logs:logs",
    "secrets": "secrets:app",
    "test": "test:test",
    "test record": "test:record",
    "translate": "translate:app",
    "git-setup": "git_setup:git_setup",
    "textconv": "git_setup:textconv",
}
# Commands that other programs call (git's textconv driver), not people, and the second word
# of a two-word command (`test record`, listed in its first word's help): kept out of --help.
HIDDEN = {"textconv", "test record"}

if TYPE_CHECKING:
    import typer


def build_app(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with `only` that one (the one a command line names)."""
    import typer

    app = typer.Typer(
        name="assistantgit",
        help=(
            "Conversational-assistant exports (Watson Assistant, Avaamo) under git: pull an export into "
            "reviewable files, push them back as an upload-ready export.\n\n"
            "Exit codes: 0 success, 1 findings or a failed remote operation, 2 unusable input or usage, "
            "3 unexpected error.\n\n"
            "Example: assistantgit pull skill-export.json --dir my-skill && assistantgit push --dir my-skill --out upload.json"
        ),
        add_completion=True,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def _version(value: bool) -> None:
        if value:
            print(f"assistantgit {__version__}")
            raise typer.Exit()

    @app.callback()
    def root(
        version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
        quiet: bool = typer.Option(
            False, "--quiet", "-q", help="Print only errors and results (for scripts). Also accepted after the command."
        ),
        no_color: bool = typer.Option(
            False, "--no-color", help="No colour, even on a terminal (NO_COLOR=1 does the same)."
        ),
    ) -> None:
        out.quiet = out.quiet or quiet
        out.no_color = out.no_color or no_color

    for name in COMMANDS:
        if only is not None and name != only:
            continue
        command = command_function(name)
        if isinstance(command, typer.Typer):  # a command with subcommands (translate export/import/status)
            app.add_typer(command, name=name, hidden=name in HIDDEN)
        else:
            app.command(name, hidden=name in HIDDEN)(for_typer(command))
    return app


def command_function(name: str):
    """The function (or typer sub-app) of command `name`, its module imported now."""
    module, function = COMMANDS[name].split(":")
    return getattr(importlib.import_module(f".commands.{module}", __package__), function)


def _plain_call(args: list[str]):
    """(function, keyword arguments) when `args` names a command whose command line is plain
    (cliparse.py): it runs without typer. None otherwise."""
    name = args[0] if args else None
    if name not in COMMANDS:
        return None
    function = command_function(name)
    if not hasattr(function, "__code__"):  # a typer sub-app (secrets, translate): typer parses it
        return None
    call = parse(function, args[1:])
    return None if call is None else (function, call)


# What an option's value is, in --help (`--dir FOLDER`); any other option shows its name in capitals.
METAVARS = {
    "dir": "FOLDER",
    "source": "FOLDER",
    "out": "FILE",
    "env": "NAME",
    "ref": "REV",
    "select": "RULE",
    "pattern": "GLOB",
    "page-limit": "N",
    "since": "DATE",
    "filter": "QUERY",
    "workspace-id": "ID",
    "assistant-id": "ID",
    "environment-id": "ID",
    "description": "TEXT",
    "platform-version": "VERSION",
}


def readable_help(command):
    """--help in a user's words, for every command: a value's meaning (`--dir FOLDER`) instead
    of a type name (`<path>`, `<list[str]>`, `<int range>`), choices spelled out
    (`<text|markdown|json>`), `diff [A] [B]` and `restore BACKUP` in the usage line, and each
    command's first sentence whole in the command list (click cuts it at 45 characters)."""
    for sub in getattr(command, "commands", {}).values():
        readable_help(sub)
    if command.help and not command.short_help:
        command.short_help = _first_sentence(command.help)
    for param in command.params:
        if param.param_type_name == "argument":
            _readable_argument(param)
        elif not getattr(param, "is_flag", False) and not _is_choice(param):
            if param.metavar is None:
                long = max(param.opts, key=len).lstrip("-")
                param.metavar = METAVARS.get(long, long.upper().replace("-", "_"))
    return command


def _is_choice(param) -> bool:
    descriptor = getattr(param, "type_descriptor", None)  # typer's own click
    if descriptor is not None:
        return bool(descriptor.is_choice)
    return bool(getattr(getattr(param, "type", None), "choices", None))


def _readable_argument(param) -> None:
    name = (param.metavar or param.name.upper()).strip("[]")  # show's own metavar is "[ITEM]"
    param.metavar = name
    shown = name if param.required else f"[{name}]"
    if param.nargs != 1:
        shown += "..."
    param.display_type_rich = lambda ctx: None  # the name says what it is
    param._usage_display_name = lambda: shown
    param._rich_display_name = lambda: shown


def _first_sentence(text: str) -> str:
    paragraph = " ".join(text.strip().split("\n\n", 1)[0].split())
    end = paragraph.find(". ")
    return paragraph if end < 0 else paragraph[: end + 1]


def _named_command(args: list[str]) -> str | None:
    """The command a command line names (its first word after the global options), if it is one of ours."""
    for arg in args:
        if arg in ("--help", "-h", "--version"):
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _two_word_commands(args: list[str]) -> list[str]:
    """`test record ...` is the command named "test record": `test` takes paths, so a typer
    sub-app could not tell its subcommand from a path."""
    if args[:2] == ["test", "record"]:
        return ["test record", *args[2:]]
    return args


def _take_global_flags(args: list[str]) -> list[str]:
    """Accept --quiet/-q and --no-color after the command name too."""
    kept, passthrough = [], False
    for arg in args:
        if passthrough:
            kept.append(arg)
        elif arg == "--":
            passthrough = True
            kept.append(arg)
        elif arg in ("--quiet", "-q"):
            out.quiet = True
        elif arg == "--no-color":
            out.no_color = True
        else:
            kept.append(arg)
    return kept


def _crash_log(error: BaseException) -> str:
    import tempfile
    import traceback

    handle, path = tempfile.mkstemp(prefix="assistantgit-crash-", suffix=".log")
    with os.fdopen(handle, "w", encoding="utf-8") as log:
        log.write(f"assistantgit {__version__}, Python {sys.version.split()[0]}\n")
        log.write(" ".join(sys.argv) + "\n\n")
        log.write("".join(traceback.format_exception(error)))
    return path


@runtime_checkable
class _Shown(Protocol):
    """What typer's errors (its copy of click's) offer: printing themselves as click does.
    Reached through typer's public TyperException, not its private click modules."""

    def show(self) -> None: ...


@cache
def _click_command(name: str | None):
    """The click command of `name` (all commands when None), built once per process: typer
    takes ~60 ms to build the whole tree, more than most commands take, and the tests run
    thousands of commands in one process. A real process runs one command: nothing changes there."""
    import typer

    from .cliparams import convert_plain_parameters

    command = readable_help(typer.main.get_command(build_app(name)))
    convert_plain_parameters(command)
    return command


def run(args: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (used by tests and `main`)."""
    out.quiet = out.no_color = out.stdout_closed = False
    _signals_received.clear()
    try:  # a lone surrogate in a skill's text (valid JSON) must not crash a report: escape it
        cast(io.TextIOWrapper, sys.stdout).reconfigure(errors="backslashreplace")
    except (AttributeError, ValueError):
        pass
    args = _two_word_commands(_take_global_flags(list(sys.argv[1:] if args is None else args)))
    if args == ["--version"]:  # before typer is imported: what a script checking the tool waits for
        print(f"assistantgit {__version__}")
        return 0
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        plain = _plain_call(args)
        result = plain[0](**plain[1]) if plain else _typer_main(args)
    except AssistantGitError as error:
        out.error(error.message)
        return error.exit_code
    except KeyboardInterrupt as stop:
        return _stopped(stop)
    except BrokenPipeError:
        return 0
    except Exception as error:  # the last net: a traceback goes to a log, not the terminal
        path = _crash_log(error)
        out.error(f"unexpected error: {type(error).__name__}: {error} (details in {path}; please report it)")
        return EXIT_UNEXPECTED
    finally:
        if main_thread and previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if result == EXIT_INTERRUPTED:  # typer turns KeyboardInterrupt into this code, silently
        return _stopped(Terminated() if _signals_received else KeyboardInterrupt())
    return result if isinstance(result, int) else 0


def _typer_main(args: list[str]):
    """Run `args` through typer: help, completion, usage errors and every command line
    cliparse.py leaves to it. Returns the command's result or an exit code."""
    import typer

    command = _click_command(_named_command(args))
    try:
        return command.main(args, prog_name="assistantgit", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.TyperException as error:  # a usage error: its own message, usage line and exit code
        if isinstance(error, _Shown):
            error.show()
        else:  # pragma: no cover - every such error typer raises shows itself
            out.error(error.message)
        return error.exit_code
    except typer.Abort as stop:  # typer's Ctrl-C: stop the way our own KeyboardInterrupt does
        raise (stop.__cause__ if isinstance(stop.__cause__, KeyboardInterrupt) else KeyboardInterrupt()) from None


def _stopped(cause) -> int:
    if isinstance(cause, Terminated):
        out.error("terminated")
        return EXIT_TERMINATED
    out.error("interrupted")
    return EXIT_INTERRUPTED


_signals_received: list[int] = []


def _terminate(number, _frame) -> None:
    """SIGTERM (a cancelled CI job, `timeout`) ends the command the way Ctrl-C does: staging
    folders and temporary files are removed on the way out, not left behind."""
    _signals_received.append(number)
    raise Terminated()


def main() -> None:
    sys.exit(run())
