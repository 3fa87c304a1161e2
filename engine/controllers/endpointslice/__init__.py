"""The EndpointSlice controller (upstream ``pkg/controller/endpointslice``)."""

from engine.controllers.endpointslice.controller import EndpointSliceController

__all__ = ["EndpointSliceController"]
