"""``k9py record`` and ``k9py play``: argument parsing and exit codes.

Exit codes: 0 done; 1 the scenario failed while recording (nothing written);
2 the scenario file or the arguments are wrong (nothing ran).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def record_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="k9py record", description="Record a demo scenario (YAML) as an asciicast v2 "
        "file: the TUI runs headless against a fresh embedded cluster on a virtual clock, "
        "so the same scenario always gives the same bytes.")
    parser.add_argument("scenario", help="the scenario file (see k9py/record/README.md)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.cast",
                        help="where to write the recording")
    parser.add_argument("--svg-dir", metavar="DIR",
                        help="where 'screenshot' steps write their SVGs (skipped without)")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not list the steps")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also show the cluster's own log (controllers' retries, ...)")
    args = parser.parse_args(list(argv))
    import logging

    if args.verbose:
        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    else:  # the engine's warnings (a controller's requeue) would bury the step list
        logging.getLogger().addHandler(logging.NullHandler())
    from k9py.record.runner import RecordError, record
    from k9py.record.scenario import ScenarioError

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    try:
        rec = record(args.scenario, args.output, svg_dir=args.svg_dir, log=log)
    except ScenarioError as err:
        print(f"k9py record: {err}", file=sys.stderr)
        return 2
    except RecordError as err:
        print(f"k9py record: {err}; nothing written", file=sys.stderr)
        return 1
    log(f"wrote {args.output}: {rec.cast.duration:g}s, {len(rec.cast.events)} events, "
        f"recorded in {rec.wall_seconds:.1f}s")
    return 0


def play_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="k9py play",
                                     description="Play an asciicast v2 recording.")
    parser.add_argument("cast", help="the .cast file")
    parser.add_argument("-s", "--speed", type=float, default=1.0,
                        help="playback speed (default 1)")
    parser.add_argument("-i", "--idle-time-limit", type=float, default=None,
                        help="longest pause in seconds (default: the cast's own limit)")
    args = parser.parse_args(list(argv))
    if args.speed <= 0:
        print("k9py play: --speed must be positive", file=sys.stderr)
        return 2
    from k9py.record.play import play

    try:
        play(args.cast, speed=args.speed, idle_time_limit=args.idle_time_limit)
    except (OSError, ValueError) as err:
        print(f"k9py play: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
