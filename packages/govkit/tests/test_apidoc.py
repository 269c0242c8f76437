"""The OpenAPI habits every service shares (govkit.apidoc) and the query parameters read the same way
everywhere (govkit.params), through the test app."""

import pytest

from govkit.apidoc import operation_id
from govkit.dev.testing import auth

from .test_errors_auth import assert_problem


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/declarations", "reserve.declarations.create"),
        ("GET", "/declarations", "reserve.declarations.list"),
        ("GET", "/declarations/{project_id}", "reserve.declarations.get"),
        ("POST", "/declarations/{project_id}/submit", "reserve.declarations.submit"),
        ("POST", "/declarations:check", "reserve.declarations.check"),
        (
            "POST",
            "/declarations/{id}/special-addition/decisions",
            "reserve.declarations.special_addition.decisions.create",
        ),
        ("GET", "/plans/current", "reserve.plans.current.get"),
        ("PUT", "/orgs/{org}", "reserve.orgs.update"),
        ("DELETE", "/api/v1/webhooks/subscriptions/{id}", "gateway.webhooks.subscriptions.delete"),
        ("GET", "/ledger.xlsx", "reserve.ledger_xlsx.get"),
        ("GET", "/progress", "reserve.progress.get"),
    ],
)
def test_operation_ids_are_short_and_derived_from_method_and_path(method, path, expected):
    service = expected.split(".")[0]
    assert operation_id(service, method, path) == expected


async def test_the_document_carries_ids_idempotency_key_and_the_400(client):
    doc = (await client.get("/openapi.json")).json()
    ops = [(m, p, op) for p, item in doc["paths"].items() for m, op in item.items()]
    ids = [op["operationId"] for _, _, op in ops]
    assert len(ids) == len(set(ids)) and all(i.startswith("kt.") for i in ids)
    posts = [op for m, _, op in ops if m == "post"]
    assert posts
    for op in posts:
        names = [p["name"] for p in op.get("parameters", []) if p["in"] == "header"]
        assert names.count("Idempotency-Key") == 1, op["operationId"]
    create = doc["paths"]["/things"]["post"]
    assert create["operationId"].endswith(".things.create")
    assert create["responses"]["400"]["content"]["application/problem+json"]
    for _, _, op in ops:
        for code, response in op["responses"].items():
            if code.startswith("2") and code != "204":
                assert all(body.get("schema") for body in response["content"].values()), op["operationId"]


async def test_as_of_is_a_date_written_as_a_date(client):
    assert (await client.get("/today", params={"as_of": "2026-12-03"})).json()["as_of"] == "2026-12-03"
    for bad in ("0", "1700000000", "20261203", "2026-13-01"):
        body = assert_problem(await client.get("/today", params={"as_of": bad}), 422)
        assert body["violations"][0]["field"] == "as_of"


async def test_an_empty_query_value_counts_as_not_sent(client):
    assert (await client.get("/today?status=&as_of=")).json() == {"as_of": "None", "status": None}
    assert (await client.get("/today?status=open&as_of=")).json()["status"] == "open"
    assert_problem(await client.get("/today?status=nope"), 422)
    body = (await client.get("/things?limit=&cursor=", headers=auth("bdb"))).json()
    assert body["items"] == [] and body["next_cursor"] is None


def test_a_422_keeps_a_validators_own_chinese_message_and_translates_pydantics():
    """422 messages are Chinese: pydantic's own kinds are translated; a validator's custom error type
    (PydanticCustomError) keeps the message it was raised with, which names the rule's article."""
    from govkit.errors import message_of

    own = {"type": "uri_retired", "msg": "uri（自由填写的文件地址）已停用：申报材料须为已存储的文件（第十条）"}
    assert message_of(own) == own["msg"]
    assert message_of({"type": "some_unknown_kind", "msg": "Input should be nice"}) == "取值无效"
    assert (
        message_of({"type": "string_too_short", "msg": "String should…", "ctx": {"min_length": 2}}) == "至少 2 个字符"
    )


def test_optional_query_parameters_may_be_empty_and_path_parameters_say_what_the_gateway_refuses():
    from govkit.apidoc import PATH_SEGMENT, _describe_parameter

    optional = {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}}
    required = {"name": "year", "in": "query", "required": True, "schema": {"type": "integer"}}
    doc_id = {"name": "doc_id", "in": "path", "required": True, "schema": {"type": "string"}}
    uuid_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    for p in (optional, required, doc_id, uuid_id):
        _describe_parameter(p)
    assert optional["allowEmptyValue"] is True and "allowEmptyValue" not in required
    assert doc_id["schema"]["pattern"] == PATH_SEGMENT and "pattern" not in uuid_id["schema"]
    import re

    assert all(re.match(PATH_SEGMENT, v) for v in ("abc-123", ".x", "..x", "...", "x.."))
    assert not any(re.match(PATH_SEGMENT, v) for v in ("..", ".", "a/b", "a\\b", ""))
