"""kube-apiserver validation: schema (decode) checks and per-kind field validation.

Filled in by the submodules; see ``names`` for the format checks.
"""
