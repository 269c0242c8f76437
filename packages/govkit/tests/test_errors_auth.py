"""problem+json, validation errors, JWT principals and role/org checks — through the test app."""

import time
import uuid
from datetime import UTC, datetime

import jwt
import pytest
from sqlalchemy import func, select

from govkit.auth import CITYWIDE_ROLES, Principal, RoleGuard, TokenVerifier, mint_token
from govkit.dev.testing import TEST_SECRET, auth, token
from govkit.errors import PROBLEM, Problem

from .ktapp import KtThing

GOOD = {"name": "n", "amount": "10.00", "kind": "a"}


async def count_things(kt) -> int:
    async with kt.sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(KtThing))


def assert_problem(resp, status):
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    body = resp.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


# -- problem+json ------------------------------------------------------------------------------
async def test_rule_conflict_has_rule_article_violations_and_writes_nothing(client, kt):
    resp = await client.post(f"/things/{uuid.uuid4()}/refuse", headers=auth("unit"))
    body = assert_problem(resp, 409)
    assert body["rule"] == "R-26.1" and body["article"] == "第二十六条" and body["basis"] == "text"
    assert body["type"].endswith("R-26.1")
    assert body["violations"] == [
        {"rule": "R-26.1", "article": "第二十六条", "message": "缺少技术审核意见", "basis": "text"},
        {"rule": "X-20.1", "article": "第二十条", "message": "累计调整超限", "basis": "practice"},
    ]
    assert body["instance"].endswith("/refuse")
    assert await count_things(kt) == 0


def test_problem_body_without_rule():
    body = Problem(404, "项目不存在").body()
    assert body == {"type": "about:blank", "title": "未找到", "status": 404, "detail": "项目不存在"}


@pytest.mark.parametrize(
    "payload,fields",
    [
        ({"amount": "1.00", "kind": "a"}, {"name"}),
        ({}, {"name", "amount", "kind"}),
        ({"name": "n", "amount": 1.5, "kind": "a"}, {"amount"}),
        ({"name": "n", "amount": "1.001", "kind": "a"}, {"amount"}),
        ({"name": "n", "amount": "-1", "kind": "a"}, {"amount"}),
        ({"name": "n", "amount": "1", "kind": "zzz"}, {"kind"}),
        ({"name": ["x"], "amount": "1", "kind": "a"}, {"name"}),
        ({**GOOD, "extra": 1}, {"extra"}),
    ],
)
async def test_validation_errors_name_each_field_and_write_nothing(client, kt, payload, fields):
    resp = await client.post("/things", json=payload, headers=auth("unit"))
    body = assert_problem(resp, 422)
    assert {v["field"] for v in body["violations"]} == fields
    for f in fields:
        assert f in body["detail"]
    assert await count_things(kt) == 0
    assert await kt.events() == []


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe\x00garbage", b'{"name": "n",'])
async def test_an_unreadable_body_is_a_chinese_400_problem(client, kt, raw):
    resp = await client.post("/things", content=raw, headers={**auth("unit"), "content-type": "application/json"})
    body = assert_problem(resp, 400)
    assert "请求体" in body["detail"] and body["instance"] == "/things"
    assert await count_things(kt) == 0


async def test_validation_messages_are_chinese_and_keep_the_machine_type(client):
    resp = await client.post("/things", json={"amount": "1", "kind": "zzz", "extra": 1}, headers=auth("unit"))
    body = assert_problem(resp, 422)
    by_field = {v["field"]: v for v in body["violations"]}
    assert by_field["name"] == {"field": "name", "message": "缺少必填项", "type": "missing"}
    assert by_field["kind"]["type"] == "literal_error" and by_field["kind"]["message"].startswith("应为以下之一：")
    assert by_field["extra"]["message"] == "不允许的字段"
    body = assert_problem(await client.get("/things", params={"limit": 201}, headers=auth("bdb")), 422)
    assert body["violations"][0]["message"] == "应不大于 200"


