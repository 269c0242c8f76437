"""JWT principals and role/org checks, enforced by every service itself (never only at the gateway)."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated

import jwt
from fastapi import Depends, Request

from .errors import Problem

ALL_ROLES = frozenset(
    {
        "unit",
        "bdb",
        "bdc",
        "finance",
        "approval_bureau",
        "ndrc",
        "leading_group",
        "cac",
        "crypto",
        "secrecy",
        "police",
        "expert",
        "supervisor",
        "contractor",
        "big_data_group",
        "third_party",
        "admin",
        "competent_dept",
        "archives",
    }
)
# Roles that act on every project of the city (supervising bureaus); anyone else sees only
# projects whose orgs include their own org (API.md, Identity).
CITYWIDE_ROLES = frozenset(
    {
        "bdb",
        "bdc",
        "finance",
        "approval_bureau",
        "ndrc",
        "leading_group",
        "cac",
        "crypto",
        "secrecy",
        "police",
        "expert",
        "third_party",
        "admin",
        "service",
        "competent_dept",
        "archives",
    }
)
SERVICE_ROLE = "service"


@dataclass(frozen=True)
class Principal:
    sub: str
    name: str
    org: str
    roles: frozenset[str] = field(default_factory=frozenset)
    jurisdiction: str = "city"  # 市本级, or a county code: the token's `jurisdiction` claim

    @property
    def citywide(self) -> bool:
        return bool(self.roles & CITYWIDE_ROLES)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def can_see(self, orgs: Iterable[str | None]) -> bool:
        return self.citywide or self.org in set(orgs)

    def ensure_can_see(self, orgs: Iterable[str | None], what: str = "项目") -> None:
        """Another unit's project is a 404: never reveal it exists."""
        if not self.can_see(orgs):
            raise Problem(404, f"{what}不存在")


def mint_token(
    secret: str,
    *,
    sub: str,
    org: str,
    roles: Iterable[str],
    name: str | None = None,
    ttl_s: int = 12 * 3600,
    algorithm: str = "HS256",
    extra: dict | None = None,
) -> str:
    now = int(time.time())
    claims = {
        "sub": sub,
        "name": name or sub,
        "org": org,
        "roles": sorted(set(roles)),
        "iat": now,
        "exp": now + ttl_s,
        **(extra or {}),
    }
    return jwt.encode(claims, secret, algorithm=algorithm)


def service_token(secret: str, service: str) -> str:
    return mint_token(secret, sub=f"service:{service}", org="govpm", roles=[SERVICE_ROLE], name=service, ttl_s=3600)


JWKS_ALGORITHMS = ("RS256", "ES256")


def jwk_alg(jwk: jwt.PyJWK) -> str | None:
    """The algorithm a JWK is for: its `alg`, else what its key type implies."""
    data = getattr(jwk, "_jwk_data", {}) or {}
    if data.get("alg"):
        return data["alg"]
    return {"RSA": "RS256", "EC": "ES256"}.get(data.get("kty"))


class JwksCache:
    """The identity provider's signing keys, fetched asynchronously (never on the event loop's
    thread with a blocking client) and cached `lifespan` seconds; an unknown `kid` refetches at
    most every `min_refresh_s` (key rotation without letting garbage tokens hammer the IdP)."""

    def __init__(self, url: str, lifespan: float = 300.0, min_refresh_s: float = 30.0, timeout: float = 5.0):
        self.url, self.lifespan, self.min_refresh_s, self.timeout = url, lifespan, min_refresh_s, timeout
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def _fetch(self) -> None:
        import httpx

        async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
            resp = await client.get(self.url)
            resp.raise_for_status()
            data = resp.json()
        keys: dict[str | None, jwt.PyJWK] = {}
        for jwk in data.get("keys", []):
            if jwk.get("use", "sig") != "sig":
                continue
            try:
                keys[jwk.get("kid")] = jwt.PyJWK(jwk)
            except jwt.PyJWTError:  # a key type we do not verify with: skip it
                continue
        self._keys, self._fetched_at = keys, time.monotonic()

    async def key(self, kid: str | None) -> jwt.PyJWK:
        now = time.monotonic()
        stale = now - self._fetched_at > self.lifespan
        missing = kid not in self._keys and now - self._fetched_at > self.min_refresh_s
        if stale or missing:
            async with self._lock:
                if time.monotonic() - self._fetched_at > min(self.lifespan, self.min_refresh_s) or not self._keys:
                    try:
                        await self._fetch()
                    except Exception as exc:  # noqa: BLE001 - IdP unreachable: keep the keys we have
                        if not self._keys:
                            raise jwt.PyJWKClientError(f"JWKS unavailable: {type(exc).__name__}") from None
        found = self._keys.get(kid)
        if found is None and kid is None and len(self._keys) == 1:
            found = next(iter(self._keys.values()))
        if found is None:
            raise jwt.PyJWKClientError(f"no JWKS key with kid {kid!r}")
        return found


