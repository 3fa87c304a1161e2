"""The DefaultBinder's write: POST ``pods/<name>/binding``.

Upstream: ``pkg/scheduler/framework/plugins/defaultbinder/default_binder.go``
creates a ``v1.Binding`` (the pod's name and UID, target ``Node/<name>``)
through the pods/binding subresource; the API server's ``BindingREST``
(here :meth:`engine.api.server.APIServer.bind`) sets ``spec.nodeName``,
copies the Binding's annotations onto the pod and sets ``PodScheduled=True``.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def bind_pod(api: Any, namespace: str, name: str, node: str, *, uid: str = "",
             annotations: dict[str, str] | None = None, user: Any = None) -> Obj:
    """Create the Binding for one pod; returns the bound pod."""
    return api.bind(name, node, namespace=namespace, uid=uid, annotations=annotations,
                    user=user)
