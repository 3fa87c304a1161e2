"""REST hooks of individual resources (see :mod:`engine.api.rest_hooks`)."""

from engine.api.hooks import services as services  # registers ("", "services")
