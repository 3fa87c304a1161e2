"""The Kubernetes REST API over HTTP, so real kubectl and client libraries
drive the embedded cluster.

The aiohttp server runs on the engine's own loop and calls the API server's
verbs directly (upstream: k8s.io/apiserver ``pkg/endpoints``). Modules:
``app`` (routes, middleware), ``auth`` (bearer tokens, the authorization
hook), ``paths`` (request info), ``handlers`` (CRUD, patch), ``watch``,
``tables``, ``subresources`` (status, scale, log, eviction, binding),
``discovery``, ``openapi``, ``bodies`` and ``protobuf`` (request decoding).
"""