class TokenVerifier:
    """HS256 with a shared secret (dev/tests) or RS256/ES256 against a JWKS URL (production), with
    `iss`/`aud` checked when configured. A verified token is remembered until it expires (bounded
    LRU): the same caller's next request skips the signature check, which is most of the cost of
    authenticating a read. Use `averify` (JWKS keys are fetched asynchronously); `verify` serves the
    shared-secret mode and cached tokens."""

    CACHE_SIZE = 4096

    def __init__(
        self,
        secret: str,
        algorithm: str = "HS256",
        jwks_url: str | None = None,
        audience: str | None = None,
        issuer: str | None = None,
    ):
        self.secret, self.algorithm, self.jwks_url, self.audience = secret, algorithm, jwks_url, audience
        self.issuer = issuer
        self.jwks = JwksCache(jwks_url) if jwks_url else None
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def _cached(self, token: str) -> Principal | None:
        hit = self._verified.get(token)
        if hit is not None:
            if hit[1] > time.time():
                self._verified.move_to_end(token)
                return hit[0]
            del self._verified[token]
        return None

    def _remember(self, token: str, principal: Principal, exp: float) -> Principal:
        self._verified[token] = (principal, exp)
        if len(self._verified) > self.CACHE_SIZE:
            self._verified.popitem(last=False)
        return principal

    def verify(self, token: str) -> Principal:
        hit = self._cached(token)
        if hit is not None:
            return hit
        if self.jwks is not None:
            raise RuntimeError("JWKS verification is asynchronous: use averify()")
        return self._remember(token, *self._decode(token, self.secret, [self.algorithm]))

    async def averify(self, token: str) -> Principal:
        hit = self._cached(token)
        if hit is not None:
            return hit
        if self.jwks is None:
            return self._remember(token, *self._decode(token, self.secret, [self.algorithm]))
        try:
            header = jwt.get_unverified_header(token)
            alg = header.get("alg")
            if alg not in JWKS_ALGORITHMS:
                raise jwt.InvalidAlgorithmError(f"algorithm {alg!r} not allowed")
            jwk = await self.jwks.key(header.get("kid"))
            if jwk_alg(jwk) not in (None, alg):  # an RSA key never verifies an ES256 token and vice versa
                raise jwt.InvalidAlgorithmError("key and token algorithms differ")
        except (jwt.PyJWTError, ValueError) as exc:
            raise Problem(401, f"凭证无效：{type(exc).__name__}", headers={"WWW-Authenticate": "Bearer"}) from None
        return self._remember(token, *self._decode(token, jwk.key, [alg]))

    def _decode(self, token: str, key, algorithms: list[str]) -> tuple[Principal, float]:
        require = ["exp", "sub"] + (["iss"] if self.issuer else []) + (["aud"] if self.audience else [])
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": require, "verify_aud": self.audience is not None},
            )
        except jwt.ExpiredSignatureError:
            raise Problem(401, "凭证已过期", headers={"WWW-Authenticate": "Bearer"}) from None
        except (jwt.PyJWTError, ValueError) as exc:
            raise Problem(401, f"凭证无效：{type(exc).__name__}", headers={"WWW-Authenticate": "Bearer"}) from None
        roles = claims.get("roles")  # a token without roles is invalid (401), not a principal without roles
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise Problem(401, "凭证无效：roles 须为字符串列表")
        unknown = sorted(set(roles) - ALL_ROLES - {SERVICE_ROLE})
        if unknown:  # a role the system does not define grants nothing and proves a foreign issuer
            raise Problem(401, f"凭证无效：未定义的角色 {', '.join(unknown)}", headers={"WWW-Authenticate": "Bearer"})
        if not isinstance(claims.get("org"), str):
            raise Problem(401, "凭证无效：缺少 org")
        return (
            Principal(
                sub=str(claims["sub"]),
                name=str(claims.get("name") or claims["sub"]),
                org=claims["org"],
                roles=frozenset(roles),
                jurisdiction=str(claims.get("jurisdiction") or "city"),
            ),
            float(claims["exp"]),
        )


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(401, "缺少凭证：需要 Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


async def get_principal(request: Request) -> Principal:
    cached = request.scope.get("govpm.principal")
    if cached is not None:
        return cached
    principal = await request.app.state.verifier.averify(bearer_token(request))
    request.scope["govpm.principal"] = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


class RoleGuard:
    """A dependency that admits principals holding one of `roles`; the roles are kept on the
    object so the endpoint × role table and the OpenAPI can be generated from the routes."""

    def __init__(self, roles: Iterable[str], rule: str | None = None):
        self.roles = frozenset(roles)
        self.rule = rule  # the article that says who acts, cited in the 403
        unknown = self.roles - ALL_ROLES - {SERVICE_ROLE}
        if unknown:
            raise ValueError(f"unknown roles: {unknown}")

    async def __call__(self, principal: PrincipalDep) -> Principal:
        if not principal.roles & self.roles:
            raise Problem(
                403,
                f"当前身份无权执行此操作，需要角色：{', '.join(sorted(self.roles))}",
                rule=self.rule,
                required_roles=sorted(self.roles),
            )
        return principal


def allow(*roles: str, rule: str | None = None):
    """`principal: allow("unit")` in an endpoint signature; `rule=` cites who-acts rules in the 403."""
    return Annotated[Principal, Depends(RoleGuard(roles, rule))]


# Any authenticated principal (reads whose visibility is decided per project).
AnyPrincipal = PrincipalDep
ServicePrincipal = allow(SERVICE_ROLE)
