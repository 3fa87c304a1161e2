"""The root CA publisher: ``kube-root-ca.crt`` in every namespace.

Upstream: ``pkg/controller/certificates/rootcacertpublisher/publisher.go``
(``syncNamespace``: create the ConfigMap with ``ca.crt`` and the
description annotation, or put back its data and annotation when someone
changed them; a deleted one is recreated). Pods mount it through their
projected ``kube-api-access-*`` volume, and the kubelet does not start a pod
until it exists (``engine/kubelet/volumes.py``). The boot namespaces get
theirs at boot (``engine/bootstrap``), as a kind cluster has them by the time
it is ready.

The bundle is a simulated CA certificate: a PEM block derived from the
cluster's identity seed, the same on every run of a scenario; it is not
a parseable X.509 certificate (k9py's HTTPS server has its own, per run).
"""

from __future__ import annotations

import base64
import copy
import hashlib
from typing import Any

from engine.api import errors
from engine.runtime import Controller, SharedInformerFactory

Obj = dict[str, Any]
NAME = "kube-root-ca.crt"
DESCRIPTION_KEY = "kubernetes.io/description"
DESCRIPTION = ("Contains a CA bundle that can be used to verify the kube-apiserver when using "
               "internal endpoints such as the internal service IP or kubernetes.default.svc. "
               "No other usage is guaranteed across distributions of Kubernetes clusters.")


def simulated_ca(seed: str) -> str:
    """A PEM block of 760 deterministic bytes (the size of kind's CA's DER)."""
    blob = b"".join(hashlib.sha256(f"{seed}/{i}".encode()).digest() for i in range(24))[:760]
    text = base64.b64encode(blob).decode()
    lines = [text[i:i + 64] for i in range(0, len(text), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def cluster_ca(api: Any) -> str:
    """The cluster's CA bundle, from the API server's identity seed."""
    return simulated_ca(f"k9py-ca/{getattr(api.identity, 'seed', 0)}")


def root_ca_configmap(ca: str) -> Obj:
    """The ConfigMap ``syncNamespace`` creates."""
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": NAME, "annotations": {DESCRIPTION_KEY: DESCRIPTION}},
            "data": {"ca.crt": ca}}


class RootCACertPublisher(Controller):
    def __init__(self, client: Any, factory: SharedInformerFactory) -> None:
        super().__init__(client.clock, name="root-ca-cert-publisher")
        self.client = client
        self.ca = cluster_ca(client.api)
        namespaces = factory.informer_for("namespaces")
        configmaps = factory.informer_for("configmaps")
        self.namespaces, self.configmaps = namespaces.lister(), configmaps.lister()
        self.watch(namespaces)
        self.watch(configmaps, self._ours)

    @staticmethod
    def _ours(cm: Obj) -> str | None:
        m = cm["metadata"]
        return m.get("namespace") if m.get("name") == NAME else None

    async def reconcile(self, key: str) -> float | None:
        ns = self.namespaces.get(None, key)
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return None
        if (ns.get("status") or {}).get("phase") == "Terminating":
            return None
        cm = self.configmaps.get(key, NAME)
        try:
            if cm is None:
                self._create(key)
            else:
                self._repair(cm)
        except errors.StatusError as err:
            if err.reason not in ("AlreadyExists", "Forbidden", "NotFound", "Conflict"):
                raise
            return 1.0 if err.reason == "Conflict" else None
        return None

    def _create(self, namespace: str) -> None:
        self.client.create("configmaps", root_ca_configmap(self.ca), namespace=namespace)

    def _repair(self, cm: Obj) -> None:
        annotations = cm["metadata"].get("annotations") or {}
        # Upstream checks the data and that the description is not empty.
        if (cm.get("data") or {}) == {"ca.crt": self.ca} and annotations.get(DESCRIPTION_KEY):
            return
        new = copy.deepcopy(cm)
        new["data"] = {"ca.crt": self.ca}
        new["metadata"].setdefault("annotations", {})[DESCRIPTION_KEY] = DESCRIPTION
        self.client.update("configmaps", new)
