"""The kubelet's pod workers (first cut: adoption only; lifecycle follows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.kubelet.kubelet import Kubelet
    from engine.kubelet.runtime import Container

Obj = dict[str, Any]


class PodWorkers:
    def __init__(self, kubelet: Kubelet) -> None:
        self.kubelet = kubelet

    def adopt(self, pods: list[Obj]) -> None:
        from engine.kubelet import mirror

        for pod in list(pods):
            mirror.ensure_owner(self.kubelet, pod)

    def update(self, pod: Obj) -> None:
        pass

    def remove(self, pod: Obj) -> None:
        pass

    def stop_all(self) -> None:
        pass

    def container_exited(self, container: Container) -> None:
        pass
