"""NodePort allocation from the node port range.

Upstream: ``pkg/registry/core/service/portallocator/allocator.go``
(--service-node-port-range default 30000-32767; the static band is
``min(max(16, size/32), 128)`` ports).
"""

from __future__ import annotations

import random

from engine.api.allocators.bitmap import AllocationError, RangeAllocator

NODE_PORT_RANGE = (30000, 32767)


class NodePortAllocator:
    """``portallocator.PortAllocator``."""

    def __init__(self, low: int = NODE_PORT_RANGE[0], high: int = NODE_PORT_RANGE[1]) -> None:
        self.low, self.high = low, high
        size = high - low + 1
        self.bitmap = RangeAllocator(size, min(max(16, size // 32), 128), "port")

    def _offset(self, port: int) -> int:
        if not self.low <= port <= self.high:
            raise AllocationError(
                f"provided port is not in the valid range. The range of valid ports is "
                f"{self.low}-{self.high}")
        return port - self.low

    def allocate(self, port: int) -> None:
        self.bitmap.allocate(self._offset(port))

    def check(self, port: int) -> None:
        if self.bitmap.has(self._offset(port)):
            self.bitmap.allocate(self._offset(port))

    def allocate_next(self, rng: random.Random) -> int:
        return self.low + self.bitmap.allocate_next(rng)

    def peek_next(self, rng: random.Random) -> int:
        return self.low + self.bitmap.peek_next(rng)

    def release(self, port: int) -> None:
        if self.low <= port <= self.high:
            self.bitmap.release(port - self.low)
