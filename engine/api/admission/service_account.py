"""ServiceAccount admission (upstream ``plugin/pkg/admission/serviceaccount/admission.go``).

On pod creation: ``spec.serviceAccountName`` defaults to ``default``; unless
automounting is switched off (pod first, then service account), every
container and init container without a mount at
``/var/run/secrets/kubernetes.io/serviceaccount`` mounts a projected
``kube-api-access-<suffix>`` volume (token, ``kube-root-ca.crt``, namespace);
the service account's image pull secrets are copied when the pod has none.
Mirror pods may reference neither service accounts nor secrets.

Deviation: upstream refuses a pod whose service account does not exist
(``error looking up service account <ns>/<name>: serviceaccount "<name>" not
found``). Until a ServiceAccount controller creates each namespace's
``default`` account, that check is skipped in namespaces that have no
ServiceAccounts at all; once a namespace has any, it applies as upstream.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.api.admission._util import PerRequest, forbidden, get_object, list_objects
from engine.api.admission.base import AdmissionPlugin, Attributes

if TYPE_CHECKING:
    from engine.api.server import APIServer

Obj = dict[str, Any]
_MISSING = object()

DEFAULT_SERVICE_ACCOUNT = "default"
TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
VOLUME_PREFIX = "kube-api-access-"
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
ENFORCE_MOUNTABLE_SECRETS = "kubernetes.io/enforce-mountable-secrets"
# serviceaccount.WarnOnlyBoundTokenExpirationSeconds: one hour and seven seconds.
TOKEN_EXPIRATION_SECONDS = 3607


def token_volume(name: str) -> Obj:
    """``TokenVolumeSource``: the projected service account token volume."""
    return {
        "name": name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {
                    "serviceAccountToken": {
                        "expirationSeconds": TOKEN_EXPIRATION_SECONDS,
                        "path": "token",
                    }
                },
                {
                    "configMap": {
                        "name": "kube-root-ca.crt",
                        "items": [{"key": "ca.crt", "path": "ca.crt"}],
                    }
                },
                {
                    "downwardAPI": {
                        "items": [
                            {
                                "path": "namespace",
                                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                            }
                        ]
                    }
                },
            ],
        },
    }


class ServiceAccount(AdmissionPlugin):
    name = "ServiceAccount"
    handles_by_request_kind = True

    def handles(self, attrs: Attributes) -> bool:
        return (
            attrs.info.plural == "pods"
            and not attrs.info.group
            and attrs.subresource in ("", "ephemeralcontainers")
        )

    # -- lookups ---------------------------------------------------------------------
    def __init__(self, api: APIServer) -> None:
        super().__init__(api)
        self._accounts = PerRequest()
        # Token volume names drawn so far and the last one (the admission
        # outcome memo draws the same names on a hit, see ``outcome.py``).
        self.names_drawn = 0
        self.last_drawn = ""

    def _service_account(self, attrs: Attributes, obj: Obj, name: str) -> Obj | None:
        """The pod's service account; None when the namespace has none at all
        (see the module docstring); 403 when it is missing."""
        account = self._accounts.get(attrs, name, lambda: self._lookup(attrs.namespace, name))
        if account is _MISSING:
            raise forbidden(
                attrs,
                obj,
                f"error looking up service account "
                f'{attrs.namespace}/{name}: serviceaccount "{name}" not found',
            )
        return account

    def _lookup(self, namespace: str, name: str) -> Any:
        """The account, None when the namespace has no accounts, else _MISSING
        (found by name first: the namespace is listed only when it is absent)."""
        account = get_object(self.api, "serviceaccounts", name, namespace)
        if account is not None:
            return account
        return _MISSING if list_objects(self.api, "serviceaccounts", namespace) else None

    # -- mutating ----------------------------------------------------------------------
    def admit(self, attrs: Attributes, obj: Obj) -> None:
        if attrs.operation != "CREATE" or attrs.subresource:
            return
        if _is_mirror(obj):
            return
        spec = obj.setdefault("spec", {})
        if not spec.get("serviceAccountName"):
            spec["serviceAccountName"] = DEFAULT_SERVICE_ACCOUNT
        spec["serviceAccount"] = spec["serviceAccountName"]
        account = self._service_account(attrs, obj, spec["serviceAccountName"]) or {}
        if _should_automount(account, spec):
            self._mount_token(spec)
        if not spec.get("imagePullSecrets") and account.get("imagePullSecrets"):
            spec["imagePullSecrets"] = [
                {"name": ref.get("name", "")} for ref in account["imagePullSecrets"]
            ]

    def _mount_token(self, spec: Obj) -> None:
        """``mountServiceAccountToken``."""
        volumes = spec.get("volumes") or []
        volume_name = next(
            (
                v.get("name")
                for v in volumes
                if isinstance(v, dict) and str(v.get("name", "")).startswith(VOLUME_PREFIX)
            ),
            None,
        )
        has_volume = volume_name is not None
        if volume_name is None:
            volume_name = VOLUME_PREFIX + self.api.identity.name_suffix()
            self.names_drawn += 1
            self.last_drawn = volume_name
        mount = {"name": volume_name, "readOnly": True, "mountPath": TOKEN_MOUNT_PATH}
        needed = False
        for key in ("initContainers", "containers"):
            for container in spec.get(key) or ():
                if not isinstance(container, dict):
                    continue
                mounts = container.get("volumeMounts") or []
                if any(
                    isinstance(m, dict) and m.get("mountPath") == TOKEN_MOUNT_PATH for m in mounts
                ):
                    continue
                container["volumeMounts"] = [*mounts, dict(mount)]
                needed = True
        if needed and not has_volume:
            spec["volumes"] = [*volumes, token_volume(volume_name)]

    # -- validating --------------------------------------------------------------------
    def validate(self, attrs: Attributes, obj: Obj) -> None:
        if attrs.operation == "UPDATE" and attrs.subresource == "ephemeralcontainers":
            account = self._service_account(attrs, obj, _account_name(obj))
            if account is not None and _enforces_mountable_secrets(account):
                self._check_ephemeral_secrets(attrs, obj, account)
            return
        if attrs.operation != "CREATE" or attrs.subresource:
            return
        if _is_mirror(obj):
            _check_mirror(attrs, obj)
            return
        name = _account_name(obj)
        if not name:
            raise forbidden(
                attrs,
                obj,
                f"no service account specified for pod "
                f"{attrs.namespace}/{(obj.get('metadata') or {}).get('name', '')}",
            )
        account = self._service_account(attrs, obj, name)
        if account is not None and _enforces_mountable_secrets(account):
            message = limit_secret_references(account, obj)
            if message:
                raise forbidden(attrs, obj, message)

    def _check_ephemeral_secrets(self, attrs: Attributes, obj: Obj, account: Obj) -> None:
        allowed = {ref.get("name") for ref in account.get("secrets") or ()}
        for container in (obj.get("spec") or {}).get("ephemeralContainers") or ():
            for env in container.get("env") or ():
                ref = (env.get("valueFrom") or {}).get("secretKeyRef")
                if ref and ref.get("name") not in allowed:
                    raise forbidden(
                        attrs,
                        obj,
                        (
                            f"ephemeral container {container.get('name', '')} with envVar "
                            f'{env.get("name", "")} referencing secret.secretName="{ref.get("name")}"'
                            f" is not allowed because service account {account['metadata']['name']} "
                            "does not reference that secret"
                        ),
                    )


def _account_name(pod: Obj) -> str:
    return (pod.get("spec") or {}).get("serviceAccountName") or ""


def _is_mirror(pod: Obj) -> bool:
    return MIRROR_POD_ANNOTATION in ((pod.get("metadata") or {}).get("annotations") or {})


def _should_automount(account: Obj, spec: Obj) -> bool:
    """``shouldAutomount``: the pod's choice, then the account's, else true."""
    if spec.get("automountServiceAccountToken") is not None:
        return bool(spec["automountServiceAccountToken"])
    if account.get("automountServiceAccountToken") is not None:
        return bool(account["automountServiceAccountToken"])
    return True


def _enforces_mountable_secrets(account: Obj) -> bool:
    annotations = (account.get("metadata") or {}).get("annotations") or {}
    return annotations.get(ENFORCE_MOUNTABLE_SECRETS) == "true"


def _check_mirror(attrs: Attributes, pod: Obj) -> None:
    spec = pod.get("spec") or {}
    if spec.get("serviceAccountName"):
        raise forbidden(attrs, pod, "mirror pods may not reference service accounts")
    if _pod_secret_names(pod):
        raise forbidden(attrs, pod, "mirror pods may not reference secrets")
    for volume in spec.get("volumes") or ():
        for source in (volume.get("projected") or {}).get("sources") or ():
            if source.get("serviceAccountToken") is not None:
                raise forbidden(attrs, pod, "mirror pods may not use a service account token")
            if source.get("clusterTrustBundle") is not None:
                raise forbidden(
                    attrs, pod, "mirror pods may not use ClusterTrustBundle projections"
                )


def _pod_secret_names(pod: Obj) -> list[str]:
    """``podutil.VisitPodSecretNames`` (the parts mirror pods could use)."""
    spec = pod.get("spec") or {}
    names = [ref.get("name") for ref in spec.get("imagePullSecrets") or ()]
    for volume in spec.get("volumes") or ():
        if (volume.get("secret") or {}).get("secretName"):
            names.append(volume["secret"]["secretName"])
        for source in (volume.get("projected") or {}).get("sources") or ():
            if (source.get("secret") or {}).get("name"):
                names.append(source["secret"]["name"])
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in spec.get(key) or ():
            for env_from in container.get("envFrom") or ():
                if (env_from.get("secretRef") or {}).get("name"):
                    names.append(env_from["secretRef"]["name"])
            for env in container.get("env") or ():
                ref = (env.get("valueFrom") or {}).get("secretKeyRef")
                if ref and ref.get("name"):
                    names.append(ref["name"])
    return [n for n in names if n]


def limit_secret_references(account: Obj, pod: Obj) -> str | None:
    """``limitSecretReferences``: with ``kubernetes.io/enforce-mountable-secrets``
    the pod may only use the secrets and pull secrets its account lists."""
    name = account["metadata"]["name"]
    allowed = {ref.get("name") for ref in account.get("secrets") or ()}
    spec = pod.get("spec") or {}
    for volume in spec.get("volumes") or ():
        secret = volume.get("secret")
        if secret is not None and secret.get("secretName") not in allowed:
            return (
                f'volume with secret.secretName="{secret.get("secretName", "")}" is not '
                f"allowed because service account {name} does not reference that secret"
            )
    for key, label in (("initContainers", "init container"), ("containers", "container")):
        for container in spec.get(key) or ():
            for env in container.get("env") or ():
                ref = (env.get("valueFrom") or {}).get("secretKeyRef")
                if ref and ref.get("name") not in allowed:
                    return (
                        f"{label} {container.get('name', '')} with envVar "
                        f"{env.get('name', '')} referencing secret.secretName="
                        f'"{ref.get("name", "")}" is not allowed because service account '
                        f"{name} does not reference that secret"
                    )
    pull_allowed = {ref.get("name") for ref in account.get("imagePullSecrets") or ()}
    for i, ref in enumerate(spec.get("imagePullSecrets") or ()):
        if ref.get("name") not in pull_allowed:
            return (
                f'imagePullSecrets[{i}].name="{ref.get("name", "")}" is not allowed because '
                f"service account {name} does not reference that imagePullSecret"
            )
    return None
