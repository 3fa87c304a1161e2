"""Benchmarks: ``make bench`` (or ``python -m benchmarks [name ...] [--quick]``).

Each ``*_bench.py`` module exposes ``run(quick: bool) -> list[dict]``; a row has
``name``, ``median``, ``unit`` and, where a baseline was measured in the same
run, ``baseline`` and ``ratio``."""
