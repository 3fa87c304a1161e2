"""ImageLocality: prefer nodes that already have the pod's images, weighted by
image size and how widely the image is spread.

Upstream: ``pkg/scheduler/framework/plugins/imagelocality/image_locality.go``
(``sumImageScores``: size * nodes-with-image / all nodes per container image;
``calculatePriority``: clamp to [23 MiB, 1000 MiB * containers] and scale to
0..100).
"""

from __future__ import annotations

from engine.scheduler.framework.interface import CycleState, ScorePlugin
from engine.scheduler.framework.node_info import NodeInfo
from engine.scheduler.framework.plugins import names
from engine.scheduler.framework.pod_info import PodInfo
from engine.scheduler.framework.types import MAX_NODE_SCORE

MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB
MAX_CONTAINER_THRESHOLD = 1000 * MB


def calculate_priority(sum_scores: int, num_containers: int) -> int:
    max_threshold = MAX_CONTAINER_THRESHOLD * num_containers
    sum_scores = min(max(sum_scores, MIN_THRESHOLD), max_threshold)
    return MAX_NODE_SCORE * (sum_scores - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)


class ImageLocality(ScorePlugin):
    name = names.IMAGE_LOCALITY

    def score_key(self, state: CycleState, pod: PodInfo) -> tuple:
        cache = self.handle.cache
        return (tuple(pod.images), cache.num_nodes(),
                tuple(cache.image_num_nodes(image) for image in pod.images))

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        cache = self.handle.cache
        total = cache.num_nodes()
        sum_scores = 0
        for image in pod.images:
            size = node.images.get(image)
            if size is not None and total:
                spread = cache.image_num_nodes(image) / total
                sum_scores += int(size * spread)
        return calculate_priority(sum_scores, len(pod.images))

    def score_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        cache = self.handle.cache
        if not any(cache.image_num_nodes(image) for image in pod.images):
            return [0] * len(nodes)
        score = self.score
        return [score(state, pod, n) for n in nodes]
