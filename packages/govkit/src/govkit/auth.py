"""JWT principals and role/org checks, enforced by every service itself (never only at the gateway)."""
from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated

import jwt
from fastapi import Depends, Request

from .errors import Problem

ALL_ROLES = frozenset({
    "unit", "bdb", "bdc", "finance", "approval_bureau", "ndrc", "leading_group", "cac", "crypto",
    "secrecy", "police", "expert", "supervisor", "contractor", "big_data_group", "third_party", "admin",
    "competent_dept", "archives",
})
# Roles that act on every project of the city (supervising bureaus); anyone else sees only
# projects whose orgs include their own org (API.md, Identity).
CITYWIDE_ROLES = frozenset({"bdb", "bdc", "finance", "approval_bureau", "ndrc", "leading_group", "cac",
                            "crypto", "secrecy", "police", "expert", "third_party", "admin", "service",
                            "competent_dept", "archives"})
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

    def as_actor(self) -> dict:
        return {"sub": self.sub, "name": self.name, "org": self.org, "roles": sorted(self.roles)}


def mint_token(secret: str, *, sub: str, org: str, roles: Iterable[str], name: str | None = None,
               ttl_s: int = 12 * 3600, algorithm: str = "HS256", extra: dict | None = None) -> str:
    now = int(time.time())
    claims = {"sub": sub, "name": name or sub, "org": org, "roles": sorted(set(roles)),
              "iat": now, "exp": now + ttl_s, **(extra or {})}
    return jwt.encode(claims, secret, algorithm=algorithm)


def service_token(secret: str, service: str) -> str:
    return mint_token(secret, sub=f"service:{service}", org="govpm", roles=[SERVICE_ROLE], name=service,
                      ttl_s=3600)


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=300)


class TokenVerifier:
    """HS256 with a shared secret (dev/tests) or RS256 against a JWKS URL (production). A verified
    token is remembered until it expires (bounded LRU): the same caller's next request skips the
    signature check, which is most of the cost of authenticating a read."""

    CACHE_SIZE = 4096

    def __init__(self, secret: str, algorithm: str = "HS256", jwks_url: str | None = None,
                 audience: str | None = None):
        self.secret, self.algorithm, self.jwks_url, self.audience = secret, algorithm, jwks_url, audience
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def verify(self, token: str) -> Principal:
        hit = self._verified.get(token)
        if hit is not None:
            if hit[1] > time.time():
                self._verified.move_to_end(token)
                return hit[0]
            del self._verified[token]
        principal, exp = self._verify(token)
        self._verified[token] = (principal, exp)
        if len(self._verified) > self.CACHE_SIZE:
            self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            if self.jwks_url:
                key = _jwks_client(self.jwks_url).get_signing_key_from_jwt(token).key
                algorithms = ["RS256"]
            else:
                key, algorithms = self.secret, [self.algorithm]
            claims = jwt.decode(token, key, algorithms=algorithms, audience=self.audience,
                                options={"require": ["exp", "sub"], "verify_aud": self.audience is not None})
        except jwt.ExpiredSignatureError:
            raise Problem(401, "凭证已过期", headers={"WWW-Authenticate": "Bearer"}) from None
        except (jwt.PyJWTError, ValueError) as exc:
            raise Problem(401, f"凭证无效：{type(exc).__name__}", headers={"WWW-Authenticate": "Bearer"}) from None
        roles = claims.get("roles")  # a token without roles is invalid (401), not a principal without roles
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise Problem(401, "凭证无效：roles 须为字符串列表")
        if not isinstance(claims.get("org"), str):
            raise Problem(401, "凭证无效：缺少 org")
        return (Principal(sub=str(claims["sub"]), name=str(claims.get("name") or claims["sub"]),
                          org=claims["org"], roles=frozenset(roles),
                          jurisdiction=str(claims.get("jurisdiction") or "city")), float(claims["exp"]))


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
    principal = request.app.state.verifier.verify(bearer_token(request))
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
            raise Problem(403, f"当前身份无权执行此操作，需要角色：{', '.join(sorted(self.roles))}",
                          rule=self.rule, required_roles=sorted(self.roles))
        return principal


def allow(*roles: str, rule: str | None = None):
    """`principal: allow("unit")` in an endpoint signature; `rule=` cites who-acts rules in the 403."""
    return Annotated[Principal, Depends(RoleGuard(roles, rule))]


# Any authenticated principal (reads whose visibility is decided per project).
AnyPrincipal = PrincipalDep
ServicePrincipal = allow(SERVICE_ROLE)
