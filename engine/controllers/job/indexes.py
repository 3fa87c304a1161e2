"""Indexed Jobs: completion indexes and their compressed interval lists.

Upstream: ``pkg/controller/job/indexed_job_utils.go`` (``orderedIntervals``
with ``withOrderedIndexes``, ``total``, ``has``, ``String``;
``parseIndexesFromString``, ``calculateSucceededIndexes``,
``calculateFailedIndexes``, ``isIndexFailed``, ``firstPendingIndexes``,
``appendDuplicatedIndexPodsForRemoval``, ``getCompletionIndex``,
``addCompletionIndexEnvVariables``, ``podGenerateNameWithIndex``, the
per-index failure count annotations of ``backoffLimitPerIndex``).
Index lists are written as upstream writes ``status.completedIndexes``:
``"0-2,4"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.controllers.job import pods as jp

Obj = dict[str, Any]
Interval = tuple[int, int]

COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"
INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count"
INDEX_IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count"
COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX"
UNKNOWN = -1
MAX_GENERATED_NAME = 58


class Intervals:
    """``orderedIntervals``: sorted, disjoint, non-adjacent [first, last] ranges."""

    def __init__(self, intervals: Iterable[Interval] = ()) -> None:
        self.items: list[Interval] = list(intervals)

    def with_indexes(self, indexes: Iterable[int]) -> Intervals:
        """``withOrderedIndexes`` (and ``merge``): a new list covering both."""
        return Intervals(_merge(self.items, [(i, i) for i in set(indexes)]))

    def merge(self, other: Intervals) -> Intervals:
        return Intervals(_merge(self.items, other.items))

    def total(self) -> int:
        return sum(last - first + 1 for first, last in self.items)

    def has(self, index: int) -> bool:
        return any(first <= index <= last for first, last in self.items)

    def __iter__(self):  # noqa: ANN204
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __str__(self) -> str:
        return ",".join(str(f) if f == last else f"{f}-{last}" for f, last in self.items)


def _merge(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for first, last in sorted([*a, *b]):
        if out and first <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


def _atoi(text: str) -> int | None:
    body = text[1:] if text[:1] in "+-" else text
    return int(text) if body.isdigit() else None


def parse(text: str | None, completions: int) -> Intervals:
    """``parseIndexesFromString``: bad pieces skipped, indexes >= completions dropped."""
    out: list[Interval] = []
    for piece in (text or "").split(",") if text else ():
        limits = piece.split("-")
        first = _atoi(limits[0])
        if first is None:
            continue
        if first >= completions:
            break
        last = first
        if len(limits) > 1:
            parsed = _atoi(limits[1])
            if parsed is None:
                continue
            last = min(parsed, completions - 1)
        if out and out[-1][1] == first - 1:
            out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return Intervals(out)


def completion_index(pod: Obj) -> int:
    """``getCompletionIndex``: the annotation, or -1."""
    value = (pod["metadata"].get("annotations") or {}).get(COMPLETION_INDEX)
    if value is None:
        return UNKNOWN
    index = _atoi(value)
    return index if index is not None and index >= 0 else UNKNOWN


def is_indexed(job: Obj) -> bool:
    return job["spec"].get("completionMode") == "Indexed"


def has_backoff_limit_per_index(job: Obj) -> bool:
    return job["spec"].get("backoffLimitPerIndex") is not None


def completions_of(job: Obj) -> int:
    return int(job["spec"].get("completions") or 0)


def in_range(index: int, job: Obj) -> bool:
    return index != UNKNOWN and index < completions_of(job)


def succeeded_indexes(job: Obj, pods: list[Obj]) -> tuple[Intervals, Intervals]:
    """``calculateSucceededIndexes``: (from the status, with newly succeeded pods)."""
    prev = parse((job.get("status") or {}).get("completedIndexes"), completions_of(job))
    new = [completion_index(p) for p in pods
           if jp.phase(p) == "Succeeded" and in_range(completion_index(p), job)
           and jp.has_finalizer(p)]
    return prev, prev.with_indexes(new)


def failure_count(pod: Obj, key: str = INDEX_FAILURE_COUNT) -> int:
    value = (pod["metadata"].get("annotations") or {}).get(key)
    parsed = _atoi(value) if value is not None else None
    return parsed if parsed is not None and parsed >= 0 else 0


def absolute_failure_count(pod: Obj) -> int:
    return failure_count(pod) + failure_count(pod, INDEX_IGNORED_FAILURE_COUNT)


def get_indexes(pods: list[Obj]) -> set[int]:
    return {i for i in (completion_index(p) for p in pods) if i != UNKNOWN}


def first_pending_indexes(succeeded: Intervals, failed: Intervals | None, active: list[Obj],
                          terminating: list[Obj] | None, count: int,
                          completions: int) -> list[int]:
    """``firstPendingIndexes``: the lowest indexes nobody runs or finished."""
    if count == 0:
        return []
    taken = succeeded.with_indexes(get_indexes(active))
    if terminating is not None:
        taken = taken.with_indexes(get_indexes(terminating))
    if failed is not None:
        taken = taken.merge(failed)
    out: list[int] = []
    candidate = 0
    for first, last in taken:
        while candidate < completions and len(out) < count and candidate < first:
            out.append(candidate)
            candidate += 1
        candidate = max(candidate, last + 1)
    while candidate < completions and len(out) < count:
        out.append(candidate)
        candidate += 1
    return out


def duplicated_index_pods(pods: list[Obj], completions: int,
                          rank: Any) -> tuple[list[Obj], list[Obj]]:
    """``appendDuplicatedIndexPodsForRemoval``: (to remove, left). Pods without an
    index or beyond ``completions`` go; of a repeated index all but the best stay."""
    remove: list[Obj] = []
    left: list[Obj] = []
    by_index: dict[int, list[Obj]] = {}
    for pod in pods:
        index = completion_index(pod)
        if index == UNKNOWN or index >= completions:
            remove.append(pod)
        else:
            by_index.setdefault(index, []).append(pod)
    for index in sorted(by_index):
        group = by_index[index]
        if len(group) == 1:
            left.append(group[0])
            continue
        ordered = rank(group)
        remove += ordered[:-1]
        left.append(ordered[-1])
    return remove, left


def add_index_env(spec: Obj) -> None:
    """``addCompletionIndexEnvVariables`` (PodIndexLabel: read from the label)."""
    ref = {"fieldRef": {"fieldPath": f"metadata.labels['{COMPLETION_INDEX}']"}}
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or ():
            env = container.setdefault("env", [])
            if not any(v.get("name") == COMPLETION_INDEX_ENV for v in env):
                env.append({"name": COMPLETION_INDEX_ENV, "valueFrom": ref})


def generate_name(job_name: str, index: int) -> str:
    """``podGenerateNameWithIndex``: ``<job>-<index>-``, the job name cut to fit."""
    suffix = f"-{index}-"
    prefix = job_name + suffix
    if len(prefix) > MAX_GENERATED_NAME:
        prefix = prefix[:MAX_GENERATED_NAME - len(suffix)] + suffix
    return prefix
