"""Annotations, reasons and messages of the PV controller and provisioner.

Upstream: ``pkg/controller/volume/persistentvolume/pv_controller.go`` and
``util/util.go`` (annotation names), ``pkg/controller/volume/events``
(reasons) and sig-storage-lib-external-provisioner ``controller.go`` (the
external provisioner's events).
"""

from __future__ import annotations

BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
LOCAL_PATH_NODE = "local.path.provisioner/selected-node"
NO_PROVISIONER = "kubernetes.io/no-provisioner"
# The provisioners that run in the simulated cluster: kind's local-path
# provisioner and minikube's storage-provisioner. Claims of other classes
# wait for their external provisioner, as they would on kind.
SIMULATED_PROVISIONERS = ("rancher.io/local-path", "k8s.io/minikube-hostpath")
YES = "yes"

# Event reasons (pkg/controller/volume/events).
FAILED_BINDING = "FailedBinding"
WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer"
EXTERNAL_PROVISIONING = "ExternalProvisioning"
PROVISIONING = "Provisioning"
PROVISIONING_SUCCEEDED = "ProvisioningSucceeded"
PROVISIONING_FAILED = "ProvisioningFailed"
CLAIM_LOST = "ClaimLost"
VOLUME_FAILED_DELETE = "VolumeFailedDelete"
VOLUME_FAILED_RECYCLE = "VolumeFailedRecycle"
VOLUME_RECYCLED = "VolumeRecycled"

MSG_WAIT_FIRST_CONSUMER = "waiting for first consumer to be created before binding"
MSG_NO_CLASS = "no persistent volumes available for this claim and no storage class is set"
MSG_CLAIM_LOST = "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!"
MSG_CLAIM_LOST_VOLUME = "Volume has lost reference to its claim. Data on the volume is lost!"


def msg_external(provisioner: str) -> str:
    return (f"Waiting for a volume to be created either by the external provisioner "
            f"'{provisioner}' or manually by the system administrator. If volume creation is "
            f"delayed, please verify that the provisioner is running and correctly registered.")


def msg_provisioning(namespace: str, name: str) -> str:
    return f'External provisioner is provisioning volume for claim "{namespace}/{name}"'


def msg_provisioned(volume: str) -> str:
    return f"Successfully provisioned volume {volume}"
