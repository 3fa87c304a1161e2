"""The ``k9py`` command.

Until the TUI lands, ``k9py`` boots the embedded cluster and prints its state
the way ``kubectl get nodes`` and ``kubectl get pods -A`` would.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from engine.cluster import Cluster, ClusterConfig
from k9py.summary import cluster_summary


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="k9py", description=__doc__)
    parser.add_argument("--nodes", type=int, default=3,
                        help="number of nodes: one control plane plus workers (default 3)")
    parser.add_argument("--state-dir", help="keep the cluster's state in this directory")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="simulated seconds per real second (default 1)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:  # `k9py serve ...`: the API server for kubectl
        from k9py import serve_cmd

        return serve_cmd.main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.nodes < 1:
        print("k9py: --nodes must be at least 1", file=sys.stderr)
        return 2
    config = ClusterConfig(workers=args.nodes - 1, state_dir=args.state_dir, speed=args.speed)
    with Cluster(config) as cluster:
        print(cluster_summary(cluster.client))
    return 0
