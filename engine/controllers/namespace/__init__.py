"""The namespace controller (``pkg/controller/namespace``)."""

from engine.controllers.namespace.controller import NamespaceController

__all__ = ["NamespaceController"]
