"""What a scenario's ``wait:`` step waits for on the cluster.

A condition is one line of text (grammar in ``k9py/record/README.md``,
section "Conditions") parsed once, at scenario load, so a typo fails before
anything is recorded. :meth:`Condition.check` reads the cluster through the
client interface only (``get``/``list``) and is cheap: the runner calls it
every ~0.5 s of simulated time until it holds or the step times out.
"""

from __future__ import annotations

import operator
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from engine.api.errors import StatusError

Obj = dict[str, Any]
DEFAULT_NAMESPACE = "default"


@runtime_checkable
class Condition(Protocol):
    """A predicate over the cluster, with a text the recording can show."""

    def check(self, client: Any) -> bool: ...

    def describe(self) -> str: ...


# -- numbers: "3", ">=3", ">= 3" ---------------------------------------------------------------

_OPS: dict[str, Callable[[int, int], bool]] = {
    "==": operator.eq, ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
}


@dataclass(frozen=True)
class Count:
    """An expected count: exact (``3``) or compared (``>=3``)."""

    op: str
    value: int

    def matches(self, actual: int) -> bool:
        return _OPS[self.op](actual, self.value)

    def __str__(self) -> str:
        return str(self.value) if self.op == "==" else f"{self.op}{self.value}"


def _count(words: list[str], what: str) -> Count:
    """Consume a count (one or two words) from the front of ``words``."""
    if not words:
        raise ValueError(f"{what}: expected a number")
    text = words.pop(0)
    if text in _OPS and words:
        text += words.pop(0)
    m = re.fullmatch(r"(==|>=|<=|>|<)?(\d+)", text)
    if not m:
        raise ValueError(f"{what}: expected a number (or >=N, <=N, >N, <N), got {text!r}")
    return Count(m.group(1) or "==", int(m.group(2)))


# -- reading objects -------------------------------------------------------------------------

def _get(client: Any, resource: str, name: str, namespace: str | None) -> Obj | None:
    """The object, or None while it does not exist (a wait may start before the apply lands)."""
    try:
        return client.get(resource, name, namespace)
    except StatusError as err:
        if err.code == 404:
            return None
        raise


def _status(obj: Obj) -> Obj:
    return obj.get("status") or {}


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _cond_true(obj: Obj, kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True"
               for c in _status(obj).get("conditions") or ())


def _terminating(obj: Obj) -> bool:
    return bool((obj.get("metadata") or {}).get("deletionTimestamp"))


# -- the conditions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ObjectCondition:
    """A test on one named object (None while it does not exist)."""

    text: str
    resource: str
    name: str
    namespace: str | None
    test: Callable[[Obj | None], bool]

    def check(self, client: Any) -> bool:
        return self.test(_get(client, self.resource, self.name, self.namespace))

    def describe(self) -> str:
        return self.text


@dataclass(frozen=True)
class PodsCondition:
    """A test on the live (not terminating) pods a label selector picks."""

    text: str
    selector: str
    namespace: str
    test: Callable[[list[Obj], list[Obj]], bool]  # (live pods, all pods incl. terminating)
    node: str | None = None  # only the pods bound to this node

    def check(self, client: Any) -> bool:
        opts: dict[str, Any] = {"label_selector": self.selector}
        if self.node is not None:
            opts["field_selector"] = f"spec.nodeName={self.node}"
        items = client.list("pods", self.namespace, **opts)["items"]
        return self.test([p for p in items if not _terminating(p)], items)

    def describe(self) -> str:
        return self.text


PHASES = ("Pending", "Running", "Succeeded", "Failed", "Unknown")
POD_STATES = {p.lower(): p for p in (*PHASES, "Ready")}


def _pod_in(state: str) -> Callable[[Obj], bool]:
    """``Ready``: the Ready condition is True; otherwise ``status.phase``."""
    if state == "Ready":
        return lambda pod: _cond_true(pod, "Ready") and not _terminating(pod)
    return lambda pod: _status(pod).get("phase") == state


def _deployment_available(n: Count) -> Callable[[Obj | None], bool]:
    """Rollout complete at N: the controller saw the newest spec and every replica is
    updated and available (``kubectl rollout status``'s test, plus the count)."""
    def test(dep: Obj | None) -> bool:
        if dep is None:
            return False
        st = _status(dep)
        want = _int((dep.get("spec") or {}).get("replicas", 1))
        return (_int(st.get("observedGeneration")) >= _int(dep["metadata"].get("generation"))
                and _int(st.get("replicas")) == want
                and _int(st.get("updatedReplicas")) == want
                and _int(st.get("availableReplicas")) == want
                and n.matches(want))
    return test


