"""The Kubernetes REST API over HTTPS, so real kubectl and client libraries
drive the embedded cluster.

Use::

    k9py serve --kubeconfig ./k9py.kubeconfig       # prints "... ready at https://..."
    KUBECONFIG=./k9py.kubeconfig kubectl get nodes  # context k9py (admin)
    kubectl --context k9py-readonly get pods -A     # a read-only user

The aiohttp server runs on the engine's own loop and calls the API server's
verbs directly, as kube-apiserver's handlers call its registry (upstream:
k8s.io/apiserver ``pkg/endpoints``). It is served over TLS with a per-run
self-signed certificate because kubectl sends no bearer token to an
``http://`` server (see :mod:`engine.rest.tls`).

Modules: ``server`` (start/stop, TLS, tokens), ``app`` (routes, auth and
error middleware), ``auth`` (tokens and the one authorization decision),
``router`` and ``paths`` (request info, verbs), ``handlers`` (CRUD, patch),
``watch``, ``tables`` (server-side printing via :mod:`engine.printers`),
``subresources``, ``scale``, ``eviction``, ``logstream``/``logs`` (pod logs
from the kubelets), ``metrics`` (metrics.k8s.io), ``reviews`` (auth can-i,
whoami), ``discovery``, ``openapi`` (v3) and ``openapi_v2``, ``bodies`` and
``protobuf``/``proto_fields`` (request decoding), ``kubeconfig``.
"""