async def test_problem_instance_is_the_public_path_behind_the_gateway(client):
    headers = {**auth("bdb"), "X-Forwarded-Prefix": "/api/v1/kt"}
    assert assert_problem(await client.get("/nope", headers=headers), 404)["instance"] == "/api/v1/kt/nope"
    headers["X-Forwarded-Prefix"] = "https://evil.example/"  # only a path under /api/ is taken
    assert assert_problem(await client.get("/nope", headers=headers), 404)["instance"] == "/nope"


async def test_starlette_standard_answers_are_chinese(client):
    body = assert_problem(await client.get("/nope"), 404)
    assert body["detail"] == "请求的路径不存在"
    resp = await client.delete("/things", headers=auth("bdb"))
    body = assert_problem(resp, 405)
    assert "Allow" in body["detail"] and "GET" in resp.headers["allow"]


async def test_query_validation_names_the_query_field(client):
    body = assert_problem(await client.get("/things", params={"limit": 201}, headers=auth("bdb")), 422)
    assert [v["field"] for v in body["violations"]] == ["limit"]
    body = assert_problem(await client.get("/things", params={"limit": 0}, headers=auth("bdb")), 422)
    assert [v["field"] for v in body["violations"]] == ["limit"]


async def test_unknown_route_is_problem_404(client):
    assert_problem(await client.get("/nope"), 404)


async def test_unhandled_error_is_problem_500_and_writes_nothing(client, kt):
    body = assert_problem(await client.post("/crash", headers=auth("unit")), 500)
    assert "boom" not in body["detail"]
    assert await count_things(kt) == 0


async def test_policy_before_2023_07_01_is_r_33_1_problem(client):
    body = assert_problem(await client.get("/policy", params={"on": "2023-06-30"}), 422)
    assert body["rule"] == "R-33.1" and body["article"] == "第三十三条"
    assert (await client.get("/policy", params={"on": "2023-07-01", "jurisdiction": "320922"})).json()[
        "code"
    ] == "盐政办发〔2023〕25号"


# -- authentication ------------------------------------------------------------------------------
def _raw(claims: dict, secret: str = TEST_SECRET, alg: str = "HS256") -> dict:
    return {"Authorization": f"Bearer {jwt.encode(claims, secret, algorithm=alg)}"}


def _claims(**over):
    now = int(time.time())
    c = {"sub": "u1", "name": "张三", "org": "ORG-A", "roles": ["unit"], "iat": now, "exp": now + 600}
    c.update(over)
    return {k: v for k, v in c.items() if v is not None}


BAD_CREDENTIALS = {
    "none": {},
    "not bearer": {"Authorization": "Basic dTpw"},
    "empty bearer": {"Authorization": "Bearer "},
    "malformed": {"Authorization": "Bearer not-a-jwt"},
    "expired": {"Authorization": f"Bearer {token('unit', ttl_s=-30)}"},
    "wrong signature": _raw(_claims(), secret="another-secret-0123456789abcdef0123456789"),
    "alg none": {"Authorization": "Bearer " + jwt.encode(_claims(), None, algorithm="none")},
    "missing roles": _raw(_claims(roles=None)),
    "roles not a list": _raw(_claims(roles="unit")),
    "missing org": _raw(_claims(org=None)),
    "missing exp": _raw(_claims(exp=None)),
    "missing sub": _raw(_claims(sub=None)),
}


@pytest.mark.parametrize("case", BAD_CREDENTIALS)
async def test_bad_credentials_are_401(client, kt, case):
    resp = await client.post("/things", json=GOOD, headers=BAD_CREDENTIALS[case])
    assert_problem(resp, 401)
    assert resp.headers.get("www-authenticate", "").lower().startswith("bearer") or case in (
        "missing roles",
        "roles not a list",
        "missing org",
    )
    assert (await client.get("/things", headers=BAD_CREDENTIALS[case])).status_code == 401
    assert await count_things(kt) == 0


async def test_wrong_role_is_403_naming_the_roles(client, kt):
    body = assert_problem(await client.post("/things", json=GOOD, headers=auth("bdb")), 403)
    assert body["required_roles"] == ["unit"]
    assert await count_things(kt) == 0
    assert (await client.post("/things", json=GOOD, headers=auth(["bdb", "unit"]))).status_code == 201