def _revision(n: Count) -> Callable[[Obj | None], bool]:
    def test(dep: Obj | None) -> bool:
        notes = (dep or {}).get("metadata", {}).get("annotations") or {}
        rev = notes.get("deployment.kubernetes.io/revision")
        return rev is not None and n.matches(_int(rev))
    return test


def _sts_ready(n: Count) -> Callable[[Obj | None], bool]:
    def test(sts: Obj | None) -> bool:
        if sts is None:
            return False
        st, want = _status(sts), _int((sts.get("spec") or {}).get("replicas", 1))
        return (_int(st.get("observedGeneration")) >= _int(sts["metadata"].get("generation"))
                and _int(st.get("readyReplicas")) == want and _int(st.get("replicas")) == want
                and n.matches(want))
    return test


def _sts_updated(n: Count) -> Callable[[Obj | None], bool]:
    """The partition canary's test: this many pods run the update revision, all ready."""
    def test(sts: Obj | None) -> bool:
        if sts is None:
            return False
        st, want = _status(sts), _int((sts.get("spec") or {}).get("replicas", 1))
        return (_int(st.get("observedGeneration")) >= _int(sts["metadata"].get("generation"))
                and n.matches(_int(st.get("updatedReplicas")))
                and _int(st.get("readyReplicas")) == want)
    return test


def _ds_ready(n: Count) -> Callable[[Obj | None], bool]:
    def test(ds: Obj | None) -> bool:
        if ds is None:
            return False
        st = _status(ds)
        want = _int(st.get("desiredNumberScheduled"))
        return (_int(st.get("observedGeneration")) >= _int(ds["metadata"].get("generation"))
                and _int(st.get("numberReady")) == want
                and _int(st.get("updatedNumberScheduled")) == want and n.matches(want))
    return test


def _hpa_replicas(n: Count) -> Callable[[Obj | None], bool]:
    return lambda hpa: hpa is not None and n.matches(_int(_status(hpa).get("currentReplicas")))


def _node_state(state: str) -> Callable[[Obj | None], bool]:
    def test(node: Obj | None) -> bool:
        if node is None:
            return False
        if state == "SchedulingDisabled":
            return bool((node.get("spec") or {}).get("unschedulable"))
        ready = _cond_true(node, "Ready")
        return ready if state == "Ready" else not ready
    return test


NODE_STATES = {s.lower(): s for s in ("Ready", "NotReady", "SchedulingDisabled")}

# keyword -> (canonical kind word, API resource, namespaced)
KINDS: Mapping[str, tuple[str, str, bool]] = {
    **dict.fromkeys(("deployment", "deployments", "deploy"),
                    ("deployment", "deployments.apps", True)),
    **dict.fromkeys(("statefulset", "statefulsets", "sts"),
                    ("statefulset", "statefulsets.apps", True)),
    **dict.fromkeys(("daemonset", "daemonsets", "ds"), ("daemonset", "daemonsets.apps", True)),
    **dict.fromkeys(("job", "jobs"), ("job", "jobs.batch", True)),
    **dict.fromkeys(("hpa", "horizontalpodautoscaler"),
                    ("hpa", "horizontalpodautoscalers.autoscaling", True)),
    **dict.fromkeys(("pod", "pods", "po"), ("pod", "pods", True)),
    **dict.fromkeys(("node", "nodes", "no"), ("node", "nodes", False)),
}

GRAMMAR = """\
deployment NAME available N | deployment NAME revision N
statefulset NAME ready N | statefulset NAME updated N | daemonset NAME ready N
job NAME complete | job NAME failed | hpa NAME replicas N
pod NAME PHASE|Ready|gone | pods matching SELECTOR [on NODE] PHASE|Ready [N]
no pods matching SELECTOR [on NODE]
node NAME Ready|NotReady|SchedulingDisabled|gone
(N may be >=N, <=N, >N or <N; add "in NAMESPACE" for namespaced kinds)"""


