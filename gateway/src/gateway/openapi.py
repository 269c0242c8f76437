"""One OpenAPI document for the whole public API, merged from the services' own documents (each
operation keeps its `x-roles`, problem+json error responses and security from govkit.openapi)."""

from __future__ import annotations

import asyncio

import httpx

from govkit.apidoc import finish_merged
from govkit.openapi import PROBLEM_SCHEMA
from govkit.settings import SERVICES

from .routes import public_prefix

INFO = {
    "title": "GovPM 政务信息化项目全流程管理平台 API",
    "version": "1.0.0",
    "description": "盐政办发〔2023〕25号 全流程管理。所有路径经网关 /api/v1；错误为 application/problem+json"
    "（type、title、status、detail，规则判定时另有 rule、article、violations）。"
    "每个操作的 `x-roles` 列出可调用的角色，其他角色 403，无凭证 401。",
}


async def fetch_specs(settings) -> dict[str, dict | None]:
    async with httpx.AsyncClient(timeout=5) as client:

        async def fetch(name):
            try:
                r = await client.get(f"{settings.service_url(name)}/openapi.json")
                return name, r.json() if r.status_code == 200 else None
            except (httpx.HTTPError, ValueError):
                return name, None

        return dict(await asyncio.gather(*(fetch(n) for n in SERVICES)))


def merge(specs: dict[str, dict | None], own: dict | None) -> dict:
    """specs: service → its OpenAPI (None when down); own: the gateway's document."""
    doc = {
        "openapi": "3.1.0",
        "info": dict(INFO),
        "paths": {},
        "components": {
            "schemas": {},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
        },
        "security": [{"bearer": []}, {"apiKey": []}],
        "tags": [],
    }
    for name, spec in [*specs.items(), ("gateway", own)]:
        if not spec:
            continue
        doc["tags"].append({"name": name})
        for path, item in spec.get("paths", {}).items():
            public = path if name == "gateway" else public_prefix(name, path)
            for op in item.values():
                if isinstance(op, dict):
                    op.setdefault("tags", [name])
                    if "operationId" in op and not op["operationId"].startswith(f"{name}."):
                        op["operationId"] = f"{name}.{op['operationId']}"
            doc["paths"][public] = _rename_refs(item, name)
        for schema_name, schema in spec.get("components", {}).get("schemas", {}).items():
            doc["components"]["schemas"][f"{name}__{schema_name}"] = _rename_refs(schema, name)
    return finish_merged(doc, PROBLEM_SCHEMA)  # one Problem, unique titles, nothing unused


async def merged_openapi(settings, own: dict) -> dict:
    import copy

    return merge(await fetch_specs(settings), copy.deepcopy(own))


def _rename_refs(node, service):
    if isinstance(node, dict):
        return {
            k: (
                f"#/components/schemas/{service}__{v.rsplit('/', 1)[-1]}"
                if k == "$ref" and isinstance(v, str) and v.startswith("#/components/schemas/")
                else _rename_refs(v, service)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rename_refs(v, service) for v in node]
    return node
