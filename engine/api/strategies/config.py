"""ConfigMaps and Secrets (upstream ``pkg/registry/core/configmap/strategy.go``
and ``pkg/registry/core/secret/strategy.go``).

Immutable objects refuse changes to their data (``ValidateConfigMapUpdate``,
``ValidateSecretUpdate``). That check belongs to :mod:`engine.api.validation`;
the fallback here applies only while that package provides no update
validation, so the two never both report it.
"""

from __future__ import annotations

from typing import Any

from engine.api import errors
from engine.api.strategies.base import FieldErrors, Strategy, validation_available

Obj = dict[str, Any]

IMMUTABLE_MESSAGE = "field is immutable when `immutable` is set"


def immutable_errors(new: Obj, old: Obj, data_fields: tuple[str, ...]) -> FieldErrors:
    """The ``immutable`` part of ``Validate{ConfigMap,Secret}Update``."""
    if old.get("immutable") is not True:
        return []
    errs = []
    if new.get("immutable") is not True:
        errs.append(errors.forbidden("immutable", IMMUTABLE_MESSAGE))
    for field in data_fields:
        if (new.get(field) or {}) != (old.get(field) or {}):
            errs.append(errors.forbidden(field, IMMUTABLE_MESSAGE))
    return errs


class ConfigMapStrategy(Strategy):
    """``strategy`` of configmap."""

    data_fields: tuple[str, ...] = ("data", "binaryData")

    def validate_update(self, new: Obj, old: Obj) -> FieldErrors:
        errs = super().validate_update(new, old)
        if not validation_available():
            errs = immutable_errors(new, old, self.data_fields) + errs
        return errs


class SecretStrategy(ConfigMapStrategy):
    """``strategy`` of secret (``stringData`` was merged into ``data`` by defaulting)."""

    data_fields = ("data",)


STRATEGIES = {
    ("", "configmaps"): ConfigMapStrategy,
    ("", "secrets"): SecretStrategy,
}
