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
* a plugin whose raw score is a function of a small per-node value (a
  "code", e.g. PodTopologySpread's count of matching pods on the node when
  that is all it scores) gives the codes (:meth:`ScorePlugin.score_codes`):
  the raw score, NormalizeScore and the weight are then worked out once per
  distinct code, and each node's total takes one lookup. NormalizeScore is
  run on the distinct raw scores, which is the same as on every node's for a
  NormalizeScore that maps each score through the list's minimum and maximum
  (the plugins that give codes are such);
* per-plugin lists (raw and normalised) are only built when the explanation
  record is turned into data (:meth:`ScoreResult.plugin_scores`);
* compact scores (:func:`_compact`): when every plugin is node-local (with no
  NormalizeScore, or a constant one) or gives per-node codes that depend on
  the node alone (:meth:`ScorePlugin.node_codes`), a node's row and codes
  together are an entry of a table, interned as a small int the node keeps
  until it changes. A cycle then reads one int per node; normalisation, the
  weighted totals and the choice of the best node work on the distinct
  entries (few: nodes in the same state share one), and per-node lists are
  only made when asked for (``totals``, the explanation). The entries are
  also kept per position of the cache's node list, one byte each (a
  column per key, cleared where the cache logs a node change): a cycle
  whose nodes are a window of the list (:meth:`Cache.window_runs`) slices
  its entries, counts them and finds the k-th tied node in C, and reads
  only the nodes that changed.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable
from typing import Any

from engine.scheduler.framework.interface import CycleState, ScorePlugin
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.score_columns import Column, column_for, count_each, forget, zeros
from engine.scheduler.framework.types import MAX_NODE_SCORE, MIN_NODE_SCORE

COLUMNS = True  # tests turn it off to compare with the per-node reads

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


class _CompactRows:
    """The per-node rows of a compact result, looked up through the entry ids."""

    __slots__ = ("ids", "rows")

    def __init__(self, ids: Any, rows: dict[int, tuple]) -> None:
        self.ids = ids
        self.rows = rows

    def __getitem__(self, i: int) -> tuple:
        return self.rows[self.ids[i]]

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Any:
        return map(self.rows.__getitem__, self.ids)


