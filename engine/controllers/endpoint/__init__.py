"""The Endpoints controller (upstream ``pkg/controller/endpoint``)."""

from engine.controllers.endpoint.controller import EndpointController

__all__ = ["EndpointController"]
