"""Pod IP allocation from the node's podCIDR.

As the CNI ``host-local`` IPAM plugin that kind's kindnet uses: the
gateway takes ``.1``, pods get addresses from ``.2`` up, and each allocation
continues after the last one handed out (round-robin), so a freshly freed
address is not reused at once. Addresses of pods the kubelet adopts (a
restart, the bootstrap's system pods) are reserved as they are found.
"""

from __future__ import annotations

import ipaddress


class AddressPool:
    """``host-local`` for one IPv4 range."""

    def __init__(self, cidr: str) -> None:
        net = ipaddress.ip_network(cidr, strict=False)
        self._base = int(net.network_address) + 2  # .1 is the bridge's gateway
        self._count = max(net.num_addresses - 3, 0)
        self._owner: dict[str, str] = {}
        self._by_owner: dict[str, str] = {}
        self._last = -1

    def allocate(self, owner: str) -> str | None:
        """An address for ``owner`` (its existing one if it has one); None when full."""
        if owner in self._by_owner:
            return self._by_owner[owner]
        count = self._count
        for step in range(1, count + 1):
            i = (self._last + step) % count
            ip = self._address(i)
            if ip not in self._owner:
                self._owner[ip] = owner
                self._by_owner[owner] = ip
                self._last = i
                return ip
        return None

    def reserve(self, ip: str, owner: str) -> bool:
        """Record that ``owner`` holds ``ip`` (adoption); False if not ours or taken."""
        index = self._index(ip)
        if index is None or self._owner.get(ip, owner) != owner:
            return False
        self._owner[ip] = owner
        self._by_owner[owner] = ip
        self._last = max(self._last, index)
        return True

    @property
    def gateway(self) -> str:
        """The bridge's address (``.1``), which probes and the node come from."""
        return str(ipaddress.IPv4Address(self._base - 1))

    def _address(self, i: int) -> str:
        return str(ipaddress.IPv4Address(self._base + i))

    def _index(self, ip: str) -> int | None:
        try:
            i = int(ipaddress.IPv4Address(ip)) - self._base
        except ValueError:
            return None
        return i if 0 <= i < self._count else None

    def release(self, owner: str) -> None:
        ip = self._by_owner.pop(owner, None)
        if ip is not None:
            self._owner.pop(ip, None)

    def __len__(self) -> int:
        return len(self._owner)
