"""Issue 15 holes in the kernel: unknown roles, JWKS (async, RS256 and ES256, iss/aud), and
placeholder secrets refused outside development."""

import asyncio
import time

import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from govkit.auth import TokenVerifier, mint_token
from govkit.dev.stack import free_port
from govkit.dev.testing import TEST_SECRET, auth
from govkit.errors import Problem
from govkit.settings import DEV_CALLBACK_SECRET, DEV_SECRET, ServiceSettings

GOOD = {"name": "n", "amount": "10.00", "kind": "a"}


# -- unknown roles -------------------------------------------------------------------------------
async def test_a_token_with_a_role_the_system_does_not_define_is_refused(client):
    for roles in (["wizard"], ["unit", "wizard"]):
        r = await client.get("/things", headers=auth(roles, "ORG-W"))
        assert r.status_code == 401, r.text
        assert "wizard" in r.json()["detail"]
        r = await client.get("/metrics", headers=auth(roles, "ORG-W"))  # no role opens anything
    assert (await client.get("/things", headers=auth(["unit"], "ORG-W"))).status_code == 200


def test_unknown_roles_refused_by_the_verifier_too():
    v = TokenVerifier(TEST_SECRET)
    with pytest.raises(Problem) as exc:
        v.verify(mint_token(TEST_SECRET, sub="s", org="o", roles=["wizard"]))
    assert exc.value.status == 401
    assert v.verify(mint_token(TEST_SECRET, sub="s", org="o", roles=["service"])).roles == {"service"}


# -- JWKS: a small identity provider serving its keys ----------------------------------------------
class FakeIdP:
    def __init__(self):
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())
        self.fetches = 0
        self.port = free_port()

    def jwks(self) -> dict:
        rsa_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.rsa.public_key(), as_dict=True)
        ec_jwk = jwt.algorithms.ECAlgorithm.to_jwk(self.ec.public_key(), as_dict=True)
        return {
            "keys": [
                {**rsa_jwk, "kid": "rsa-1", "use": "sig", "alg": "RS256"},
                {**ec_jwk, "kid": "ec-1", "use": "sig", "alg": "ES256"},
            ]
        }

    async def __aenter__(self):
        async def handler(_request):
            self.fetches += 1
            return web.json_response(self.jwks())

        app = web.Application()
        app.router.add_get("/jwks.json", handler)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc):
        await self.runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/jwks.json"

    def token(self, kind="rsa", kid=None, **claims) -> str:
        now = int(time.time())
        body = {
            "sub": "u1",
            "org": "ORG-J",
            "roles": ["unit"],
            "iat": now,
            "exp": now + 600,
            "iss": "https://idp.example",
            "aud": "govpm",
            **claims,
        }
        body = {k: v for k, v in body.items() if v is not None}
        key, alg = (self.rsa, "RS256") if kind == "rsa" else (self.ec, "ES256")
        return jwt.encode(body, key, algorithm=alg, headers={"kid": kid or f"{kind}-1"})


async def test_jwks_rs256_and_es256_with_issuer_and_audience():
    async with FakeIdP() as idp:
        v = TokenVerifier("unused", jwks_url=idp.url, audience="govpm", issuer="https://idp.example")
        assert (await v.averify(idp.token("rsa"))).org == "ORG-J"
        assert (await v.averify(idp.token("ec", sub="u2"))).sub == "u2"
        assert idp.fetches == 1  # cached
        bad = [
            idp.token("rsa", iss="https://evil.example"),
            idp.token("rsa", aud="other"),
            idp.token("ec", kid="rsa-1"),  # an ES256 token presented under the RSA key
            idp.token("rsa", kid="nope"),
            jwt.encode(
                {
                    "sub": "x",
                    "org": "o",
                    "roles": ["unit"],
                    "exp": int(time.time()) + 60,
                    "iss": "https://idp.example",
                    "aud": "govpm",
                },
                "k" * 40,
                algorithm="HS256",
                headers={"kid": "rsa-1"},
            ),
        ]
        for token in bad:
            with pytest.raises(Problem) as exc:
                await v.averify(token)
            assert exc.value.status == 401
        no_iss = idp.token("rsa", sub="u3")
        claims = jwt.decode(no_iss, options={"verify_signature": False})
        claims.pop("iss")
        with pytest.raises(Problem):  # iss is required once an issuer is configured
            await v.averify(jwt.encode(claims, idp.rsa, algorithm="RS256", headers={"kid": "rsa-1"}))


