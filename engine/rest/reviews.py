"""Self-reviews answered from the authorizer: ``kubectl auth can-i`` and
``kubectl auth whoami``.

Upstream: ``pkg/registry/authorization/selfsubjectaccessreview/rest.go``
(the review's attributes, for the requesting user, put to the authorizer),
``selfsubjectrulesreview`` and ``pkg/registry/authentication/selfsubjectreview``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from engine.rest import auth, handlers
from engine.rest.context import Ctx
from engine.rest.respond import json_body

Obj = dict[str, Any]


def _allowed(ctx: Ctx, spec: Obj) -> bool:
    attrs = spec.get("resourceAttributes")
    if attrs is not None:
        return auth.decide(ctx.server.api, ctx.user, attrs.get("verb", ""),
                           attrs.get("group", ""), attrs.get("resource", ""),
                           attrs.get("namespace", ""), attrs.get("name", ""),
                           attrs.get("subresource", ""))
    non = spec.get("nonResourceAttributes") or {}
    return "system:masters" in ctx.user.groups or non.get("verb") == "get"


def _rules(ctx: Ctx) -> Obj:
    admin = "system:masters" in ctx.user.groups
    verbs = ["*"] if admin else list(auth.READ_VERBS)
    return {"resourceRules": [{"verbs": verbs, "apiGroups": ["*"], "resources": ["*"]}],
            "nonResourceRules": [{"verbs": ["*"] if admin else ["get"],
                                  "nonResourceURLs": ["*"]}],
            "incomplete": False}


async def handle(ctx: Ctx) -> web.Response:
    body = await handlers.read_object_any(ctx)
    info = ctx.info
    out: Obj = {"kind": info.kind, "apiVersion": info.api_version,
                "metadata": {"creationTimestamp": None}}
    if info.plural == "selfsubjectaccessreviews":
        out["spec"] = body.get("spec") or {}
        out["status"] = {"allowed": _allowed(ctx, out["spec"])}
    elif info.plural == "selfsubjectrulesreviews":
        out["spec"] = body.get("spec") or {}
        out["status"] = _rules(ctx)
    else:
        out["status"] = {"userInfo": {"username": ctx.user.name,
                                      "groups": list(ctx.user.groups)}}
    return json_body(out, status=201)
