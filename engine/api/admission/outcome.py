"""The admission outcome of pod creates, remembered per template.

The pods of one template reach admission with the same spec and annotations.
The built-in plugins that handle a pod create (NamespaceLifecycle,
LimitRanger, ServiceAccount, Priority, DefaultTolerationSeconds) decide and
mutate from those two, the namespace, and the lister state of namespaces,
limit ranges, service accounts and priority classes alone. So the admission
chain may remember, keyed by the namespace, the generations of those four
listers and the JSON bytes of the spec and annotations, what the mutating
phase made of them, and whether those plugins' validating phases passed.

Safety rules, as for the other memos (``engine/api/memo.py``):

* only clean outcomes are remembered: a plugin that refuses leaves nothing;
* any change to a lister the plugins read changes its generation, so the next
  create misses;
* a hit decodes the remembered bytes afresh: no two pods share a subtree;
* ResourceQuota (it charges usage per object) and any plugin not listed here
  always run; a chain holding other plugins is not memoised at all;
* the one per-object mutation, the service account token volume's generated
  name, is drawn on a hit exactly as on a miss (same random draws) and put in
  place of the remembered one;
* a miss checks that the plugins changed nothing but the spec and the
  annotations before it remembers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from engine.api.admission import _util
from engine.api.admission.base import AdmissionPlugin, Attributes, Obj
from engine.api.admission.default_toleration_seconds import DefaultTolerationSeconds
from engine.api.admission.limit_ranger import LimitRanger
from engine.api.admission.namespace_lifecycle import NamespaceLifecycle
from engine.api.admission.priority import Priority
from engine.api.admission.resource_quota import ResourceQuota
from engine.api.admission.service_account import VOLUME_PREFIX, ServiceAccount
from engine.api.memo import LRU, MAX_KEY_BYTES

if TYPE_CHECKING:
    from engine.api.admission.base import _Route

# Plugins whose pod-create decisions depend only on the key (see above).
PURE: frozenset[type[AdmissionPlugin]] = frozenset(
    {NamespaceLifecycle, LimitRanger, ServiceAccount, Priority, DefaultTolerationSeconds})
# Plugins that run on every create, hit or miss.
ALWAYS: frozenset[type[AdmissionPlugin]] = frozenset({ResourceQuota})
# What the pure plugins read through the API server's listers (keyed on in _key).
DEPENDENCIES = ("namespaces", "limitranges", "serviceaccounts", "priorityclasses")

_ABSENT: Any = object()
_PREFIX = VOLUME_PREFIX.encode()


class Outcome:
    """What the mutating phase made of one key, and whether the pure
    plugins' validating phases passed for it."""

    __slots__ = ("annotations", "drawn", "spec", "validated")

    def __init__(self, spec: bytes, annotations: bytes | None, drawn: bytes) -> None:
        self.spec = spec
        self.annotations = annotations  # None: left as they were
        self.drawn = drawn  # the JSON of the token volume name drawn, or b""
        self.validated = False


def memoable(admit: _Route, validate: _Route) -> ServiceAccount | bool:
    """Whether a pod create routed so may use the memo: every plugin is a
    known one decided by the kind of request, with its phases unpatched.
    Returns the ServiceAccount plugin when it mutates (True when none does)."""
    account: ServiceAccount | bool = True
    for plugin, ask in (*admit, *validate):
        if ask or type(plugin) not in PURE | ALWAYS:
            return False
        if "admit" in plugin.__dict__ or "validate" in plugin.__dict__:
            return False
    for plugin, _ in admit:
        if type(plugin) in ALWAYS:
            return False  # a mutating phase that must always run
        if isinstance(plugin, ServiceAccount):
            account = plugin
    return account


