"""Identities at the gateway: JWT (HS256; RS256 against a JWKS URL) and API keys; 401 otherwise."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from govkit.auth import mint_token
from govkit.dev.testing import TEST_SECRET, auth, token

SUBS = "/api/v1/webhooks/subscriptions"
KEYS = "/api/v1/admin/api-keys"


def assert_problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == status
    assert r.headers.get("x-request-id")


async def test_valid_jwt_admitted(gw):
    r = await gw.get(SUBS, headers=auth("bdb", "ORG-BDB"))
    assert r.status_code == 200, r.text
    assert r.json()["items"] == [] or isinstance(r.json()["items"], list)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Bearer not-a-jwt",
        "Bearer " + mint_token("some-other-secret-0123456789abcdef0123", sub="x", org="O", roles=["bdb"]),  # forged
        "Bearer " + mint_token(TEST_SECRET, sub="x", org="O", roles=["bdb"], ttl_s=-10),  # expired
        "Bearer " + jwt.encode({"sub": "x", "org": "O", "roles": ["bdb"]}, TEST_SECRET, algorithm="HS256"),  # no exp
        "Bearer "
        + jwt.encode(
            {"sub": "x", "org": "O", "roles": ["bdb"], "exp": int(time.time()) + 60}, "", algorithm="none"
        ),  # alg none
    ],
)
async def test_bad_jwt_refused(gw, header):
    headers = {"Authorization": header} if header else {}
    for path in (SUBS, "/api/v1/reserve/windows"):  # gateway-served and proxied
        assert_problem(await gw.get(path, headers=headers), 401)


async def test_wrong_role_is_403(gw):
    assert_problem(await gw.get(SUBS, headers=auth("unit", "ORG-U")), 403)
    assert_problem(await gw.get(KEYS, headers=auth("bdb", "ORG-BDB")), 403)


async def test_api_key_lifecycle(gw):
    admin = auth("admin", "ORG-ADMIN")
    r = await gw.post(KEYS, json={"name": "财政局系统", "org": "ORG-FIN", "roles": ["bdb"]}, headers=admin)
    assert r.status_code == 201, r.text
    created = r.json()
    key = created["key"]
    assert (
        key.startswith(created["prefix"])
        and "key" not in (await gw.get(f"{KEYS}/{created['id']}", headers=admin)).json()
    )
    # the key works on gateway-served endpoints as its roles allow
    assert (await gw.get(SUBS, headers={"X-API-Key": key})).status_code == 200
    assert_problem(await gw.get(KEYS, headers={"X-API-Key": key}), 403)
    # unknown / malformed keys
    assert_problem(await gw.get(SUBS, headers={"X-API-Key": key[:-2] + "zz"}), 401)
    assert_problem(await gw.get(SUBS, headers={"X-API-Key": "nonsense"}), 401)
    # stored hashed only
    from sqlalchemy import select

    from gateway.models import ApiKey

    async with gw.app.state.sessionmaker() as s:
        row = await s.scalar(select(ApiKey).where(ApiKey.id == created["id"]))
    assert key not in json.dumps([row.key_hash, row.prefix]) and len(row.key_hash) == 64
    # revoked → 401 (at once on this instance)
    r = await gw.delete(f"{KEYS}/{created['id']}", headers=admin)
    assert r.status_code == 200 and r.json()["revoked_at"]
    assert_problem(await gw.get(SUBS, headers={"X-API-Key": key}), 401)
    listed = (await gw.get(KEYS, headers=admin)).json()["items"]
    assert created["id"] not in [k["id"] for k in listed]


async def test_api_key_validation(gw):
    admin = auth("admin", "ORG-ADMIN")
    for body in (
        {"name": "x", "org": "O", "roles": ["wizard"]},
        {"name": "x", "org": "O", "roles": ["admin"]},
        {"name": "x", "org": "O", "roles": []},
        {"name": "x", "org": "O", "roles": ["bdb"], "expires_at": "2020-01-01T00:00:00+08:00"},
    ):
        assert_problem(await gw.post(KEYS, json=body, headers=admin), 422)


async def test_expired_api_key_refused(gw):
    from datetime import timedelta

    from sqlalchemy import update

    from gateway.models import ApiKey
    from govkit.db import utcnow

    admin = auth("admin", "ORG-ADMIN")
    created = (await gw.post(KEYS, json={"name": "x", "org": "ORG-X", "roles": ["unit"]}, headers=admin)).json()
    async with gw.app.state.sessionmaker() as s:
        await s.execute(
            update(ApiKey).where(ApiKey.id == created["id"]).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await s.commit()
    assert_problem(await gw.get(SUBS, headers={"X-API-Key": created["key"]}), 401)


async def test_api_key_becomes_internal_jwt_upstream(gw):
    """The proxied request carries a short-lived JWT for the key's principal, not the key."""
    admin = auth("admin", "ORG-ADMIN")
    created = (await gw.post(KEYS, json={"name": "oa", "org": "ORG-OA", "roles": ["unit"]}, headers=admin)).json()
    identity = await gw.app.state.authenticator.authenticate(None, created["key"])
    claims = jwt.decode(identity.upstream_auth.split()[1], TEST_SECRET, algorithms=["HS256"])
    assert claims["org"] == "ORG-OA" and claims["roles"] == ["unit"] and claims["exp"] - claims["iat"] <= 300