class ScoreResult:
    """What the score phase produced, kept for the explanation record."""

    def __init__(self, nodes: list[NodeInfo]) -> None:
        self.nodes = nodes
        self._totals: list[int] | None = []
        # Compact results: the entry id of each node and the weighted total of each
        # entry (``totals`` is then made on demand).
        # list of entry ids, or bytearray of column codes (keys of the dicts below)
        self.ids: Any = None
        self.id_total: dict[int, int] = {}
        self.id_count: dict[int, int] = {}  # how many nodes have each entry
        self.skipped: list[str] = []
        self.order: list[tuple[str, int]] = []  # (plugin, weight) in configured order
        self._rows: list[Any] = []  # memo rows: raw scores of the node-local plugins
        self._local: dict[str, int] = {}  # plugin -> column in the rows
        self._normalized: dict[str, list[int]] = {}
        self._constant: dict[str, int] = {}  # plugin -> its normalised score on every node
        self._raw: dict[str, list[int]] = {}
        # plugin -> (code per node, raw score per code, normalised score per code)
        self._coded: dict[str, tuple[list[Hashable], dict[Hashable, int],
                                     dict[Hashable, int]]] = {}
        self.offset = 0  # weighted constant scores, left out of ``totals``

    @property
    def totals(self) -> list[int]:
        """Each node's weighted total (without ``offset``)."""
        if self._totals is None:
            assert self.ids is not None
            self._totals = list(map(self.id_total.__getitem__, self.ids))
        return self._totals

    @totals.setter
    def totals(self, value: list[int]) -> None:
        self._totals = value
        self.ids = None

    def total(self, i: int) -> int:
        """The weighted total of node ``i``."""
        if self.ids is not None:
            return self.id_total[self.ids[i]] + self.offset
        return self.totals[i] + self.offset

    def node_scores(self, i: int) -> list[tuple[str, int, int, int]]:
        """(plugin, weight, raw, normalised) of node ``i`` for each plugin that ran."""
        out = []
        row = self._rows[i] if self._rows else None
        for name, weight in self.order:
            coded = self._coded.get(name)
            if coded is not None:
                codes, raw_of, norm_of = coded
                out.append((name, weight, raw_of[codes[i]], norm_of[codes[i]]))
                continue
            raw_list = self._raw.get(name)
            raw = raw_list[i] if raw_list is not None else row[self._local[name]]
            normalized = self._normalized.get(name)
            if name in self._constant:
                out.append((name, weight, raw, self._constant[name]))
            else:
                out.append((name, weight, raw, raw if normalized is None else normalized[i]))
        return out

    def entries(self, indexes: list[int]) -> list[list[Any]]:
        """``[name, total, raw, normalised, raw, normalised, ...]`` for each of
        ``indexes`` (plugins in order): the explanation annotation's node
        entries, built plugin by plugin (one lookup of each plugin's data); for a
        compact result, once per entry (its nodes score alike)."""
        ids = self.ids
        if ids is not None:
            values: dict[int, list[Any]] = {}
            for i in indexes:
                if ids[i] not in values:
                    values[ids[i]] = [v for _, _, raw, norm in self.node_scores(i)
                                      for v in (raw, norm)]
            nodes, id_total, offset = self.nodes, self.id_total, self.offset
            return [[nodes[i].name, id_total[ids[i]] + offset, *values[ids[i]]]
                    for i in indexes]
        total = self.total
        out: list[list[Any]] = [[self.nodes[i].name, total(i)] for i in indexes]
        rows = self._rows
        for name, _ in self.order:
            coded = self._coded.get(name)
            if coded is not None:
                codes, raw_of, norm_of = coded
                for entry, i in zip(out, indexes, strict=True):
                    code = codes[i]
                    entry += (raw_of[code], norm_of[code])
                continue
            raw_list = self._raw.get(name)
            column = self._local.get(name, 0)
            normalized = self._normalized.get(name)
            constant = self._constant.get(name)
            for entry, i in zip(out, indexes, strict=True):
                raw = raw_list[i] if raw_list is not None else rows[i][column]
                if constant is not None:
                    entry += (raw, constant)
                else:
                    entry += (raw, raw if normalized is None else normalized[i])
        return out

    def plugin_scores(self) -> list[tuple[str, int, list[int], list[int]]]:
        """(plugin, weight, raw scores, normalised scores) per plugin that ran."""
        out = []
        for name, weight in self.order:
            coded = self._coded.get(name)
            if coded is not None:
                codes, raw_of, norm_of = coded
                out.append((name, weight, [raw_of[c] for c in codes],
                            [norm_of[c] for c in codes]))
                continue
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
              pod: PodInfo, nodes: list[NodeInfo], cache: Any = None) -> ScoreResult:
    """``RunScorePlugins`` for the plugins not skipped by PreScore (``cache``: the
    scheduler cache ``nodes`` come from, for the compact path's columns)."""
    result = ScoreResult(nodes)
    active = []
    for p in plugins:
        if p.name in state.skip_score_plugins:
            result.skipped.append(p.name)
        else:
            active.append(p)
            result.order.append((p.name, weights[p.name]))
    local = [p for p in active if p.score_key is not None]
    if local and COMPACT and _compact(result, active, local, weights, state, pod, nodes,
                                      cache):
        return result
    if local:
        result._rows = _local_rows(state, pod, nodes, local, weights)
        result._local = {p.name: j for j, p in enumerate(local)}
    totals: list[int] | None = None  # None: the rows' weighted sums, not yet taken
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
            coded = p.score_codes(state, pod, nodes)
            if coded is not None:
                added = _add_coded(result, p, state, pod, coded, weights[p.name], totals)
                if added is not None:
                    totals = added
                    continue
                raw = [coded[1](c) for c in coded[0]]  # out of range: fail as below
            else:
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
        if totals is None:
            totals = _row_sums(result)
        if weight == 1:
            totals = list(map(operator.add, totals, normalized))
        else:
            totals = [t + v * weight for t, v in zip(totals, normalized, strict=True)]
    result.totals = totals if totals is not None else _row_sums(result)
    return result


def _row_sums(result: ScoreResult) -> list[int]:
    """The weighted sums kept in the rows (zeros without node-local plugins)."""
    if result._rows:
        return [row[-1] for row in result._rows]
    return [0] * len(result.nodes)