def test_verifier_directly():
    v = TokenVerifier(TEST_SECRET)
    p = v.verify(mint_token(TEST_SECRET, sub="s", org="ORG-A", roles=["unit", "expert"], name="李四"))
    assert p == Principal(sub="s", name="李四", org="ORG-A", roles=frozenset({"unit", "expert"}))
    with pytest.raises(Problem) as exc:
        TokenVerifier("x" * 40).verify(mint_token(TEST_SECRET, sub="s", org="o", roles=["unit"]))
    assert exc.value.status == 401
    # an HS256 verifier does not accept another algorithm
    with pytest.raises(Problem):
        v.verify(jwt.encode(_claims(), TEST_SECRET * 2, algorithm="HS512"))


def test_a_remembered_token_still_expires(monkeypatch):
    v = TokenVerifier(TEST_SECRET)
    token = mint_token(TEST_SECRET, sub="s", org="ORG-A", roles=["unit"], ttl_s=60)
    assert v.verify(token).org == "ORG-A"
    assert v.verify(token).org == "ORG-A"  # the second time from the cache
    # Sixty-one seconds later both the cache and the signature check say it has expired.
    later = time.time() + 61
    monkeypatch.setattr("govkit.auth.time.time", lambda: later)
    monkeypatch.setattr("jwt.api_jwt.datetime", _FrozenDatetime(later))
    with pytest.raises(Problem) as exc:
        v.verify(token)
    assert exc.value.status == 401 and "过期" in exc.value.detail
    # A forged token is never remembered as valid, however often it is presented.
    forged = mint_token("y" * 40, sub="s", org="ORG-A", roles=["unit"])
    for _ in range(2):
        with pytest.raises(Problem):
            v.verify(forged)


class _FrozenDatetime:
    """Stands in for `datetime` inside PyJWT: `now()` is a fixed instant."""

    def __init__(self, ts: float):
        self._ts = ts

    def now(self, tz=None):
        return datetime.fromtimestamp(self._ts, tz or UTC)

    def __getattr__(self, name):
        return getattr(datetime, name)


def test_role_guard_refuses_unknown_roles():
    with pytest.raises(ValueError):
        RoleGuard(["unit", "emperor"])


# -- visibility ---------------------------------------------------------------------------------
def test_can_see():
    unit = Principal("u", "u", "ORG-A", frozenset({"unit"}))
    assert unit.can_see(["ORG-A"]) and unit.can_see(["ORG-B", "ORG-A"]) and unit.can_see([None, "ORG-A"])
    assert not unit.can_see(["ORG-B"]) and not unit.can_see([]) and not unit.can_see([None])
    for role in CITYWIDE_ROLES:
        assert Principal("b", "b", "ORG-X", frozenset({role})).can_see(["ORG-B"])
    contractor = Principal("c", "c", "ORG-C", frozenset({"contractor", "expert"}))
    assert contractor.can_see(["ORG-B"])  # expert is citywide
    assert not Principal("c", "c", "ORG-C", frozenset({"contractor"})).can_see(["ORG-B"])
    with pytest.raises(Problem) as exc:
        unit.ensure_can_see(["ORG-B"])
    assert exc.value.status == 404


async def test_another_units_thing_is_404_bureau_sees_it(client):
    created = (await client.post("/things", json=GOOD, headers=auth("unit", "ORG-A"))).json()
    assert created["org"] == "ORG-A" and created["amount"] == "10.00"
    assert (await client.get(f"/things/{created['id']}", headers=auth("unit", "ORG-A"))).status_code == 200
    other = await client.get(f"/things/{created['id']}", headers=auth("unit", "ORG-B"))
    assert_problem(other, 404)
    missing = await client.get(f"/things/{uuid.uuid4()}", headers=auth("unit", "ORG-B"))
    assert other.json()["detail"] == missing.json()["detail"]  # does not reveal it exists
    assert (await client.get(f"/things/{created['id']}", headers=auth("bdb", "BDB"))).status_code == 200
