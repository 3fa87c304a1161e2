"""The kinds k9py can show and every name a user may type for them.

Names come from the API's resource table (plural, singular, kind, short
names: what ``kubectl api-resources`` prints) plus k9s's own aliases (``dp``,
``sec``, ``cr``, ``crb``, ``ro``, ``rb``...) and the user's aliases from the
config file. A remote cluster would feed the same table from discovery.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    """One resource: what the client calls take and what the views need."""

    plural: str
    group: str
    version: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def resource(self) -> str:
        """The name handed to the client: ``pods``, ``deployments.apps``."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def title(self) -> str:
        return self.plural

    def singular(self) -> str:
        return self.kind.lower()

    def can(self, verb: str) -> bool:
        return not self.verbs or verb in self.verbs


# k9s's extra aliases (internal/config/data/aliases + its hand-written ones).
K9S_ALIASES = {
    "dp": "deployments.apps", "sec": "secrets", "cr": "clusterroles.rbac.authorization.k8s.io",
    "crb": "clusterrolebindings.rbac.authorization.k8s.io",
    "ro": "roles.rbac.authorization.k8s.io", "rb": "rolebindings.rbac.authorization.k8s.io",
    "np": "networkpolicies.networking.k8s.io", "jo": "jobs.batch", "eps":
    "endpointslices.discovery.k8s.io", "pdbs": "poddisruptionbudgets.policy",
    "pri": "priorityclasses.scheduling.k8s.io", "lease": "leases.coordination.k8s.io",
}

# Views that are not resources (k9s's command.go specials).
SPECIAL_COMMANDS = {
    "pulses": "pulses", "pulse": "pulses", "pu": "pulses", "hz": "pulses",
    "xray": "xray", "x": "xray", "help": "help", "?": "help",
    "aliases": "aliases", "alias": "aliases", "a": "aliases",
    "q": "quit", "q!": "quit", "qa": "quit", "Q": "quit", "quit": "quit", "exit": "quit",
    "ctx": "contexts", "context": "contexts", "contexts": "contexts",
    "theme": "theme", "themes": "theme", "skin": "theme",
}


class Catalog:
    """Every kind by every name (first name wins, as kubectl's RESTMapper)."""

    def __init__(self, kinds: Iterable[Kind], aliases: dict[str, str] | None = None) -> None:
        self.kinds = list(kinds)
        self._by_name: dict[str, Kind] = {}
        self._by_kind: dict[str, Kind] = {}
        for k in self.kinds:
            self._by_kind.setdefault(k.kind, k)
            for name in (k.plural, k.kind.lower(), k.plural.rstrip("s"), *k.short_names,
                         k.resource, f"{k.plural}.{k.version}.{k.group}" if k.group else k.plural):
                self._by_name.setdefault(name, k)
        for alias, target in K9S_ALIASES.items():
            if target in self._by_name:
                self._by_name.setdefault(alias, self._by_name[target])
        self.user_aliases: dict[str, str] = dict(aliases or {})

    def lookup(self, name: str) -> Kind | None:
        return self._by_name.get(name) or self._by_name.get(name.lower())

    def by_kind(self, kind: str) -> Kind | None:
        return self._by_kind.get(kind)

    def names(self) -> list[str]:
        """Every completion candidate for ``:``."""
        return sorted({*self._by_name, *self.user_aliases, *SPECIAL_COMMANDS})

    def aliases(self) -> list[tuple[str, str]]:
        """(resource, comma-separated names) for the aliases view."""
        grouped: dict[str, list[str]] = {}
        for name, k in self._by_name.items():
            grouped.setdefault(k.resource, []).append(name)
        for alias, target in self.user_aliases.items():
            grouped.setdefault(target, []).append(alias)
        return sorted((res, ",".join(sorted(names))) for res, names in grouped.items())


def engine_catalog(aliases: dict[str, str] | None = None) -> Catalog:
    """The embedded API server's resource table (read-only data, no engine state)."""
    from engine.api.resources import RESOURCES

    seen: set[tuple[str, str]] = set()
    kinds = []
    for r in RESOURCES:
        if "list" not in r.verbs or (r.plural, r.kind) in seen:
            continue
        seen.add((r.plural, r.kind))
        kinds.append(Kind(r.plural, r.group, r.version, r.kind, r.namespaced, r.short_names,
                          r.verbs))
    return Catalog(kinds, aliases)