def _add_coded(result: ScoreResult, p: ScorePlugin, state: CycleState, pod: PodInfo,
               coded: tuple[list[Hashable], Callable[[Hashable], int]], weight: int,
               totals: list[int] | None) -> list[int] | None:
    """``totals`` plus the plugin's weighted normalised scores, worked out per
    distinct code (None when a normalised score is out of range: the caller
    then fails with the per-node lists, naming the first bad score in order)."""
    codes, raw_fn = coded
    present = list(set(codes))
    raw = [raw_fn(c) for c in present]
    normalized = list(raw)
    if p.has_normalize:
        p.normalize(state, pod, normalized)
    if normalized and (max(normalized) > MAX_NODE_SCORE or min(normalized) < MIN_NODE_SCORE):
        return None
    norm_of = dict(zip(present, normalized, strict=True))
    result._coded[p.name] = (codes, dict(zip(present, raw, strict=True)), norm_of)
    weighted = {c: v * weight for c, v in norm_of.items()}
    if totals is None and result._rows:  # the rows' sums and this plugin in one pass
        return [row[-1] + weighted[c] for row, c in zip(result._rows, codes, strict=True)]
    if totals is None:
        return [weighted[c] for c in codes]
    return [t + weighted[c] for t, c in zip(totals, codes, strict=True)]


def _find_none(rows: list[Any], start: int) -> int:
    """The index of the next None in ``rows`` from ``start`` (-1: none left)."""
    try:
        return rows.index(None, start)
    except ValueError:
        return -1


def _local_rows(state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
                local: list[ScorePlugin], weights: dict[str, int],
                local_key: tuple | None = None) -> list[Any]:
    """Each node's row: the raw score of every node-local plugin, then the
    weighted sum of those without NormalizeScore. ``local_key``: the plugins'
    score keys, when the caller has them."""
    if local_key is None:
        local_key = tuple((p.name, p.score_key(state, pod)) for p in local)
    key = score_key_id(local_key)
    rows = [n.score_row if n.score_key == key else None for n in nodes]
    still = []
    i = _find_none(rows, 0)
    while i >= 0:  # few nodes changed since they were last scored: find them in C
        row = nodes[i].memo_get(key)
        if row is None:
            still.append(i)
        else:
            rows[i] = row
        i = _find_none(rows, i + 1)
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


# -- compact scores ------------------------------------------------------------------------
COMPACT = True  # tests turn it off to compare with the per-node lists
_ENTRY_IDS: dict[tuple, int] = {}  # (key, row, codes) -> entry id
_ENTRIES: dict[int, tuple[tuple, tuple]] = {}  # entry id -> (row, codes)
_KEY_ENTRIES: dict[int, list[int]] = {}  # key -> its entry ids, oldest first
MAX_COUNTED = 24  # entries of a key counted one by one; more: a set of the ids
_EPOCH = [0]  # part of every compact key: bumped when the table is cleared
MAX_ENTRIES = 50_000


def _entry_id(key: int, row: tuple, codes: tuple) -> int:
    """The small int of (row, codes) under ``key`` (never reused within an epoch)."""
    found = _ENTRY_IDS.get((key, row, codes))
    if found is None:
        found = _ENTRY_IDS[(key, row, codes)] = len(_ENTRY_IDS) + 1
        _ENTRIES[found] = (row, codes)
        _KEY_ENTRIES.setdefault(key, []).append(found)
    return found


def _present(ids: list[int], key: int) -> dict[int, int]:
    """The entries in ``ids`` and how many nodes have each. A key has few
    entries (nodes in the same state share one): each is counted in C, newest
    first, until every node is accounted for; a key with many takes a set."""
    known = _KEY_ENTRIES.get(key, ())
    if len(known) > MAX_COUNTED:
        return {e: ids.count(e) for e in set(ids)}
    return count_each(ids, reversed(known))


