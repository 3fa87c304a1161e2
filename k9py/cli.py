"""The ``k9py`` command: the TUI on an embedded cluster.

``k9py`` opens the TUI; ``k9py serve ...`` runs the API server subcommand
(``k9py.serve_cmd``); ``k9py record``/``k9py play`` record and play demo
scenarios (``k9py.record.command``); ``k9py --summary`` prints the cluster in ``kubectl get``
layout and exits (for scripts and terminals without a TUI).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import sys
from collections.abc import Sequence


def build_parser(apply_flags: bool = True) -> argparse.ArgumentParser:
    """k9py's flags; with ``apply_flags`` kubectl apply's too (``-f -R -n --prune
    --server-side --force-conflicts --field-manager --dry-run --continue-on-error
    --applyset``, from ``engine.apply.cli``), ``-n`` then also naming the
    namespace of documents that name none, as ``kubectl apply -n``."""
    parser = argparse.ArgumentParser(
        prog="k9py", description="A k9s-grade terminal UI over an embedded Kubernetes "
        "control plane. Subcommands: 'k9py serve' (the API server for kubectl), "
        "'k9py record' (a demo scenario to an asciicast), 'k9py play' (play one).")
    parser.add_argument("--nodes", type=int, default=3,
                        help="number of nodes: one control plane plus workers (default 3)")
    parser.add_argument("--state-dir", help="keep the cluster's state in this directory")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="simulated seconds per real second (default 1)")
    parser.add_argument("--theme", help="skin name from themes/ or <config dir>/themes/")
    parser.add_argument("--readonly", action="store_true",
                        help="hide and refuse every action that changes the cluster")
    parser.add_argument("--virtual", action="store_true",
                        help="virtual clock stepped by k9py (deterministic runs, recordings)")
    parser.add_argument("--serve", action="store_true",
                        help="also serve the Kubernetes API for kubectl (see 'k9py serve')")
    parser.add_argument("--kubeconfig", help="with --serve: where to write the kubeconfig "
                        "(default ~/.kube/k9py.kubeconfig)")
    parser.add_argument("-c", "--command", help="the view to open (a ':' command, e.g. deploy)")
    parser.add_argument("--summary", action="store_true",
                        help="print nodes and pods in kubectl layout and exit")
    if apply_flags:
        from engine.apply.cli import add_arguments

        add_arguments(parser)
        flags = parser._option_string_actions  # noqa: SLF001 - k9py's meaning added to two
        flags["-f"].help = "file, directory or - (stdin) to apply, then re-apply when saved"
        flags["-n"].help = "the namespace to start in, and of documents that name none"
    else:
        parser.add_argument("-f", "--filename", action="append", default=[])
        parser.add_argument("-n", "--namespace", help="the namespace to start in")
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line, with ``manifests`` (the -f paths) and ``apply_options``.

    kubectl apply's flags are loaded only when the line has ``-f``, a flag k9py
    does not know itself, or asks for help: ``engine.apply`` takes a fifth of a
    second to import, not worth it on every start."""
    args = None
    if not {"-h", "--help"} & set(argv):
        args, extra = build_parser(apply_flags=False).parse_known_args(argv)
        if args.filename or extra:
            args = None
    if args is None:
        from engine.apply.cli import from_args

        args = build_parser().parse_args(argv)
        args.manifests, args.apply_options = from_args(args)
    else:
        args.manifests, args.apply_options = [], None
    return args


def _serve(argv: list[str]) -> int:
    try:
        found = importlib.util.find_spec("k9py.serve_cmd") is not None
    except ValueError:  # imported already, without a spec
        found = True
    if not found:
        print("k9py: the 'serve' subcommand is not available in this build", file=sys.stderr)
        return 2
    from k9py import serve_cmd

    return int(serve_cmd.main(argv) or 0)


def _record_or_play(argv: list[str]) -> int:
    from k9py.record.command import play_main, record_main

    return (record_main if argv[0] == "record" else play_main)(argv[1:])


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:
        return _serve(argv[1:])
    if argv[:1] in (["record"], ["play"]):
        return _record_or_play(argv)
    args = parse_args(argv)
    if args.nodes < 1:
        print("k9py: --nodes must be at least 1", file=sys.stderr)
        return 2
    if args.speed <= 0:
        print("k9py: --speed must be positive", file=sys.stderr)
        return 2
    from k9py.embedded import EmbeddedOptions, boot

    opts = EmbeddedOptions(nodes=args.nodes, state_dir=args.state_dir, speed=args.speed,
                           virtual=args.virtual, readonly=args.readonly,
                           manifests=args.manifests, apply_options=args.apply_options,
                           watch=not args.summary, serve=args.serve,
                           kubeconfig=args.kubeconfig)
    if "-" in args.manifests:
        opts.stdin = _read_stdin(tty=not args.summary)
    if args.summary:
        return _summary(opts)
    return _run_tui(args, opts, boot)


def _read_stdin(*, tty: bool) -> io.BytesIO:
    """``-f -``: read the manifests now, before the TUI takes the terminal; with
    ``tty`` the keyboard comes back from /dev/tty when stdin was a pipe."""
    data = io.BytesIO(sys.stdin.buffer.read())
    if tty and not sys.stdin.isatty():
        try:
            fd = os.open("/dev/tty", os.O_RDONLY)
        except OSError:
            return data
        os.dup2(fd, 0)
        os.close(fd)
    return data


def _summary(opts: object) -> int:
    from k9py.embedded import boot
    from k9py.summary import cluster_summary

    session = boot(opts)  # type: ignore[arg-type]
    try:
        _print_apply_errors(session)
        print(cluster_summary(session.client))
    finally:
        session.close()
    return 0


def _print_apply_errors(session: object) -> None:
    """``-f`` errors, as kubectl prints them (the TUI shows them in its flash line)."""
    manifests = getattr(session, "manifests", None)
    if manifests is None:
        return
    from engine.apply.results import kubectl_stderr

    errors = kubectl_stderr([r for _seq, r in manifests.since(0)])
    if errors:
        print(errors, file=sys.stderr, end="" if errors.endswith("\n") else "\n")


def _run_tui(args: argparse.Namespace, opts: object, boot: object) -> int:
    from k9py.app import K9pyApp
    from k9py.config import load_config

    config = load_config()
    if args.namespace:
        config.namespace = args.namespace
    app = K9pyApp(connect=lambda: boot(opts), config=config, theme=args.theme,  # type: ignore
                  command=args.command, readonly=args.readonly)
    try:
        app.run()
    finally:
        app.shutdown_views()
        app.session.close()
        config.save()
    return 0
