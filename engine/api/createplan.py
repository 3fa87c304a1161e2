"""Pod creates of one template, worked out once (issue #2).

The pods of one template (a ReplicaSet's, a Job's) reach the API server with
the same spec and annotations. What a create does to those between decoding
and storing — defaults (``SetDefaults_Pod``), the mutating phases of the
admission plugins (``admission/outcome.py``), ``PrepareForCreate`` (the
initial status with its QoS class, the scheduling-gated condition, the
AppArmor sync) and the spec half of ``ValidatePodCreate`` — depends only on
that spec and those annotations, the namespace and the state of the listers
admission reads (``outcome.DEPENDENCIES``). So the first create of a key runs
the plain path and remembers, as a :class:`Plan`, what it made of them; the
next creates with the same key apply the plan: one encoding of the spec for
the key, one lookup, one build of the final spec, annotations and status.
(Each of the separate memos below this one encodes the spec again.)

Per object, as on the plain path and in the same order: the token volume's
generated name (the ServiceAccount plugin's draw, made as the plugin makes
it), generateName, uid and creationTimestamp, the ObjectMeta half of
validation, the admission plugins that are not pure (ResourceQuota charges
every pod), managed fields, hooks and storage.

Safety rules, as for the other memos (``engine/api/memo.py``):

* the key holds everything the remembered steps read; a spec whose steps read
  more is not remembered: a sent status (the initial status keeps a sent QoS
  class), ``matchLabelKeys``/``mismatchLabelKeys`` (they read the labels),
  ephemeral volumes (their claim names are checked with the pod's name), a
  token volume of its own, null anywhere;
* only a create that passed every step is remembered, so a hit has no spec
  errors to report: the metadata's are all the plain path could find;
* any change to a lister admission reads, to the chain's plugins, or to the
  strategy's defaulter or validator makes the next create miss;
* before remembering, the miss replays the plan on a copy of the object as it
  was before defaults, with its own drawn names, and keeps the plan only when
  the replay is byte for byte the object the plain path made;
* a hit builds fresh dicts and lists: no two pods share a subtree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from engine.api.admission import _util
from engine.api.admission.base import AdmissionChain, Attributes
from engine.api.admission.outcome import Outcome, template_key
from engine.api.admission.service_account import VOLUME_PREFIX, ServiceAccount
from engine.api.defaults.core import default_pod
from engine.api.memo import LRU
from engine.api.strategies import base
from engine.api.strategies.pods import PodStrategy

Obj = dict[str, Any]
# (spec, annotations or None to keep them, status) for one pod, given the
# token volume's name.
Builder = Callable[[str], tuple[Obj, Obj | None, Obj]]

_ABSENT: Any = object()
_PREFIX = VOLUME_PREFIX.encode()
# Builds of a plan's parts by decoding before they are compiled (see Parts).
COMPILE_AFTER = 256
# What makes a pod's remembered steps read more than the key (see above).
_READS_MORE = (b'"ephemeral"', b'LabelKeys"')


class Plan:
    """What the plain path made of one key."""

    __slots__ = ("account", "build", "chain", "late", "outcome", "routes")

    def __init__(self, chain: AdmissionChain, routes: Any, outcome: Outcome,
                 account: ServiceAccount | None, build: Parts, late: bool) -> None:
        self.chain = chain
        self.routes = routes  # the chain's routes it was made with
        self.outcome = outcome  # admission's outcome (its pure validators passed)
        self.account = account  # the ServiceAccount plugin when it drew a name
        self.build = build  # (called with the token volume's name)
        self.late = late  # annotations added by PrepareForCreate, after the system fields

    def admit(self, api: Any, attrs: Attributes, obj: Obj) -> tuple[Obj | None, Obj]:
        """Defaults and admission's mutating phase, as the plain path makes
        them; returns what :meth:`prepare` sets after the system fields."""
        name = ""
        account = self.account
        if account is not None:  # ServiceAccount._mount_token's draw
            name = VOLUME_PREFIX + api.identity.name_suffix()
            account.names_drawn += 1
            account.last_drawn = name
        return self._apply(obj, name, attrs)

    def _apply(self, obj: Obj, name: str, attrs: Attributes | None) -> tuple[Obj | None, Obj]:
        spec, annotations, status = self.build(name)
        target = obj["spec"]
        target.clear()
        target.update(spec)
        if attrs is not None:
            attrs.memo = self.outcome
            attrs.routed = (self.chain, self.routes)
        if annotations is not None and not self.late:
            obj["metadata"]["annotations"] = annotations
            annotations = None
        return annotations, status

    @staticmethod
    def prepare(obj: Obj, late: tuple[Obj | None, Obj]) -> None:
        """PrepareForCreate's part: the initial status and annotations it added."""
        annotations, status = late
        if annotations is not None:
            obj["metadata"]["annotations"] = annotations
        obj["status"] = status


