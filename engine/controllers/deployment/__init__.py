"""The Deployment controller (``pkg/controller/deployment``)."""

from engine.controllers.deployment.controller import DeploymentController

__all__ = ["DeploymentController"]
