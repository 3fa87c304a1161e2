"""Label selectors and node selectors, compiled once per pod.

Upstream: ``k8s.io/apimachinery/pkg/labels/selector.go`` (metav1
``LabelSelector``: matchLabels and matchExpressions In, NotIn, Exists,
DoesNotExist; an empty selector matches everything, a missing one nothing)
and ``k8s.io/component-helpers/scheduling/corev1/nodeaffinity``
(``NodeSelector``: terms are ORed, the expressions and fields of a term
ANDed, operators also Gt and Lt; a term with neither matches no node).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]
Labels = dict[str, str]
Requirement = tuple[str, str, frozenset[str] | int | None]


def _never(_labels: Labels) -> bool:
    return False


def _always(_labels: Labels) -> bool:
    return True


def _requirement_matches(labels: Labels, key: str, op: str, values: Any) -> bool:
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op in ("Gt", "Lt"):
        if key not in labels or values is None:
            return False
        try:
            have = int(labels[key])
        except ValueError:
            return False
        return have > values if op == "Gt" else have < values
    return False


def _compile_expressions(expressions: list[Obj] | None, numeric: bool) -> list[Requirement] | None:
    reqs: list[Requirement] = []
    for expr in expressions or ():
        op = expr.get("operator", "")
        values = expr.get("values") or []
        if op in ("Gt", "Lt"):
            if not numeric or len(values) != 1:
                return None
            try:
                reqs.append((expr.get("key", ""), op, int(values[0])))
            except ValueError:
                return None
        elif op in ("In", "NotIn", "Exists", "DoesNotExist"):
            reqs.append((expr.get("key", ""), op, frozenset(values)))
        else:
            return None
    return reqs


class LabelSelector:
    """A compiled metav1 ``LabelSelector``; ``None`` input matches nothing."""

    __slots__ = ("match_labels", "requirements", "matches", "empty")

    def __init__(self, selector: Obj | None) -> None:
        self.match_labels: Labels = {}
        self.requirements: list[Requirement] = []
        self.empty = False
        if selector is None:
            self.matches: Callable[[Labels], bool] = _never
            return
        self.match_labels = dict(selector.get("matchLabels") or {})
        reqs = _compile_expressions(selector.get("matchExpressions"), numeric=False)
        if reqs is None:
            self.matches = _never
            return
        self.requirements = reqs
        if not self.match_labels and not reqs:
            self.empty = True
            self.matches = _always
        elif not reqs and len(self.match_labels) == 1:
            ((k, v),) = self.match_labels.items()
            self.matches = lambda labels: labels.get(k) == v
        else:
            self.matches = self._match

    def _match(self, labels: Labels) -> bool:
        for k, v in self.match_labels.items():
            if labels.get(k) != v:
                return False
        for key, op, values in self.requirements:
            if not _requirement_matches(labels, key, op, values):
                return False
        return True

    def signature(self) -> tuple:
        """A hashable identity of the selector."""
        if self.matches is _never:
            return ("nothing",)
        return (frozenset(self.match_labels.items()),
                tuple((k, op, v) for k, op, v in self.requirements))

    def keys(self) -> set[str]:
        return set(self.match_labels) | {r[0] for r in self.requirements}


def match_labels_selector(match_labels: Labels | None) -> Callable[[Labels], bool]:
    """A ``spec.nodeSelector`` map: every pair must be present."""
    items = list((match_labels or {}).items())
    if not items:
        return _always
    return lambda labels: all(labels.get(k) == v for k, v in items)


class NodeSelectorTerm:
    """One ``NodeSelectorTerm``: label expressions and ``metadata.name`` fields."""

    __slots__ = ("label_reqs", "field_reqs", "valid")

    def __init__(self, term: Obj) -> None:
        labels = _compile_expressions(term.get("matchExpressions"), numeric=True)
        fields = _compile_expressions(term.get("matchFields"), numeric=False)
        self.valid = labels is not None and fields is not None and bool(labels or fields)
        self.label_reqs = labels or []
        self.field_reqs = fields or []
        if fields and any(key != "metadata.name" for key, _, _ in fields):
            self.valid = False

    def matches(self, labels: Labels, name: str) -> bool:
        if not self.valid:
            return False
        for key, op, values in self.label_reqs:
            if not _requirement_matches(labels, key, op, values):
                return False
        if self.field_reqs:
            fields = {"metadata.name": name}
            for key, op, values in self.field_reqs:
                if not _requirement_matches(fields, key, op, values):
                    return False
        return True

    def node_names(self) -> set[str] | None:
        """Names a ``metadata.name In`` field pins this term to (None: any)."""
        names: set[str] | None = None
        for key, op, values in self.field_reqs:
            if key == "metadata.name" and op == "In" and isinstance(values, frozenset):
                names = set(values) if names is None else names & values
        return names


class NodeSelector:
    """``NodeSelector``: ORed terms."""

    __slots__ = ("terms",)

    def __init__(self, selector: Obj) -> None:
        self.terms = [NodeSelectorTerm(t) for t in selector.get("nodeSelectorTerms") or ()]

    def matches(self, labels: Labels, name: str) -> bool:
        return any(term.matches(labels, name) for term in self.terms)
