"""PodDisruptionBudget status (upstream ``pkg/controller/disruption``)."""

from engine.controllers.disruption.controller import DisruptionController

__all__ = ["DisruptionController"]
