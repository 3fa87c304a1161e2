"""Nodes grouped by zone, listed round-robin across zones.

Upstream: ``pkg/scheduler/backend/cache/node_tree.go`` (``nodeTree.list``):
zones in the order they first appeared, nodes of a zone in the order they
were added; the list takes the first node of every zone, then the second,
and so on, so that the first nodes the scheduler looks at span the zones.
"""

from __future__ import annotations


class NodeTree:
    """Node names by zone."""

    def __init__(self) -> None:
        self.zones: list[str] = []
        self.tree: dict[str, list[str]] = {}
        self.zone_of: dict[str, str] = {}

    def add(self, name: str, zone: str) -> None:
        if name in self.zone_of:
            return
        if zone not in self.tree:
            self.zones.append(zone)
            self.tree[zone] = []
        self.tree[zone].append(name)
        self.zone_of[name] = zone

    def remove(self, name: str) -> None:
        zone = self.zone_of.pop(name, None)
        if zone is None:
            return
        names = self.tree[zone]
        names.remove(name)
        if not names:
            del self.tree[zone]
            self.zones.remove(zone)

    def update(self, name: str, zone: str) -> bool:
        """Move a node to another zone; True when it moved."""
        if self.zone_of.get(name) == zone:
            return False
        self.remove(name)
        self.add(name, zone)
        return True

    def __len__(self) -> int:
        return len(self.zone_of)

    def list(self) -> list[str]:
        if len(self.zones) == 1:
            return list(self.tree[self.zones[0]])
        out: list[str] = []
        lists = [self.tree[z] for z in self.zones]
        depth = max((len(names) for names in lists), default=0)
        for i in range(depth):
            for names in lists:
                if i < len(names):
                    out.append(names[i])
        return out