class Parts:
    """The final spec, annotations (None: kept as sent) and status as JSON,
    ``drawn`` (the JSON of the token volume's name, or b"") where each pod's
    own name goes. Built by decoding until :data:`COMPILE_AFTER` builds, then
    by a compiled literal (about two thirds of the cost of decoding; compiling
    costs some 300 builds' savings, so a template of a few replicas never pays it)."""

    __slots__ = ("annotations", "builds", "compiled", "drawn", "spec", "status")

    def __init__(self, spec: bytes, annotations: bytes | None, status: bytes,
                 drawn: bytes) -> None:
        self.spec = spec
        self.annotations = annotations
        self.status = status
        self.drawn = drawn
        self.builds = 0
        self.compiled: Builder | None = None

    def __call__(self, name: str) -> tuple[Obj, Obj | None, Obj]:
        compiled = self.compiled
        if compiled is not None:
            return compiled(name)
        self.builds += 1
        if self.builds == COMPILE_AFTER:
            self.compiled = _compiled(self)
        return self.decoded(name)

    def decoded(self, name: str) -> tuple[Obj, Obj | None, Obj]:
        spec = self.spec
        if self.drawn:
            spec = spec.replace(self.drawn, orjson.dumps(name))
        annotations = self.annotations
        return (orjson.loads(spec), None if annotations is None else orjson.loads(annotations),
                orjson.loads(self.status))


class Recording:
    """A miss that may become a plan: the object before defaults and what
    admission drew."""

    __slots__ = ("before", "chain", "drawn_before", "key", "routes")

    def __init__(self, key: tuple[Any, ...], chain: AdmissionChain, routes: Any,
                 before: bytes) -> None:
        self.key = key
        self.chain = chain
        self.routes = routes
        self.before = before
        account = routes[2]
        self.drawn_before = account.names_drawn if isinstance(account, ServiceAccount) else 0


class PodCreatePlans:
    """Plans per API server (lister generations belong to one server)."""

    def __init__(self, size: int = 256) -> None:
        self._table = LRU(size)
        # Keys seen once: a plan is made at the second sight of a key, so pods
        # that are each one of a kind (a StatefulSet's have their own
        # hostnames) pay for the key alone.
        self._seen = LRU(4 * size)
        self.hits = 0  # creates served by a plan (for tests and profiles)

    def clear(self) -> None:
        self._table.clear()
        self._seen.clear()

    def __len__(self) -> int:
        return len(self._table)

    def find(self, api: Any, strategy: Any, attrs: Attributes, obj: Obj) -> Plan | Recording | None:
        """The plan for this create (routed as admission would route it), a
        recording to make one, or None when creates like this are not memoised."""
        if (type(strategy) is not PodStrategy or strategy._defaulter is not default_pod
                or "status" in obj or not _util.USE_LISTERS):
            return None
        chain = api.admission
        if type(chain) is not AdmissionChain:
            return None
        routes = chain.routes(attrs)
        if not routes[2]:
            return None
        key = _key(api, attrs.namespace, obj)
        if key is None:
            return None
        plan = self._table.get(key)
        if plan is not None and plan.routes is routes:
            self.hits += 1
            return plan
        if key not in self._seen:
            self._seen.put(key, True)
            return None
        if not validated(strategy):
            return None
        try:
            before = orjson.dumps(obj)
        except (TypeError, orjson.JSONEncodeError):
            return None
        return Recording(key, chain, routes, before)

    def remember(self, recording: Recording, obj: Obj, attrs: Attributes,
                 fill: Callable[[Obj], None]) -> None:
        """Remember the plan of a create that passed every step, when its
        replay (``fill``: the system fields as this create set them) makes
        ``obj`` again."""
        plan, name = _plan(recording, obj, attrs)
        if plan is None:
            return
        try:
            replayed = orjson.loads(recording.before)
            late = plan._apply(replayed, name, None)
            fill(replayed)
            plan.prepare(replayed, late)
            same = orjson.dumps(replayed) == orjson.dumps(obj)
        except (TypeError, KeyError, AttributeError, orjson.JSONEncodeError):
            return
        if same:
            self._table.put(recording.key, plan)


def validated(strategy: Any) -> bool:
    """Whether ``strategy.validate`` is upstream's ``ValidatePodCreate`` as
    :mod:`engine.api.validation` provides it (the plan splits it in two)."""
    from engine.api.validation import core, registry

    found = registry.validators_for("", "Pod")
    return (type(strategy).validate is base.Strategy.validate
            and "validate" not in strategy.__dict__
            and base._validators()[0] is registry.validate_object
            and found is not None and found.create is core.validate_pod)


