"""What every service's OpenAPI document says the same way, derived from the routes in one place:

- stable short operationIds `<service>.<noun…>.<verb>` (`reserve.declarations.create`) from the method
  and the path, unique across the merged document because each starts with its service;
- the `Idempotency-Key` header on every POST (govkit.middleware.IdempotencyMiddleware honours it);
- a documented 400 (an undecodable or malformed body) on every operation that takes one;
- a schema on every 2xx response (an empty one becomes "any JSON value", a file a binary string);
- `allowEmptyValue` on every optional query parameter (govkit.params.BlankQueryMiddleware takes
  `?status=` as not sent), and on every free-text path parameter the characters the gateway refuses
  (`/`, `\\`, a segment `.` or `..`: encoded separators and dot-segments are a 400, never forwarded).
"""

from __future__ import annotations

import re
from typing import Any

METHOD_VERBS = {"put": "update", "patch": "patch", "delete": "delete"}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "幂等键：24 小时内以相同的键和请求体重发，返回首次的应答且不再改变任何数据"
    "（应答头 idempotent-replayed: true）；同一键用于不同请求体 → 422；首次请求仍在处理 → 409。"
    "每个新请求用一个新的唯一值（建议 UUID）；空值视同未发送。",
    "schema": {
        "type": "string",
        "title": "Idempotency-Key",
        "maxLength": 255,
        "examples": ["3f2c9a1e-7b4d-4c55-9e61-0d2f8a6b1c10"],
    },
}
BAD_BODY = "请求体无法解析：不是 UTF-8 编码的有效 JSON（或表单）"
# A path parameter the gateway forwards: no slash, no backslash, not a dot-segment ("." or "..").
PATH_SEGMENT = r"^(?:[^/\\.][^/\\]*|\.[^/\\.][^/\\]*|\.\.[^/\\]+)$"
BINARY_MEDIA = (
    "application/octet-stream",
    "application/pdf",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


def _snake(segment: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", segment).strip("_").lower()


def _static_segments(path: str) -> tuple[list[str], bool]:
    """(static words of the path, ':verb' suffixes split off; whether it ends in a parameter)."""
    words: list[str] = []
    parts = [p for p in path.strip("/").split("/") if p]
    for part in parts:
        if part.startswith("{"):
            continue
        head, _, custom = part.partition(":")
        words.append(_snake(head))
        if custom:
            words.append(_snake(custom))
    ends_in_param = bool(parts) and parts[-1].startswith("{")
    return [w for w in words if w], ends_in_param


def operation_id(service: str, method: str, path: str) -> str:
    """`POST /declarations` → `reserve.declarations.create`; `GET /declarations` → `….list`;
    `GET /declarations/{id}` → `….get`; `POST /declarations/{id}/submit` → `reserve.declarations.submit`;
    `POST /clocks:scan` → `….clocks.scan`; PUT → `update`, DELETE → `delete`. A GET of a singular
    resource (`/plans/current`, `/projects/{id}/ledger`) is `get`, of a plural one `list`."""
    method = method.lower()
    words, ends_in_param = _static_segments(path)
    if path.startswith("/api/v1/"):  # the gateway's own routes carry the public prefix
        words = words[2:]
    custom = ":" in path.rsplit("/", 1)[-1]
    last = words[-1] if words else "root"
    if method == "get":
        verb = "get" if ends_in_param or not last.endswith("s") or last.endswith("ss") else "list"
    elif method == "post":
        if ends_in_param or custom or not (last.endswith("s") and not last.endswith("ss")):
            verb = "" if not ends_in_param else "post"  # an action: its own word is the verb
        else:
            verb = "create"
    else:
        verb = METHOD_VERBS.get(method, method)
    return ".".join([service, *(words or ["root"]), *([verb] if verb else [])])


def polish(schema: dict, service: str) -> dict:
    """Rewrite `schema` (a service's or the gateway's OpenAPI dict) in place; see the module doc."""
    seen: dict[str, str] = {}
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            oid = operation_id(service, method, path)
            if oid in seen:  # two routes that derive the same id: keep both, told apart by the method
                oid = f"{oid}_{method}"
            seen[oid] = path
            op["operationId"] = oid
            if method == "post":
                params = op.setdefault("parameters", [])
                if not any(p.get("name", "").lower() == "idempotency-key" for p in params):
                    params.append(dict(IDEMPOTENCY_KEY))
            for param in op.get("parameters", []):
                _describe_parameter(param)
            if "requestBody" in op:
                op["responses"].setdefault("400", {"description": BAD_BODY})
                op["responses"]["400"].setdefault(
                    "content", {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
                )
            for code, response in op["responses"].items():
                if code.startswith("2"):
                    _schema_for_success(response, code)
    return schema


def _describe_parameter(param: dict[str, Any]) -> None:
    schema = param.get("schema") or {}
    if param.get("in") == "query" and not param.get("required"):
        param["allowEmptyValue"] = True  # `?name=` counts as not sent (govkit.params)
    free_text = schema.get("type") == "string" and not any(k in schema for k in ("pattern", "format", "enum", "const"))
    if param.get("in") == "path" and free_text:
        param["schema"] = {**schema, "pattern": PATH_SEGMENT}


def _schema_for_success(response: dict[str, Any], code: str) -> None:
    content = response.get("content")
    if code in ("204", "304") or content is None:
        if code not in ("204", "304") and content is None:
            response["content"] = {"application/json": {"schema": {"description": "任意 JSON 值"}}}
        return
    for media, body in content.items():
        schema = body.get("schema")
        if media in BINARY_MEDIA or media.startswith(("image/", "text/csv")):
            if not schema or schema == {}:
                body["schema"] = {"type": "string", "format": "binary"}
        elif not schema:
            body["schema"] = {"description": "任意 JSON 值"}


REF = "#/components/schemas/"


def _walk_refs(node, rename: dict[str, str] | None = None, found: set[str] | None = None):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF):
            name = ref[len(REF) :]
            if rename and name in rename:
                node["$ref"] = REF + rename[name]
            if found is not None:
                found.add(rename.get(name, name) if rename else name)
        for v in node.values():
            _walk_refs(v, rename, found)
    elif isinstance(node, list):
        for v in node:
            _walk_refs(v, rename, found)


def _pascal(word: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9A-Za-z]+", word) if p)


def finish_merged(doc: dict, problem_schema: dict) -> dict:
    """The merged document (components named `<service>__<Name>`) made whole for generated clients:
    one shared `Problem`, no component nothing refers to, and a title of its own on every component
    (two services' `DecisionIn` become `ReserveDecisionIn` and `ApprovalDecisionIn`)."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    rename = {name: "Problem" for name in schemas if name.endswith("__Problem")}
    for name in rename:
        schemas.pop(name)
    schemas["Problem"] = dict(problem_schema)
    _walk_refs(doc, rename)
    # Keep what the paths reach (through other components too).
    reached: set[str] = set()
    _walk_refs(doc.get("paths", {}), found=reached)
    frontier = set(reached)
    while frontier:
        more: set[str] = set()
        for name in frontier:
            _walk_refs(schemas.get(name, {}), found=more)
        frontier = more - reached
        reached |= more
    for name in [n for n in schemas if n not in reached]:
        schemas.pop(name)
    titles: dict[str, list[str]] = {}
    for name, schema in schemas.items():
        titles.setdefault(schema.get("title") or name.split("__")[-1], []).append(name)
    for title, names in titles.items():
        for name in names:
            service, _, local = name.rpartition("__")
            unique = title if len(names) == 1 else _pascal(service) + _pascal(title)
            schemas[name] = {**schemas[name], "title": unique}
    return doc