async def test_jwks_fetch_does_not_block_the_event_loop():
    """While the IdP is slow the loop keeps serving (the old client blocked it on urllib)."""
    slow_started, loop_served = asyncio.Event(), asyncio.Event()

    async def slow(_request):  # answers only once the loop has served other work meanwhile
        slow_started.set()
        await asyncio.wait_for(loop_served.wait(), timeout=10)
        return web.json_response(idp.jwks())

    async with FakeIdP() as idp:
        app = web.Application()
        app.router.add_get("/slow.json", slow)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            v = TokenVerifier("unused", jwks_url=f"http://127.0.0.1:{port}/slow.json")
            ticks = 0

            async def ticker():
                nonlocal ticks
                await slow_started.wait()
                while ticks < 10:
                    ticks += 1
                    await asyncio.sleep(0)  # yield to the loop
                loop_served.set()

            t = asyncio.create_task(ticker())
            principal = await v.averify(idp.token("ec", aud=None, iss=None))
            t.cancel()
            assert principal.sub == "u1"
            assert ticks >= 10  # the loop ran while the keys were being fetched
        finally:
            await runner.cleanup()


async def test_service_endpoints_verify_against_jwks(kt_url):
    import httpx

    from .conftest import kt_settings
    from .ktapp import publisher_app

    async with FakeIdP() as idp:
        app = publisher_app(
            kt_settings(kt_url, jwks_url=idp.url, jwt_audience="govpm", jwt_issuer="https://idp.example")
        )
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c,
        ):
            ok = await c.get("/things", headers={"Authorization": f"Bearer {idp.token('ec')}"})
            assert ok.status_code == 200, ok.text
            hs = await c.get("/things", headers=auth("unit", "ORG-J"))  # HS256 no longer accepted
            assert hs.status_code == 401


# -- placeholder secrets ---------------------------------------------------------------------------
STRONG = "Zq3v9Jw1xT8bK2mN7pR4sL6yH0cF5gD9aE3uQ8wV"


@pytest.mark.parametrize(
    "env, value, setting",
    [
        (
            {"GOVPM_JWT_SECRET": "change-me-to-64-random-characters-0123456789abcdef0123456789abcdef"},
            None,
            "GOVPM_JWT_SECRET",
        ),
        ({"GOVPM_JWT_SECRET": DEV_SECRET}, None, "GOVPM_JWT_SECRET"),
        ({"GOVPM_JWT_SECRET": "a" * 31}, None, "GOVPM_JWT_SECRET"),
        (
            {
                "GOVPM_JWT_SECRET": STRONG,
                "GOVPM_KT_DATABASE_URL": "postgresql+asyncpg://govpm_kt:change-me@postgres:5432/govpm_kt",
            },
            None,
            "GOVPM_KT_DATABASE_URL",
        ),
    ],
)
def test_production_refuses_placeholder_secrets_naming_the_setting(monkeypatch, env, value, setting):
    from .ktapp import KtSettings

    monkeypatch.setenv("GOVPM_ENV", "prod")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ValueError) as exc:
        KtSettings()
    assert setting in str(exc.value)