class OutcomeMemo:
    """Per admission chain (lister generations belong to one API server)."""

    def __init__(self, size: int = 256) -> None:
        self._table = LRU(size)

    def clear(self) -> None:
        self._table.clear()

    def admit(self, attrs: Attributes, obj: Obj, route: _Route,
              account: ServiceAccount | bool) -> None:
        """The mutating phase of ``route`` on ``obj``, from the memo when seen."""
        api = route[0][0].api if route else None
        lister = getattr(api, "lister", None) if _util.USE_LISTERS else None
        spec, metadata = obj.get("spec"), obj.get("metadata")
        key = None
        if lister is not None and type(spec) is dict and type(metadata) is dict:
            key = template_key(attrs.namespace, spec, metadata, lister)
        if key is None:
            _run(attrs, obj, route)
            return
        found = self._table.get(key)
        if found is not None:
            encoded = found.spec
            if found.drawn:
                assert isinstance(account, ServiceAccount)
                name = VOLUME_PREFIX + api.identity.name_suffix()  # type: ignore[union-attr]
                account.names_drawn += 1
                account.last_drawn = name
                encoded = encoded.replace(found.drawn, orjson.dumps(name))
            spec.clear()
            spec.update(orjson.loads(encoded))
            if found.annotations is not None:
                metadata["annotations"] = orjson.loads(found.annotations)
            attrs.memo = found
            return
        outcome = _worked_out(attrs, obj, route, account, spec, metadata, key[3])
        if outcome is not None:
            self._table.put(key, outcome)
            attrs.memo = outcome


def template_key(namespace: str, spec: Obj, metadata: Obj,
                 lister: Any) -> tuple[Any, ...] | None:
    """``(namespace, lister generations, spec bytes, annotation bytes)``: what
    the pure plugins decide a pod create from (also the key of
    ``engine/api/createplan.py``); None when such a create is not memoised."""
    annotations = metadata.get("annotations", _ABSENT)
    try:
        spec_bytes = orjson.dumps(spec)
        annotation_bytes = b"" if annotations is _ABSENT else orjson.dumps(annotations)
    except (TypeError, orjson.JSONEncodeError):
        return None
    if (b"null" in spec_bytes or b"null" in annotation_bytes  # NaN encodes as null too
            or len(spec_bytes) + len(annotation_bytes) > MAX_KEY_BYTES
            or _PREFIX in spec_bytes):  # a token volume of its own: not memoised
        return None
    generations = (lister("namespaces").generation, lister("limitranges").generation,
                   lister("serviceaccounts").generation, lister("priorityclasses").generation)
    return (namespace, generations, spec_bytes, annotation_bytes)


def _run(attrs: Attributes, obj: Obj, route: _Route) -> None:
    for plugin, _ in route:
        plugin.admit(attrs, obj)


def _rest(obj: Obj, metadata: Obj) -> bytes:
    """Everything but the spec and the annotations, in order."""
    return orjson.dumps([
        [k for k in obj],
        {k: v for k, v in obj.items() if k != "spec" and k != "metadata"},
        [k for k in metadata if k != "annotations"],
        {k: v for k, v in metadata.items() if k != "annotations"},
    ])


def _worked_out(attrs: Attributes, obj: Obj, route: _Route, account: ServiceAccount | bool,
                spec: Obj, metadata: Obj, annotations_before: bytes) -> Outcome | None:
    """Runs the phase; the outcome to remember, or None when it must not be."""
    try:
        rest = _rest(obj, metadata)
    except (TypeError, orjson.JSONEncodeError):
        _run(attrs, obj, route)
        return None
    drawn_before = account.names_drawn if isinstance(account, ServiceAccount) else 0
    had_annotations = "annotations" in metadata
    _run(attrs, obj, route)  # a refusal raises: nothing is remembered
    if obj.get("spec") is not spec or obj.get("metadata") is not metadata:
        return None
    try:
        if _rest(obj, metadata) != rest:
            return None
        encoded = orjson.dumps(spec)
        annotations = metadata.get("annotations", _ABSENT)
        if annotations is _ABSENT:
            if had_annotations:
                return None
            annotation_bytes = None
        else:
            annotation_bytes = orjson.dumps(annotations)
            if had_annotations and annotation_bytes == annotations_before:
                annotation_bytes = None
    except (TypeError, orjson.JSONEncodeError):
        return None
    if not had_annotations and annotation_bytes is not None and list(metadata)[-1] != "annotations":
        return None
    drawn = b""
    if isinstance(account, ServiceAccount):
        count = account.names_drawn - drawn_before
        if count > 1:
            return None
        if count:
            drawn = orjson.dumps(account.last_drawn)
            # The name may only stand where the plugin put it (volume and mounts).
            if encoded.count(drawn) != encoded.count(b'"name":' + drawn):
                return None
    return Outcome(encoded, annotation_bytes, drawn)
