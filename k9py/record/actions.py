"""What a scenario does to the cluster itself: ``apply:`` and ``cluster:`` steps.

Both are parsed when the scenario loads (a missing file, an unknown action or
a bad taint fails before anything is recorded) and run, blocking, on the
runner's thread through the session: API writes through ``session.client``
(the same :mod:`k9py.ops` helpers the TUI's keys use, so a hidden setup step
and a key press change the cluster the same way), kubelets and nodes through
``session.actions``. Nothing here touches the engine's internals.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from k9py.client import STRATEGIC_MERGE_PATCH


@runtime_checkable
class Action(Protocol):
    """One blocking change to the cluster, with a text the recording can show."""

    def run(self, session: Any) -> None: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class Step:
    """An action as a description and a function of the session."""

    text: str
    fn: Callable[[Any], None]

    def run(self, session: Any) -> None:
        self.fn(session)

    def describe(self) -> str:
        return self.text


# -- apply ------------------------------------------------------------------------------------

MANIFEST_SOURCE = "manifest"  # the name apply's messages give an inline manifest


@dataclass(frozen=True)
class Apply:
    """``kubectl apply -f`` of files/folders, or of an inline manifest (as stdin)."""

    paths: tuple[str, ...]
    label: str
    manifest: bytes | None = None
    namespace: str | None = None

    def describe(self) -> str:
        return f"apply {self.label}"

    def run(self, session: Any) -> None:
        from engine.apply import ApplySession
        from engine.apply.options import ApplyOptions
        from engine.apply.results import ERROR, kubectl_stderr

        stdin = io.BytesIO(self.manifest) if self.manifest is not None else None
        applier = ApplySession(session.client, list(self.paths),
                               ApplyOptions(namespace=self.namespace), stdin=stdin,
                               now=session.now)
        results = applier.apply_all()
        if any(r.action == ERROR for r in results):
            raise RuntimeError(f"{self.describe()} failed:\n{kubectl_stderr(results).rstrip()}")


def parse_apply(spec: Any, base_dir: Path) -> Action:
    """``apply: PATH`` (relative to the scenario's folder; a file or a folder),
    ``apply: {path: PATH, namespace: NS}`` or ``apply: {manifest: "<yaml>"}``."""
    namespace = None
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"path", "manifest", "namespace"}
        if unknown or ("path" in spec) == ("manifest" in spec):
            raise ValueError("apply: expected a path, {path: PATH} or {manifest: YAML} "
                             f"(optionally with namespace), got keys {sorted(spec)}")
        namespace = spec.get("namespace")
        if namespace is not None and not isinstance(namespace, str):
            raise ValueError(f"apply: namespace must be a string, got {namespace!r}")
        if "manifest" in spec:
            return _inline(spec["manifest"], namespace)
        spec = spec["path"]
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"apply: expected a path or {{manifest: YAML}}, got {spec!r}")
    path = Path(spec) if Path(spec).is_absolute() else Path(base_dir) / spec
    _check_path(path, spec)
    return Apply((str(path),), spec, namespace=namespace)


def _check_path(path: Path, given: str) -> None:
    """The path exists and every manifest in it parses, as apply will read it."""
    from engine.apply.errors import ManifestError
    from engine.apply.loader import expand_paths, load_file

    if not path.exists():
        raise ValueError(f"apply: {given}: no such file or folder ({path})")
    try:
        files = expand_paths([str(path)])
        if not files:
            raise ManifestError(f"no .yaml, .yml or .json files in {path}", str(path))
        for file in files:
            load_file(file)
    except ManifestError as err:
        raise ValueError(f"apply: {given}: {err}") from None


def _inline(text: Any, namespace: str | None) -> Action:
    from engine.apply.errors import ManifestError
    from engine.apply.loader import parse

    if not isinstance(text, str) or not text.strip():
        raise ValueError("apply: manifest must be YAML text (use `manifest: |`)")
    data = text.encode()
    try:
        docs = parse(MANIFEST_SOURCE, data)
    except ManifestError as err:
        raise ValueError(f"apply: {err}") from None
    if not docs:
        raise ValueError("apply: the manifest holds no objects")
    names = ", ".join(f"{d.obj.get('kind')}/{(d.obj.get('metadata') or {}).get('name')}"
                      for d in docs)
    return Apply(("-",), f"manifest ({names})", manifest=data, namespace=namespace)


# -- cluster actions ---------------------------------------------------------------------------

WORKLOADS = {"deployment": "deployments.apps", "statefulset": "statefulsets.apps",
             "daemonset": "daemonsets.apps", "replicaset": "replicasets.apps"}
SCALABLE = ("deployment", "statefulset", "replicaset")


def parse_cluster_action(spec: Mapping[str, Any]) -> Action:
    """The mapping under ``cluster:`` (exactly one key, e.g. ``{stop_kubelet: NODE}``)."""
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise ValueError(f"cluster: expected one action, e.g. {{stop_kubelet: NODE}}; "
                         f"actions: {', '.join(sorted(PARSERS))}")
    (name, arg), = spec.items()
    parser = PARSERS.get(str(name))
    if parser is None:
        raise ValueError(f"cluster: unknown action {name!r}; actions: "
                         f"{', '.join(sorted(PARSERS))}")
    try:
        return parser(arg)
    except ValueError as err:
        raise ValueError(f"cluster: {name}: {err}") from None


def _name(arg: Any, what: str = "a node name") -> str:
    if not isinstance(arg, str) or not arg.strip():
        raise ValueError(f"expected {what}, got {arg!r}")
    return arg.strip()


def _fields(arg: Any, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(arg, Mapping):
        raise ValueError(f"expected a mapping with {', '.join(required)}, got {arg!r}")
    missing = [k for k in required if k not in arg]
    unknown = sorted(set(arg) - set(required) - set(optional))
    if missing or unknown:
        raise ValueError(f"expected keys {', '.join(required)}"
                         + (f" (optional: {', '.join(optional)})" if optional else "")
                         + (f"; missing {', '.join(missing)}" if missing else "")
                         + (f"; unknown {', '.join(unknown)}" if unknown else ""))
    return dict(arg)


def _workload(arg: Mapping[str, Any], kinds: tuple[str, ...]) -> tuple[str, str]:
    """The one workload key of ``arg`` (``deployment: NAME``) as (kind, name)."""
    given = [k for k in kinds if k in arg]
    if len(given) != 1:
        raise ValueError(f"name exactly one of {', '.join(kinds)}")
    return given[0], _name(arg[given[0]], f"a {given[0]} name")


def _stop_kubelet(arg: Any) -> Action:
    node = _name(arg)
    return Step(f"stop the kubelet on {node}", lambda s: s.actions.stop_kubelet(node))


def _start_kubelet(arg: Any) -> Action:
    node = _name(arg)
    return Step(f"start the kubelet on {node}", lambda s: s.actions.start_kubelet(node))


def _add_node(arg: Any) -> Action:
    """``add_node: NAME`` or ``add_node: null``. The cluster names new nodes itself
    (kind's order: k9py-worker3, ...); a given NAME is checked against its choice so a
    scenario that waits on the node by name fails here, clearly, if they differ."""
    expected = None if arg is None else _name(arg)

    def run(session: Any) -> None:
        got = session.actions.add_node(expected)
        if expected is not None and got != expected:
            raise RuntimeError(f"add_node: the cluster named the new node {got!r}, not "
                               f"{expected!r}; write `add_node: {got}` or leave it empty")

    return Step(f"add node {expected}" if expected else "add a node", run)


def _remove_node(arg: Any) -> Action:
    node = _name(arg)
    return Step(f"remove node {node}", lambda s: s.actions.remove_node(node))


def _cordon(on: bool) -> Callable[[Any], Action]:
    def parse(arg: Any) -> Action:
        from k9py.ops.nodes import cordon

        node = _name(arg)
        return Step(f"{'cordon' if on else 'uncordon'} {node}",
                    lambda s: cordon(s.client, node, on))
    return parse


def _taint(arg: Any) -> Action:
    """``taint: {node, key, value?, effect}``: kubectl taint's add-or-overwrite."""
    from k9py.ops.nodes import add_taint, parse_taint

    f = _fields(arg, ("node", "key", "effect"), ("value",))
    node = _name(f["node"])
    value = "" if f.get("value") is None else str(f["value"])
    text = f"{f['key']}={value}" if value else str(f["key"])
    taint = parse_taint(text, str(f["effect"]))
    return Step(f"taint {node} {taint}", lambda s: add_taint(s.client, node, taint))


def _untaint(arg: Any) -> Action:
    from k9py.ops.nodes import remove_taint

    f = _fields(arg, ("node", "key"), ("effect",))
    node, key, effect = _name(f["node"]), str(f["key"]), f.get("effect")
    label = f"{key}:{effect}" if effect else key
    return Step(f"untaint {node} {label}", lambda s: remove_taint(s.client, node, key, effect))


def _scale(arg: Any) -> Action:
    from k9py.ops.workloads import scale

    f = _fields(arg, ("replicas",), (*SCALABLE, "namespace"))
    kind, name = _workload(f, SCALABLE)
    replicas, ns = f["replicas"], str(f.get("namespace") or "default")
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
        raise ValueError(f"replicas must be a whole number >= 0, got {replicas!r}")
    return Step(f"scale {kind} {name} to {replicas}",
                lambda s: scale(s.client, WORKLOADS[kind], name, ns, replicas))


def _load(arg: Any) -> Action:
    """``load: {deployment: NAME, value: 2.0}``: the simulated CPU load of a workload's
    running pods, the way a load generator would raise it: the embedded cluster's
    ``set_load`` knob (engine/kubelet/usage.py) for the workload's label selector, read
    at every usage scrape, so no rollout happens and pods the HPA adds get it too.
    ``value: null`` clears it."""
    f = _fields(arg, ("value",), (*WORKLOADS, "namespace"))
    kind, name = _workload(f, tuple(WORKLOADS))
    value, ns = f["value"], str(f.get("namespace") or "default")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                              or value < 0):
        raise ValueError(f"value must be a number >= 0 (or null to clear), got {value!r}")

    def run(session: Any) -> None:
        from k9py.render.base import selector_text

        owner = session.client.get(WORKLOADS[kind], name, namespace=ns)
        selector = selector_text((owner.get("spec") or {}).get("selector"))
        if selector in ("", "<none>"):
            raise ValueError(f"{kind} {name} has no selector to pick its pods by")
        session.actions.set_load(ns, selector, None if value is None else float(value))

    text = f"clear the load of {kind} {name}" if value is None else \
        f"set the load of {kind} {name} to {_number(value)}"
    return Step(text, run)


PATCHABLE = {**WORKLOADS, "node": "nodes", "pod": "pods", "service": "services"}


def _patch(arg: Any) -> Action:
    """``patch: {statefulset: NAME, body: {...}, namespace?}``: ``kubectl patch`` (a
    strategic merge patch), for the changes no key or apply step makes as plainly,
    e.g. a StatefulSet's partition."""
    f = _fields(arg, ("body",), (*PATCHABLE, "namespace"))
    kind, name = _workload(f, tuple(PATCHABLE))
    body = f["body"]
    if not isinstance(body, Mapping) or not body:
        raise ValueError(f"body must be a non-empty mapping, got {body!r}")
    if kind == "node" and "namespace" in f:
        raise ValueError("nodes are not namespaced: drop namespace")
    ns = None if kind == "node" else str(f.get("namespace") or "default")

    def run(session: Any) -> None:
        session.client.patch(PATCHABLE[kind], name, dict(body), STRATEGIC_MERGE_PATCH,
                             namespace=ns, field_manager="kubectl-patch")

    return Step(f"patch {kind} {name}", run)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


PARSERS: dict[str, Callable[[Any], Action]] = {
    "stop_kubelet": _stop_kubelet, "start_kubelet": _start_kubelet,
    "add_node": _add_node, "remove_node": _remove_node,
    "cordon": _cordon(True), "uncordon": _cordon(False),
    "taint": _taint, "untaint": _untaint, "scale": _scale, "load": _load,
    "patch": _patch,
}
