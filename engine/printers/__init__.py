"""Server-side printing: the Table columns and cells kube-apiserver sends.

kubectl's ``get`` asks for ``application/json;as=Table``; the server picks
the columns (upstream ``pkg/printers/internalversion/printers.go``, one
``printX`` function per kind) and formats every cell, so kubectl prints the
same thing for any server. Each module here holds one kind's printer.
Kinds without a printer get upstream's default (Name, Created At).
"""

from __future__ import annotations

from engine.printers.base import Printer, printer_for, register
from engine.printers.common import Column, human_duration

__all__ = ["Column", "Printer", "human_duration", "printer_for", "register"]