def parse_condition(text: str) -> Condition:
    """Parse one condition line; ValueError naming what was wrong and the grammar."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"empty wait condition; expected one of:\n{GRAMMAR}")
    try:
        words = shlex.split(text)
    except ValueError as err:
        raise ValueError(f"wait condition {text!r}: {err}") from None
    try:
        return _parse(words)
    except ValueError as err:
        raise ValueError(f"wait condition {text!r}: {err}; expected one of:\n{GRAMMAR}") from None


def _split_namespace(words: list[str]) -> tuple[list[str], str | None]:
    if len(words) >= 2 and words[-2].lower() == "in":
        return words[:-2], words[-1]
    return words, None


def _parse(words: list[str]) -> Condition:
    words, ns_given = _split_namespace(words)
    if len(words) >= 3 and words[0].lower() == "no" and words[1].lower() in ("pod", "pods") \
            and words[2].lower() == "matching":
        return _parse_pods(words[3:], ns_given or DEFAULT_NAMESPACE, none=True)
    if not words or words[0].lower() not in KINDS:
        raise ValueError(f"unknown kind {words[0] if words else ''!r}")
    kind, resource, namespaced = KINDS[words[0].lower()]
    if not namespaced and ns_given:
        raise ValueError(f"{kind}s are not namespaced: drop 'in {ns_given}'")
    ns = (ns_given or DEFAULT_NAMESPACE) if namespaced else None
    if kind == "pod" and len(words) >= 2 and words[1].lower() == "matching":
        return _parse_pods(words[2:], ns or DEFAULT_NAMESPACE, none=False)
    if len(words) < 3:
        raise ValueError(f"{kind}: expected NAME and what to wait for")
    name, verb, rest = words[1], words[2], words[3:]
    test = _object_test(kind, verb, rest)
    where = f" in {ns}" if ns else ""
    text = " ".join([kind, name, *words[2:]]) + where
    return ObjectCondition(text, resource, name, ns, test)


def _object_test(kind: str, verb: str, rest: list[str]) -> Callable[[Obj | None], bool]:
    v = verb.lower()
    if v == "gone" and kind in ("pod", "node"):
        _no_more(rest, verb)
        return lambda obj: obj is None
    counted: dict[tuple[str, str], Callable[[Count], Callable[[Obj | None], bool]]] = {
        ("deployment", "available"): _deployment_available,
        ("deployment", "revision"): _revision,
        ("statefulset", "ready"): _sts_ready, ("statefulset", "updated"): _sts_updated,
        ("daemonset", "ready"): _ds_ready, ("hpa", "replicas"): _hpa_replicas,
    }
    if (kind, v) in counted:
        n = _count(rest, f"{kind} {verb}")
        _no_more(rest, verb)
        return counted[(kind, v)](n)
    if kind == "job" and v in ("complete", "failed"):
        _no_more(rest, verb)
        cond = "Complete" if v == "complete" else "Failed"
        return lambda job: job is not None and _cond_true(job, cond)
    if kind == "pod" and v in POD_STATES:
        _no_more(rest, verb)
        state = _pod_in(POD_STATES[v])
        return lambda pod: pod is not None and state(pod)
    if kind == "node" and v in NODE_STATES:
        _no_more(rest, verb)
        return _node_state(NODE_STATES[v])
    raise ValueError(f"{kind}s cannot wait for {verb!r}")


def _no_more(rest: list[str], after: str) -> None:
    if rest:
        raise ValueError(f"unexpected {' '.join(rest)!r} after {after!r}")


def _parse_pods(words: list[str], ns: str, *, none: bool) -> Condition:
    """``SELECTOR [on NODE] PHASE [N]`` (or, after ``no``, ``SELECTOR [on NODE]``)."""
    if not words:
        raise ValueError("pods matching: expected a label selector (app=nginx)")
    selector, rest = words[0], words[1:]
    _check_selector(selector)
    node = None
    if rest and rest[0].lower() == "on":
        if len(rest) < 2:
            raise ValueError(f"pods matching {selector} on: expected a node name")
        node, rest = rest[1], rest[2:]
    where = f"{selector} on {node}" if node else selector
    if none:
        _no_more(rest, where)
        return PodsCondition(f"no pods matching {where} in {ns}", selector, ns,
                             lambda _live, every: not every, node)
    if not rest or rest[0].lower() not in POD_STATES:
        raise ValueError(f"pods matching {where}: expected a phase "
                         f"({', '.join(POD_STATES.values())})")
    state = POD_STATES[rest.pop(0).lower()]
    count = _count(rest, f"pods matching {where} {state}") if rest else None
    _no_more(rest, state)
    in_state = _pod_in(state)

    def test(live: list[Obj], _every: list[Obj]) -> bool:
        if not live or not all(in_state(p) for p in live):
            return False
        return count is None or count.matches(len(live))

    tail = f" {count}" if count is not None else ""
    return PodsCondition(f"pods matching {where} {state}{tail} in {ns}", selector, ns, test,
                         node)


_KEY = r"(?:[A-Za-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?"
_VALUE = r"(?:[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?)?"
_TERM = re.compile(
    rf"\s*(?:!?{_KEY}|{_KEY}\s*(?:==|=|!=)\s*{_VALUE}"
    rf"|{_KEY}\s+(?:in|notin)\s+\(\s*{_VALUE}(?:\s*,\s*{_VALUE})*\s*\))\s*")


def _check_selector(selector: str) -> None:
    """A label selector's syntax (equality and set forms), checked at parse time so a
    typo fails before recording rather than as a wait that never holds."""
    terms = re.split(r",(?![^()]*\))", selector)
    bad = [t for t in terms if not _TERM.fullmatch(t)]
    if bad:
        raise ValueError(f"invalid label selector {selector!r} (at {bad[0]!r})")
