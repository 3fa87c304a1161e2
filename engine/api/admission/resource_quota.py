"""ResourceQuota admission (upstream ``plugin/pkg/admission/resourcequota``:
``controller.go`` ``CheckRequest``, with the evaluators of ``pkg/quota/v1``).

Every create (and, for services and claims, update) in a namespace with
quotas is checked against each matching quota: the object's usage is added
to what the namespace already uses, and if that goes over a hard limit the
request is refused with 403 Forbidden ``exceeded quota: <name>, requested:
..., used: ..., limited: ...``. Pods must also request/limit the cpu and
memory a quota covers (``failed quota: <name>: must specify ...``).

Deviations, so that the check is right without a quota controller keeping
``status`` current: the hard limits are read from ``spec.hard`` (the
controller copies them to ``status.hard``) and the usage is computed from
the namespace's current objects instead of read from ``status.used``; hence
upstream's ``status unknown for quota`` refusal never happens. Updating
``status.used`` stays the quota controller's job (upstream admission also
charges it; here the next computation sees the new object instead).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from engine.api.admission._util import Resources, _lister, forbidden, list_objects, resource_list
from engine.api.admission.base import AdmissionPlugin, Attributes
from engine.api.admission.quota_evaluators import ObjectCountEvaluator, evaluator_for
from engine.api.validation.quantity import Quantity, canonical

Obj = dict[str, Any]

# Namespaces remembered as without quotas (a bound, not a working set).
_MAX_REMEMBERED = 4096

# install.DefaultIgnoredResources()
IGNORED = frozenset({("", "events")})


def scope_selectors(quota: Obj) -> list[Obj]:
    """``getScopeSelectorsFromQuota``: ``scopes`` as Exists requirements plus
    the ``scopeSelector`` expressions."""
    spec = quota.get("spec") or {}
    selectors = [{"scopeName": s, "operator": "Exists"} for s in spec.get("scopes") or ()]
    selectors += list((spec.get("scopeSelector") or {}).get("matchExpressions") or ())
    return selectors


def pretty(resources: Resources) -> str:
    """``prettyPrint``: ``name=quantity`` sorted by name, comma separated."""
    return ",".join(f"{name}={canonical(resources[name])}" for name in sorted(resources))


def _mask(resources: Resources, names: Any) -> Resources:
    return {k: v for k, v in resources.items() if k in names}


def _add(a: Resources, b: Resources) -> Resources:
    out = dict(a)
    for name, q in b.items():
        current = out.get(name)
        # Quantity.Add: a zero sum takes the addend's format.
        out[name] = (
            q
            if current is None or current.value == 0
            else Quantity(current.value + q.value, current.format)
        )
    return out


class ResourceQuota(AdmissionPlugin):
    name = "ResourceQuota"
    handles_by_request_kind = True

    def __init__(self, api: Any) -> None:
        super().__init__(api)
        # Namespace -> the quota lister generation at which it held no quota:
        # upstream's quota admission evaluates only when the namespace has
        # quotas, and most writes go to namespaces without any, so this is
        # asked on every create of a namespaced object.
        self._without_quotas: dict[str, int] = {}

    def handles(self, attrs: Attributes) -> bool:
        return (
            attrs.operation in ("CREATE", "UPDATE")
            and not attrs.subresource
            and bool(attrs.namespace)
            and attrs.info.namespaced
            and (attrs.info.group, attrs.info.plural) not in IGNORED
        )

    def validate(self, attrs: Attributes, obj: Obj) -> None:
        lister = _lister(self.api)
        generation = lister("resourcequotas").generation if lister is not None else None
        if generation is not None and self._without_quotas.get(attrs.namespace) == generation:
            return  # no quota here, and none was written since that was seen
        quotas = list_objects(self.api, "resourcequotas", attrs.namespace)
        if not quotas:
            if generation is not None:
                if len(self._without_quotas) >= _MAX_REMEMBERED:
                    self._without_quotas.clear()
                self._without_quotas[attrs.namespace] = generation
            return
        evaluator = evaluator_for(attrs.info)
        if evaluator.handles(attrs.operation):
            self._check(attrs, obj, evaluator, sorted(quotas, key=_name))

    def _check(
        self, attrs: Attributes, obj: Obj, evaluator: ObjectCountEvaluator, quotas: list[Obj]
    ) -> None:
        """``CheckRequest``."""
        interesting = []
        for quota in quotas:
            if not self._matches(evaluator, quota, obj):
                continue
            restricted = evaluator.matching_resources(list(_hard(quota)))
            problem = evaluator.constraints(restricted, obj)
            if problem:
                raise forbidden(attrs, obj, f"failed quota: {_name(quota)}: {problem}")
            interesting.append(quota)
        now = self.api.clock.now()
        delta = evaluator.usage(obj, now)
        negative = sorted(name for name, q in delta.items() if q.value < 0)
        if negative:
            raise forbidden(
                attrs, obj, "quota usage is negative for resource(s): " + ",".join(negative)
            )
        if attrs.operation == "UPDATE" and attrs.old is not None:
            previous = evaluator.usage(attrs.old, now)
            delta = {
                k: Quantity(max(Fraction(0), q.value - previous[k].value), q.format)
                if k in previous
                else q
                for k, q in delta.items()
            }
        delta = {k: q for k, q in delta.items() if q.value != 0}
        if not delta or not interesting:
            return
        existing = self._existing(attrs, obj)
        for quota in interesting:
            hard = _hard(quota)
            requested = _mask(delta, hard)
            used = self._used(evaluator, quota, existing, now)
            new_usage = _mask(_add(used, requested), requested)
            exceeded = [k for k, q in new_usage.items() if q.value > hard[k].value]
            if exceeded:
                raise forbidden(
                    attrs,
                    obj,
                    (
                        f"exceeded quota: {_name(quota)}, requested: {pretty(_mask(requested, exceeded))}"
                        f", used: {pretty(_mask(used, exceeded))}, limited: "
                        f"{pretty(_mask(hard, exceeded))}"
                    ),
                )

    def _matches(self, evaluator: ObjectCountEvaluator, quota: Obj, obj: Obj) -> bool:
        """``Matches``: the quota limits something this kind uses, and every
        scope selector matches the object."""
        if not evaluator.matching_resources(list(_hard(quota))):
            return False
        return all(evaluator.matches_scope(s, obj) for s in scope_selectors(quota))

    def _existing(self, attrs: Attributes, obj: Obj) -> list[Obj]:
        """The namespace's other objects of this resource (what is already used)."""
        name = (obj.get("metadata") or {}).get("name") or attrs.name
        items = list_objects(self.api, attrs.info, attrs.namespace)
        return [o for o in items if o["metadata"].get("name") != name]

    def _used(
        self, evaluator: ObjectCountEvaluator, quota: Obj, existing: list[Obj], now: float
    ) -> Resources:
        """The quota's current usage of this kind's resources (zero included)."""
        hard = _hard(quota)
        names = evaluator.matching_resources(list(hard))
        used: Resources = {n: Quantity(Fraction(0), hard[n].format) for n in names}
        selectors = scope_selectors(quota)
        for other in existing:
            if all(evaluator.matches_scope(s, other) for s in selectors):
                used = _add(used, _mask(evaluator.usage(other, now), names))
        return used


def _name(quota: Obj) -> str:
    return (quota.get("metadata") or {}).get("name") or ""


def _hard(quota: Obj) -> Resources:
    return resource_list((quota.get("spec") or {}).get("hard"))
