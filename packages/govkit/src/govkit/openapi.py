"""Who may call what, read from the routes themselves, written into the OpenAPI document.

Every endpoint that takes `principal: allow("unit", "bdb")` carries a `RoleGuard`; this module
finds it in the route's dependency tree and documents, on each operation:

- `x-roles`: the roles admitted (sorted), or absent when any authenticated principal may call;
- `x-authenticated`: whether a credential is required at all;
- the error responses every endpoint can give (401/403/404/409/412/422/429 as relevant), each an
  `application/problem+json` body following the `Problem` schema (RFC 9457 plus `rule`,
  `article`, `basis`, `violations`).

The endpoint × role table (docs/roles.md) and the role test walk these `x-roles`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from fastapi.routing import APIRoute

from .apidoc import polish
from .auth import RoleGuard, get_principal

PROBLEM_MEDIA = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details. `rule`/`article`/`basis` name the rule that decided; "
    "`violations` lists every unmet condition or invalid field.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "rule": {"type": "string"},
        "article": {"type": "string"},
        "basis": {"type": "string"},
        "violations": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
        "required_roles": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": True,
}

ERROR_TEXT = {
    "400": "请求无效：路径含编码的分隔符（%2F、%5C）、反斜杠或 . / .. 段（网关拒绝，不转发），或请求体无法解析",
    "401": "未认证：缺少、过期或无效的凭证",
    "403": "无权操作：当前角色不在 x-roles 之内，或该角色依规则不可查看此项",
    "404": "未找到（含其他单位的项目：不泄露其存在）",
    "409": "状态或规则冲突（rule、article、violations）",
    "412": "If-Match 版本已变更",
    "413": "请求体过大",
    "422": "输入不合规（violations 逐项指出字段）",
    "429": "请求过于频繁（Retry-After）",
}


def api_routes(routes) -> list:
    """Every API route, also those of included routers (FastAPI ≥ 0.16x keeps them in
    `_IncludedRouter` wrappers, iterated with `iter_route_contexts`)."""
    iterate = getattr(fastapi_routing, "iter_route_contexts", None)
    if iterate is None:
        return [r for r in routes if isinstance(r, APIRoute)]
    return [ctx for ctx in iterate(routes) if isinstance(getattr(ctx, "original_route", ctx), APIRoute)]


def route_access(route) -> tuple[frozenset[str] | None, bool]:
    """(roles admitted or None for any authenticated principal, authentication required)."""
    guards: list[frozenset[str]] = []
    authenticated = False
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        call = dep.call
        if isinstance(call, RoleGuard):
            guards.append(call.roles)
            authenticated = True
        elif call is get_principal:
            authenticated = True
        stack.extend(dep.dependencies)
    if not guards:
        return None, authenticated
    roles = guards[0]
    for g in guards[1:]:
        roles = roles & g
    return roles, authenticated


def _problem_response(description: str, ref: str) -> dict:
    return {"description": description, "content": {PROBLEM_MEDIA: {"schema": {"$ref": ref}}}}


def annotate_openapi(schema: dict, routes, problem_name: str = "Problem") -> dict:
    """Add x-roles, security and problem responses to `schema` (a FastAPI OpenAPI dict)."""
    comps = schema.setdefault("components", {})
    comps.setdefault("schemas", {})[problem_name] = PROBLEM_SCHEMA
    comps.setdefault("securitySchemes", {}).update(
        {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        }
    )
    ref = f"#/components/schemas/{problem_name}"
    for route in api_routes(routes):
        if not route.include_in_schema:
            continue
        roles, authenticated = route_access(route)
        item = schema.get("paths", {}).get(route.path_format)
        if not item:
            continue
        for method in route.methods:
            op = item.get(method.lower())
            if op is None:
                continue
            if roles is not None:
                op["x-roles"] = sorted(roles)
            op["x-authenticated"] = authenticated
            op["security"] = [{"bearer": []}, {"apiKey": []}] if authenticated else []
            responses = op.setdefault("responses", {})
            codes = ["400", "404", "409", "422", "429"]
            if authenticated:  # a service may refuse a principal by a rule as well as by role (403)
                codes[1:1] = ["401", "403"]
            if "requestBody" in op:
                codes.append("413")
            if any(p.get("name", "").lower() == "if-match" for p in op.get("parameters", [])):
                codes.append("412")
            for code in codes:
                existing = responses.get(code) or {}
                description = existing.get("description") if code != "422" else None
                responses[code] = {**existing, **_problem_response(description or ERROR_TEXT[code], ref)}
            if roles is not None:
                note = f"\n\n**角色**：{', '.join(sorted(roles))}"
                if note not in (op.get("description") or ""):
                    op["description"] = (op.get("description") or "") + note
    return schema


def document_roles(app: FastAPI, service: str | None = None) -> None:
    """Make `app.openapi()` carry roles and problem responses, operationIds, the Idempotency-Key header
    and the 400 of an unreadable body (govkit.apidoc; call once routers are included)."""
    original = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        app.openapi_schema = polish(
            annotate_openapi(schema, app.routes), service or getattr(app.state, "service", "gateway")
        )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
