"""The endpoint × role table, walked through the gateway: for EVERY operation of the merged OpenAPI,
every role outside its `x-roles` is refused with 403, and every authenticated operation refuses a
request without credentials with 401. Data-driven: it covers whatever endpoints exist when it runs.

Why dummy ids and an empty JSON body are enough: FastAPI runs an endpoint's dependencies — the
`RoleGuard` of `allow(...)` among them — before it validates path, query and body parameters
(only a body that is not JSON at all is refused earlier), so the role check answers first.
"""

from __future__ import annotations

import re

import httpx
import pytest

from govkit.auth import ALL_ROLES
from govkit.dev.testing import token

DUMMY_UUID = "00000000-0000-4000-8000-000000000000"
METHODS = ("get", "post", "put", "patch", "delete")


def _fill_path(path: str, op: dict) -> str:
    params = {p["name"]: p for p in op.get("parameters", []) if p.get("in") == "path"}

    def value(m):
        schema = params.get(m.group(1), {}).get("schema", {})
        types = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
        if "integer" in types:
            return "2027"
        return DUMMY_UUID

    return re.sub(r"\{([^}]+)\}", value, path)


def operations(doc: dict):
    for path, item in sorted(doc["paths"].items()):
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


@pytest.fixture(scope="module")
def merged(stack):
    doc = httpx.get(f"{stack.gateway_url}/openapi.json", timeout=30).raise_for_status().json()
    assert doc["paths"], "the merged OpenAPI has no paths"
    return doc


@pytest.fixture(scope="module")
def tokens():
    return {role: token(role, "ORG-ROLE-WALK", sub=f"walker-{role}") for role in ALL_ROLES}


def test_every_refused_role_gets_403_and_no_token_401(stack, merged, tokens):
    failures: list[str] = []
    walked = refused = 0
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        for method, path, op in operations(merged):
            if not path.startswith("/api/v1/"):
                continue
            url = _fill_path(path, op)
            kwargs = (
                {"content": b"{}", "headers": {"content-type": "application/json"}}
                if method in ("POST", "PUT", "PATCH")
                else {"headers": {}}
            )
            authenticated = op.get("x-authenticated", op.get("security") != [])
            if authenticated:
                r = client.request(method, url, **kwargs)
                if r.status_code != 401:
                    failures.append(f"{method} {path} without token → {r.status_code} (want 401)")
            roles = op.get("x-roles")
            walked += 1
            if roles is None:
                continue
            for role in sorted(ALL_ROLES - set(roles)):
                headers = {**kwargs["headers"], "Authorization": f"Bearer {tokens[role]}"}
                r = client.request(method, url, **{**kwargs, "headers": headers})
                refused += 1
                if r.status_code != 403:
                    failures.append(f"{method} {path} as {role} → {r.status_code} (want 403): {r.text[:160]}")
                elif not r.headers["content-type"].startswith("application/problem+json"):
                    failures.append(f"{method} {path} as {role}: 403 is not problem+json")
    print(f"walked {walked} operations, {refused} refused role calls")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def test_every_service_documents_roles(merged):
    """Each service contributes operations, and each operation says who may call it."""
    missing = [
        f"{m} {p}"
        for m, p, op in operations(merged)
        if p.startswith("/api/v1/") and "x-roles" not in op and "x-authenticated" not in op
    ]
    assert not missing, "operations without role documentation:\n" + "\n".join(missing)
    for m, p, op in operations(merged):
        for code in ("401", "403") if "x-roles" in op else ():
            assert "application/problem+json" in op["responses"][code]["content"], f"{m} {p} {code}"
