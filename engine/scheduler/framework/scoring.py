"""The score phase: raw scores, normalisation, weights and totals.

Upstream: ``pkg/scheduler/framework/runtime/framework.go``
(``RunScorePlugins``: each plugin scores every node, ``NormalizeScore``
rescales, each score is multiplied by the plugin's weight and the weighted
scores are summed per node; a score outside [0, 100] is an error).

The result is the same; the work is arranged for Python:

* plugins with a ``score_key`` score from the node and the pod alone, so
  each node remembers its row of raw scores per key until it changes
  (``generation``); consecutive pods of the same shape reuse almost every
  row. The row also holds the weighted sum of those plugins that have no
  NormalizeScore, so their contribution to the total is one lookup;
* a plugin that knows its normalised score is the same on every node
  (``constant_normalized``, e.g. TaintToleration when no node has a
  PreferNoSchedule taint) contributes an offset, not a per-node addition;
* per-plugin lists (raw and normalised) are only built when the explanation
  record is turned into data (:meth:`ScoreResult.plugin_scores`).
"""

from __future__ import annotations

import operator
from typing import Any

from engine.scheduler.framework.interface import CycleState, ScorePlugin
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.types import MAX_NODE_SCORE, MIN_NODE_SCORE

_KEY_IDS: dict[tuple, int] = {}
_NEXT_KEY_ID = [-1]


def score_key_id(key: tuple) -> int:
    """A small int naming ``key`` (never reused, so a stale memo entry cannot match)."""
    found = _KEY_IDS.get(key)
    if found is None:
        if len(_KEY_IDS) > 10_000:
            _KEY_IDS.clear()
        found = _KEY_IDS[key] = _NEXT_KEY_ID[0]
        _NEXT_KEY_ID[0] -= 1
    return found


class ScoreResult:
    """What the score phase produced, kept for the explanation record."""

    def __init__(self, nodes: list[NodeInfo]) -> None:
        self.nodes = nodes
        self.totals: list[int] = []
        self.skipped: list[str] = []
        self.order: list[tuple[str, int]] = []  # (plugin, weight) in configured order
        self._rows: list[Any] = []  # memo rows: raw scores of the node-local plugins
        self._local: dict[str, int] = {}  # plugin -> column in the rows
        self._normalized: dict[str, list[int]] = {}
        self._constant: dict[str, int] = {}  # plugin -> its normalised score on every node
        self._raw: dict[str, list[int]] = {}
        self.offset = 0  # weighted constant scores, left out of ``totals``

    def total(self, i: int) -> int:
        """The weighted total of node ``i``."""
        return self.totals[i] + self.offset

    def node_scores(self, i: int) -> list[tuple[str, int, int, int]]:
        """(plugin, weight, raw, normalised) of node ``i`` for each plugin that ran."""
        out = []
        row = self._rows[i] if self._rows else None
        for name, weight in self.order:
            raw_list = self._raw.get(name)
            raw = raw_list[i] if raw_list is not None else row[self._local[name]]
            normalized = self._normalized.get(name)
            if name in self._constant:
                out.append((name, weight, raw, self._constant[name]))
            else:
                out.append((name, weight, raw, raw if normalized is None else normalized[i]))
        return out

    def plugin_scores(self) -> list[tuple[str, int, list[int], list[int]]]:
        """(plugin, weight, raw scores, normalised scores) per plugin that ran."""
        out = []
        for name, weight in self.order:
            raw = self._raw.get(name)
            if raw is None:
                column = self._local[name]
                raw = [row[column] for row in self._rows]
            if name in self._constant:
                normalized = [self._constant[name]] * len(raw)
            else:
                normalized = self._normalized.get(name, raw)
            out.append((name, weight, raw, normalized))
        return out


def _check(name: str, scores: list[int]) -> None:
    if scores and (max(scores) > MAX_NODE_SCORE or min(scores) < MIN_NODE_SCORE):
        bad = next(v for v in scores if not MIN_NODE_SCORE <= v <= MAX_NODE_SCORE)
        raise ValueError(f"plugin {name} returns an invalid score {bad}")


def run_score(plugins: list[ScorePlugin], weights: dict[str, int], state: CycleState,
              pod: PodInfo, nodes: list[NodeInfo]) -> ScoreResult:
    """``RunScorePlugins`` for the plugins not skipped by PreScore."""
    result = ScoreResult(nodes)
    active = []
    for p in plugins:
        if p.name in state.skip_score_plugins:
            result.skipped.append(p.name)
        else:
            active.append(p)
            result.order.append((p.name, weights[p.name]))
    local = [p for p in active if p.score_key is not None]
    if local:
        result._rows = _local_rows(state, pod, nodes, local, weights)
        result._local = {p.name: j for j, p in enumerate(local)}
        totals = [row[-1] for row in result._rows]
    else:
        totals = [0] * len(nodes)
    for p in active:
        column = result._local.get(p.name)
        if column is not None and not p.has_normalize:
            continue  # already in the row's weighted sum
        constant = p.constant_normalized(state, pod) if column is not None else None
        if constant is not None:
            # The same normalised score on every node: it cannot change the choice,
            # so it is kept as an offset instead of being added node by node.
            result._constant[p.name] = constant
            result.offset += constant * weights[p.name]
            continue
        if column is None:
            raw = p.score_nodes(state, pod, nodes)
            result._raw[p.name] = raw
        else:
            raw = [row[column] for row in result._rows]
        normalized = raw
        if p.has_normalize:
            normalized = list(raw)
            p.normalize(state, pod, normalized)
            result._normalized[p.name] = normalized
        _check(p.name, normalized)
        weight = weights[p.name]
        weighted = normalized if weight == 1 else [v * weight for v in normalized]
        totals = list(map(operator.add, totals, weighted))
    result.totals = totals
    return result


def _local_rows(state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
                local: list[ScorePlugin], weights: dict[str, int]) -> list[Any]:
    """Each node's row: the raw score of every node-local plugin, then the
    weighted sum of those without NormalizeScore."""
    key = score_key_id(tuple((p.name, p.score_key(state, pod)) for p in local))
    rows = [n.score_row if n.score_key == key else None for n in nodes]
    if None not in rows:
        return rows
    missed = [i for i, row in enumerate(rows) if row is None]
    still = []
    for i in missed:
        row = nodes[i].memo_get(key)
        if row is None:
            still.append(i)
        else:
            rows[i] = row
    if not still:
        return rows
    subset = [nodes[i] for i in still]
    columns = [p.score_nodes(state, pod, subset) for p in local]
    plain = [(j, weights[p.name]) for j, p in enumerate(local) if not p.has_normalize]
    for p, column in zip(local, columns, strict=True):
        if not p.has_normalize:
            _check(p.name, column)
    for i, raw in zip(still, zip(*columns, strict=True), strict=True):
        row = (*raw, sum(raw[j] * w for j, w in plain))
        rows[i] = row
        node = nodes[i]
        node.memo_set(key, row)
        node.score_key, node.score_row = key, row
    return rows
