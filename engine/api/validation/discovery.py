"""Validation for the discovery API group (filled in progressively)."""

from __future__ import annotations

from engine.api.validation.registry import KindValidators

VALIDATORS: dict[tuple[str, str], KindValidators] = {}