def metadata_errors(obj: Obj) -> list[Any]:
    """``ValidatePodCreate`` of a pod whose spec (and the annotations it
    reads) passed before: its ObjectMeta checks are all that may fail."""
    return _meta_errors()(obj)


def _meta_errors() -> Callable[[Obj], list[Any]]:
    if not _META:
        from engine.api.validation import names
        from engine.api.validation.kinds import meta_errors

        _META.append(lambda obj: meta_errors(obj, True, names.validate_pod_name))
    return _META[0]


_META: list[Callable[[Obj], list[Any]]] = []


def _key(api: Any, namespace: str, obj: Obj) -> tuple[Any, ...] | None:
    """Admission's template key (:func:`outcome.template_key`): defaults,
    PrepareForCreate and the spec's validation read nothing more."""
    spec, metadata = obj.get("spec"), obj.get("metadata")
    if type(spec) is not dict or type(metadata) is not dict:
        return None
    return template_key(namespace, spec, metadata, api.lister)


def _plan(recording: Recording, obj: Obj, attrs: Attributes) -> tuple[Plan | None, str]:
    """The plan ``obj`` (as the plain path made it) shows, and the token
    volume name this create drew ("" when none)."""
    routes = recording.routes
    outcome = attrs.memo
    if type(outcome) is not Outcome or not outcome.validated:
        return None, ""
    account = routes[2] if isinstance(routes[2], ServiceAccount) else None
    drawn = account.names_drawn - recording.drawn_before if account is not None else 0
    if drawn > 1:
        return None, ""
    name = account.last_drawn if drawn and account is not None else ""
    metadata = obj["metadata"]
    annotations = metadata.get("annotations", _ABSENT)
    try:
        spec = orjson.dumps(obj["spec"])
        status = orjson.dumps(obj["status"])
        sent = orjson.loads(recording.before)["metadata"].get("annotations", _ABSENT)
    except (TypeError, KeyError, orjson.JSONEncodeError):
        return None, ""
    if any(marker in spec for marker in _READS_MORE) or b"null" in spec:
        return None, ""
    if name:
        encoded = orjson.dumps(name)
        # The name may only stand where the plugin put it (volume and mounts).
        if spec.count(encoded) != spec.count(b'"name":' + encoded):
            return None, ""
    elif _PREFIX in spec:
        return None, ""
    kept = annotations is _ABSENT or annotations == sent
    late = not kept and sent is _ABSENT and list(metadata).index("annotations") > _last_system(
        metadata)
    try:
        annotation_bytes = None if kept else orjson.dumps(annotations)
    except (TypeError, orjson.JSONEncodeError):
        return None, ""
    parts = Parts(spec, annotation_bytes, status, orjson.dumps(name) if name else b"")
    return Plan(recording.chain, routes, outcome, account if drawn else None, parts, late), name


def _last_system(metadata: Obj) -> int:
    """Where the last system field (``creationTimestamp``) stands."""
    return list(metadata).index("creationTimestamp") if "creationTimestamp" in metadata else -1


def _compiled(parts: Parts) -> Builder | None:
    """A function building ``parts`` afresh from a literal, the token volume's
    name ``n`` where ``parts.drawn`` stood; None when it would not build
    exactly what decoding builds."""
    name = orjson.loads(parts.drawn) if parts.drawn else ""
    try:
        spec, annotations, status = parts.decoded(name)
        source = (f"lambda n: ({_literal(spec, name)}, {_literal(annotations, '')}, "
                  f"{_literal(status, '')})")
        build = eval(compile(source, "<pod create plan>", "eval"), {"__builtins__": {}})  # noqa: S307
        other = VOLUME_PREFIX + "zzzzz" if name else ""
        if orjson.dumps(build(other)) != orjson.dumps(parts.decoded(other)):
            return None
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return None
    return build


def _literal(value: Any, name: str) -> str:
    """Python source for the JSON ``value`` (dicts keep their order)."""
    kind = type(value)
    if kind is dict:
        return "{" + ", ".join(f"{_literal(k, '')}: {_literal(v, name)}"
                               for k, v in value.items()) + "}"
    if kind is list:
        return "[" + ", ".join(_literal(v, name) for v in value) + "]"
    if kind is str:
        return "n" if name and value == name else repr(value)
    if kind is int or kind is bool or value is None:
        return repr(value)
    if kind is float and value == value and value not in (float("inf"), float("-inf")):
        return repr(value)
    raise ValueError(f"not a JSON value: {kind.__name__}")
