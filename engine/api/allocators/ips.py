"""ClusterIP allocation from the service CIDR.

Upstream: ``pkg/registry/core/service/ipallocator/bitmap.go``. The network
and broadcast addresses are never handed out, so ``10.96.0.1`` is offset 0
(the ``kubernetes`` service's). The static band is
``min(max(16, size/16), 256)`` addresses (``calculateRangeOffset``).
"""

from __future__ import annotations

import contextlib
import ipaddress
import random

from engine.api.allocators.bitmap import AllocationError, RangeAllocator

# kube-apiserver's --service-cluster-ip-range default.
SERVICE_CIDR = "10.96.0.0/12"


def ip_range(cidr: str) -> tuple[int, int]:
    """(first usable address as an int, number of usable addresses)."""
    net = ipaddress.ip_network(cidr)
    return int(net.network_address) + 1, max(net.num_addresses - 2, 0)


def _static_band(size: int) -> int:
    return min(max(16, size // 16), 256)


class ClusterIPAllocator:
    """``ipallocator.Range`` over one CIDR."""

    def __init__(self, cidr: str = SERVICE_CIDR) -> None:
        self.cidr = cidr
        self.network = ipaddress.ip_network(cidr)
        self.base, size = ip_range(cidr)
        self.bitmap = RangeAllocator(size, _static_band(size), "IP")

    def _offset(self, ip: str) -> int:
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            raise AllocationError(f"failed to parse IP {ip}") from None
        offset = int(addr) - self.base
        if addr not in self.network or not 0 <= offset < self.bitmap.size:
            raise AllocationError(
                f"the provided IP ({ip}) is not in the valid range. The range of valid IPs is "
                f"{self.cidr}")
        return offset

    def _ip(self, offset: int) -> str:
        return str(ipaddress.ip_address(self.base + offset))

    def allocate(self, ip: str) -> None:
        self.bitmap.allocate(self._offset(ip))

    def check(self, ip: str) -> None:
        """Would ``allocate(ip)`` succeed? (dry run)"""
        if self.bitmap.has(self._offset(ip)):
            self.bitmap.allocate(self._offset(ip))

    def allocate_next(self, rng: random.Random) -> str:
        return self._ip(self.bitmap.allocate_next(rng))

    def peek_next(self, rng: random.Random) -> str:
        return self._ip(self.bitmap.peek_next(rng))

    def release(self, ip: str) -> None:
        with contextlib.suppress(AllocationError):
            self.bitmap.release(self._offset(ip))

    def contains(self, ip: str) -> bool:
        try:
            return ipaddress.ip_address(ip) in self.network
        except ValueError:
            return False