def _compact(result: ScoreResult, active: list[ScorePlugin], local: list[ScorePlugin],
             weights: dict[str, int], state: CycleState, pod: PodInfo,
             nodes: list[NodeInfo], cache: Any = None) -> bool:
    """The score phase over table entries (see the module docstring); False (and
    ``result`` untouched but for ``order``/``skipped``) when a plugin does not
    allow it or a normalised score is out of range: the caller then takes the
    per-node path, which fails as upstream does."""
    constants: dict[str, int] = {}
    coded: list[tuple[ScorePlugin, Hashable, Callable[[NodeInfo], Hashable],
                      Callable[[Hashable], int]]] = []
    for p in active:
        if p.score_key is not None:
            if p.has_normalize:
                constant = p.constant_normalized(state, pod)
                if constant is None:
                    return False
                constants[p.name] = constant
            continue
        found = p.node_codes(state, pod)
        if found is None:
            return False
        coded.append((p, *found))
    if len(_ENTRY_IDS) > MAX_ENTRIES:
        _ENTRY_IDS.clear()
        _ENTRIES.clear()
        _KEY_ENTRIES.clear()
        _EPOCH[0] += 1
    local_key = tuple((p.name, p.score_key(state, pod)) for p in local)
    key = score_key_id(("compact", _EPOCH[0], local_key, tuple(c[1] for c in coded)))
    column = column_for(cache, key, nodes) if cache is not None and COLUMNS else None
    code_fns = [c[2] for c in coded]
    if column is not None and not _from_column(column, key, state, pod, nodes, local, weights,
                                               code_fns, local_key):
        forget(key)  # its codes ran out: a new column next time
        column = None
    ids: Any
    if column is not None:
        ids, col, _ = column
        counts = col.present(ids)
        entry_of: Any = col.entry_of
    else:
        ids = [n.compact_id if n.compact_key == key else 0 for n in nodes]
        if 0 in ids:
            still = zeros(ids)
            for i, entry in zip(still, _fill(key, state, pod, nodes, local, weights, code_fns,
                                             local_key, still), strict=True):
                ids[i] = entry
        counts = _present(ids, key)
        entry_of = _SAME
    present = list(counts)
    entries = {e: _ENTRIES[entry_of[e]] for e in present}
    id_total = {e: entries[e][0][-1] for e in present}
    per_plugin: dict[str, tuple[dict[int, int], dict[int, int]]] = {}
    for j, (p, _, _, raw_fn) in enumerate(coded):
        raw = [raw_fn(entries[e][1][j]) for e in present]
        normalized = list(raw)
        if p.has_normalize:
            p.normalize(state, pod, normalized)
        if normalized and (max(normalized) > MAX_NODE_SCORE or
                           min(normalized) < MIN_NODE_SCORE):
            return False
        weight = weights[p.name]
        for e, v in zip(present, normalized, strict=True):
            id_total[e] += v * weight
        per_plugin[p.name] = (dict(zip(present, raw, strict=True)),
                              dict(zip(present, normalized, strict=True)))
    rows = {e: entries[e][0] for e in present}
    result._rows = _CompactRows(ids, rows)
    result._local = {p.name: j for j, p in enumerate(local)}
    for name, constant in constants.items():
        result._constant[name] = constant
        result.offset += constant * weights[name]
    for name, (raw_of, norm_of) in per_plugin.items():
        result._coded[name] = (ids, raw_of, norm_of)  # type: ignore[assignment]
    result.ids = ids
    result.id_total = id_total
    result.id_count = counts
    result._totals = None
    return True


def _fill(key: int, state: CycleState, pod: PodInfo, nodes: list[NodeInfo],
          local: list[ScorePlugin], weights: dict[str, int],
          code_fns: list[Callable[[NodeInfo], Hashable]], local_key: tuple,
          still: list[int]) -> list[int]:
    """Entry ids for the nodes at ``still``, changed since they were last scored
    under ``key``: their rows (memoised as in the per-node path) and codes,
    interned (and kept on the node)."""
    subset = [nodes[i] for i in still]
    rows = _local_rows(state, pod, subset, local, weights, local_key)
    out = []
    for node, row in zip(subset, rows, strict=True):
        codes = tuple(fn(node) for fn in code_fns)
        entry = _entry_id(key, row, codes)
        node.compact_key, node.compact_id = key, entry
        out.append(entry)
    return out


def _from_column(column: tuple[bytearray, Column, list[int]], key: int, state: CycleState,
                 pod: PodInfo, nodes: list[NodeInfo], local: list[ScorePlugin],
                 weights: dict[str, int], code_fns: list[Callable[[NodeInfo], Hashable]],
                 local_key: tuple) -> bool:
    """Complete the window's codes where the column did not know them: the
    node's own entry when it did not change, else a new one. False when the
    column has no code left for a new entry."""
    ids, col, unknown = column
    if not unknown:
        return True
    found: list[tuple[int, int]] = []
    need: list[int] = []
    for i in unknown:  # nodes unchanged since they were entered keep their entry
        node = nodes[i]
        if node.compact_key == key:
            found.append((i, node.compact_id))
        else:
            need.append(i)
    if need:
        found += zip(need, _fill(key, state, pod, nodes, local, weights, code_fns, local_key,
                                 need), strict=True)
    for i, entry in found:
        code = col.code(entry)
        if code is None:
            return False
        ids[i] = code
        col.known(nodes[i].index, code)
    return True


class _Same:
    """The identity mapping (entry ids that are their own keys)."""

    def __getitem__(self, key: int) -> int:
        return key


_SAME = _Same()
