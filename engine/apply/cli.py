"""kubectl's apply flags for k9py's command line (and the TUI's ``:apply`` line).

::

    parser = argparse.ArgumentParser(prog="k9py")
    add_arguments(parser)
    args = parser.parse_args(argv)
    paths, options = from_args(args)     # paths == [] when no -f was given
    session = ApplySession(cluster.client, paths, options)

``parse_command("samples/nginx -R --prune")`` reads the arguments of a
``:apply`` command the same way (``-f`` optional there).
"""

from __future__ import annotations

import argparse
import shlex

from engine.apply.options import ApplyOptions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``-f``, ``-R``, ``-n``, ``--prune``, ``--server-side``, ``--force-conflicts``,
    ``--field-manager``, ``--dry-run``, ``--continue-on-error``, ``--applyset``."""
    group = parser.add_argument_group("manifests (kubectl apply)")
    group.add_argument("-f", "--filename", action="append", default=[], metavar="PATH",
                       help="file, directory or - (stdin) to apply; repeatable")
    group.add_argument("-R", "--recursive", action="store_true",
                       help="walk the directories given with -f recursively")
    group.add_argument("-n", "--namespace", default=None,
                       help="namespace for documents that name none")
    group.add_argument("--prune", action="store_true",
                       help="delete objects applied earlier that no file holds any more")
    group.add_argument("--server-side", action="store_true",
                       help="server-side apply (field manager --field-manager)")
    group.add_argument("--force-conflicts", action="store_true",
                       help="server-side apply takes over conflicting fields")
    group.add_argument("--field-manager", default="k9py",
                       help="field manager for server-side apply (default k9py)")
    group.add_argument("--dry-run", choices=("none", "server"), default="none",
                       help="server: validate every write without making it")
    group.add_argument("--continue-on-error", action="store_true",
                       help="apply a file's good documents even if others fail")
    group.add_argument("--applyset", default="k9py",
                       help="name of the ApplySet parent Secret --prune uses")


def from_args(args: argparse.Namespace) -> tuple[list[str], ApplyOptions]:
    """The paths and options the parsed arguments ask for."""
    return list(args.filename), ApplyOptions(
        namespace=args.namespace, recursive=args.recursive, prune=args.prune,
        server_side=args.server_side, force_conflicts=args.force_conflicts,
        field_manager=args.field_manager, dry_run=args.dry_run == "server",
        continue_on_error=args.continue_on_error, applyset=args.applyset)


def parse_command(line: str, defaults: ApplyOptions | None = None
                  ) -> tuple[list[str], ApplyOptions]:
    """The arguments of the TUI's ``:apply PATH [flags]`` command.

    Bare words are paths; flags override ``defaults`` (the session's options).
    Raises ``ValueError`` with argparse's message on bad input.
    """
    parser = _CommandParser(prog=":apply", add_help=False)
    add_arguments(parser)
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args(shlex.split(line))
    paths, options = from_args(args)
    paths += args.paths
    if defaults is not None:
        options = _merged(defaults, options, _given(line))
    return paths, options


class _CommandParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ValueError(message)


def _given(line: str) -> set[str]:
    words = shlex.split(line)
    return {w.lstrip("-").split("=", 1)[0].replace("-", "_") for w in words if w.startswith("-")}


_SHORT = {"R": "recursive", "n": "namespace"}


def _merged(defaults: ApplyOptions, given: ApplyOptions, flags: set[str]) -> ApplyOptions:
    names = {_SHORT.get(f, f) for f in flags}
    values = {k: getattr(given if k in names else defaults, k)
              for k in ApplyOptions.__dataclass_fields__}
    return ApplyOptions(**values)

