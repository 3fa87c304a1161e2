"""``k9py serve``: the embedded cluster behind a Kubernetes API endpoint that
kubectl and client libraries use through the kubeconfig it writes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from engine.cluster import ClusterConfig


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--port", type=int, default=0,
                        help="port to listen on (default: any free port)")
    parser.add_argument("--address", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, loopback only)")
    parser.add_argument("--kubeconfig", help="where to write the kubeconfig "
                                             "(default ~/.kube/k9py.kubeconfig)")
    parser.add_argument("--state-dir", help="keep the cluster's state in this directory")
    parser.add_argument("--nodes", type=int, default=3,
                        help="number of nodes: one control plane plus workers (default 3)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="simulated seconds per real second (default 1)")
    return parser


DESCRIPTION = ("Run the embedded cluster behind a Kubernetes API endpoint (HTTPS on loopback) "
               "and write a kubeconfig for kubectl and client libraries; stop with Ctrl-C.")


def build_parser() -> argparse.ArgumentParser:
    return add_arguments(argparse.ArgumentParser(prog="k9py serve", description=DESCRIPTION))


def run(args: argparse.Namespace) -> int:
    from engine.serve import serve

    if args.nodes < 1:
        print("k9py: --nodes must be at least 1", file=sys.stderr)
        return 2
    if args.speed <= 0:
        print("k9py: --speed must be positive", file=sys.stderr)
        return 2
    config = ClusterConfig(workers=args.nodes - 1, state_dir=args.state_dir, speed=args.speed)
    return serve(config, address=args.address, port=args.port, kubeconfig_path=args.kubeconfig)


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))