# -- RS256 against a JWKS URL -----------------------------------------------------------------
@pytest.fixture(scope="module")
def jwks_server():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "k1", "use": "sig", "alg": "RS256"})
    body = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield key, f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()


async def test_rs256_jwks(jwks_server, make_gateway):
    key, url = jwks_server
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"sub": "u1", "org": "ORG-BDB", "roles": ["bdb"], "iat": now, "exp": now + 600}
    async with make_gateway(jwks_url=url, jwt_algorithm="RS256") as client:
        good = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
        assert (await client.get(SUBS, headers={"Authorization": f"Bearer {good}"})).status_code == 200
        forged = jwt.encode(claims, other, algorithm="RS256", headers={"kid": "k1"})
        assert_problem(await client.get(SUBS, headers={"Authorization": f"Bearer {forged}"}), 401)
        expired = jwt.encode({**claims, "exp": now - 5}, key, algorithm="RS256", headers={"kid": "k1"})
        assert_problem(await client.get(SUBS, headers={"Authorization": f"Bearer {expired}"}), 401)
        unknown_kid = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "nope"})
        assert_problem(await client.get(SUBS, headers={"Authorization": f"Bearer {unknown_kid}"}), 401)
        hs = token("bdb", "ORG-BDB")  # an HS256 token is not accepted once JWKS is configured
        assert_problem(await client.get(SUBS, headers={"Authorization": f"Bearer {hs}"}), 401)


# -- OpenID Connect: the provider's keys found by discovery; upstream an internal token ----------
@pytest.fixture(scope="module")
def oidc_provider():
    """An identity provider's discovery document and JWKS (what the console's provider publishes)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "idp-1", "use": "sig", "alg": "RS256"})
    docs: dict[str, bytes] = {"/jwks": json.dumps({"keys": [jwk]}).encode()}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = docs.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body or b"{}")

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    issuer = f"http://127.0.0.1:{server.server_port}"
    docs["/.well-known/openid-configuration"] = json.dumps({"issuer": issuer, "jwks_uri": f"{issuer}/jwks"}).encode()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield key, issuer
    server.shutdown()


async def test_oidc_tokens_verified_by_the_providers_keys_and_replaced_upstream(oidc_provider, make_gateway):
    key, issuer = oidc_provider
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": "govpm-api",
        "sub": "u-zhang",
        "name": "张三",
        "org": "ORG-001",
        "roles": ["unit"],
        "iat": now,
        "exp": now + 120,
    }

    def signed(**kw):
        return {
            "Authorization": "Bearer " + jwt.encode({**claims, **kw}, key, algorithm="RS256", headers={"kid": "idp-1"})
        }

    settings = dict(oidc_issuer=issuer, oidc_client_id="govpm-console", oidc_audience="govpm-api")
    async with make_gateway(**settings) as client:
        assert (await client.get(SUBS, headers=signed())).status_code == 403  # known, but a unit: 403 not 401
        bdb = signed(roles=["bdb"], org="BDB")
        assert (await client.get(SUBS, headers=bdb)).status_code == 200
        assert_problem(await client.get(SUBS, headers=signed(roles=["bdb"], iss="http://elsewhere")), 401)
        assert_problem(await client.get(SUBS, headers=signed(roles=["bdb"], aud="another-api")), 401)
        assert_problem(await client.get(SUBS, headers=auth("bdb", "ORG-BDB")), 401)  # the shared secret's tokens
        config = (await client.get("/auth/config")).json()
        assert config["oidc"]["issuer"] == issuer and config["oidc"]["client_id"] == "govpm-console"
        identity = await client.app.state.authenticator.authenticate(signed()["Authorization"], None)
        upstream = jwt.decode(identity.upstream_auth.split()[1], TEST_SECRET, algorithms=["HS256"])
        assert (upstream["sub"], upstream["org"], upstream["roles"], upstream["via"]) == (
            "u-zhang",
            "ORG-001",
            ["unit"],
            "oidc",
        )
        assert upstream["exp"] <= now + 120  # never outlives the provider's token