def test_production_starts_with_real_secrets(monkeypatch):
    from .ktapp import KtSettings

    monkeypatch.setenv("GOVPM_ENV", "prod")
    monkeypatch.setenv("GOVPM_JWT_SECRET", "a" * 32)  # 32 bytes: the boundary is accepted
    assert KtSettings().env == "prod"
    monkeypatch.setenv("GOVPM_JWT_SECRET", STRONG)
    assert KtSettings().jwt_secret == STRONG
    monkeypatch.setenv("GOVPM_ENV", "dev")  # development keeps its defaults
    monkeypatch.delenv("GOVPM_JWT_SECRET")
    assert KtSettings().jwt_secret == DEV_SECRET


def test_approval_callback_placeholder_refused(monkeypatch):
    from approval.config import Settings

    monkeypatch.setenv("GOVPM_ENV", "prod")
    monkeypatch.setenv("GOVPM_JWT_SECRET", STRONG)
    for bad in ("change-me-provincial-platform-hmac-secret", DEV_CALLBACK_SECRET):
        monkeypatch.setenv("GOVPM_PROVINCIAL_CALLBACK_SECRET", bad)
        with pytest.raises(ValueError) as exc:
            Settings()
        assert "GOVPM_PROVINCIAL_CALLBACK_SECRET" in str(exc.value)


def test_base_settings_name_the_env_var():
    from govkit.settings import env_name

    assert env_name(ServiceSettings, "jwt_secret") == "GOVPM_JWT_SECRET"


# -- topics: partitions, replication and min ISR are settings ------------------------------------
async def test_ensure_topics_uses_the_configured_replication(monkeypatch):
    import aiokafka.admin

    from govkit.kafka import ensure_topics, topic_settings

    created = []

    class Admin:
        def __init__(self, **kw):
            pass

        async def start(self):
            pass

        async def close(self):
            pass

        async def list_topics(self):
            return ["govpm.old"]

        async def create_topics(self, topics):
            created.extend(topics)

    monkeypatch.setattr(aiokafka.admin, "AIOKafkaAdminClient", Admin)
    from .ktapp import KtSettings

    monkeypatch.setenv("GOVPM_KAFKA_REPLICATION_FACTOR", "3")
    monkeypatch.setenv("GOVPM_KAFKA_MIN_INSYNC_REPLICAS", "2")
    monkeypatch.setenv("GOVPM_KAFKA_PARTITIONS", "6")
    s = KtSettings(env="test")
    assert await ensure_topics("x:9092", ["govpm.old", "govpm.new"], **topic_settings(s)) == ["govpm.new"]
    (topic,) = created
    assert (topic.name, topic.num_partitions, topic.replication_factor) == ("govpm.new", 6, 3)
    assert topic.topic_configs == {"min.insync.replicas": "2"}
    created.clear()
    await ensure_topics("x:9092", ["govpm.dev"])  # the single local broker: 3 partitions, 1 copy
    assert (created[0].num_partitions, created[0].replication_factor, created[0].topic_configs) == (3, 1, {})
    with pytest.raises(ValueError):
        await ensure_topics("x:9092", ["govpm.bad"], replication_factor=1, min_insync_replicas=2)


# -- one migration runner per database --------------------------------------------------------------
async def test_concurrent_migrations_of_one_database_take_turns():
    """Two Jobs (or replicas migrating at start) at once: the advisory lock makes the second wait and
    find the schema at head, instead of both creating the same tables."""
    import uuid

    from govkit.db import make_engine
    from govkit.dev.testing import TEST_PG, drop_databases, fresh_database_url
    from govkit.migrations import upgrade_head

    if not TEST_PG:
        pytest.skip("the lock is PostgreSQL's (SQLite has one writer and no concurrent runner)")
    import reserve.main

    name = f"govpm_test_miglock_{uuid.uuid4().hex[:6]}"
    url = await fresh_database_url(name)
    engines = [make_engine(url), make_engine(url)]
    try:
        await asyncio.gather(*(upgrade_head(e, reserve.main.SERVICE_ROOT) for e in engines))
        from sqlalchemy import text

        async with engines[0].connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert len(versions) == 1
    finally:
        for e in engines:
            await e.dispose()
        await drop_databases([name])
