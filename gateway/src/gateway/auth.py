"""Who is calling: a JWT (HS256 in dev/tests, RS256/ES256 against a JWKS URL in production) or an API key
(`X-API-Key`) of a departmental system.

Production sign-in is OpenID Connect (`GOVPM_OIDC_ISSUER`, `GOVPM_OIDC_CLIENT_ID`): the gateway verifies
the provider's access tokens against the keys named by the provider's discovery document (or
`GOVPM_JWKS_URL`), with `iss` = the issuer and `aud` = `GOVPM_OIDC_AUDIENCE` when set. The gateway alone
speaks to the provider: upstream it sends an internal HS256 JWT of the same principal (as for API
keys), so the services keep verifying one shared secret and their own service tokens.

Cheap on the hot path: a verified JWT is cached by its token string (never beyond its `exp`), an
API-key lookup (hit or miss) for a few seconds, and the internal JWT minted for an API key is reused
until shortly before it expires. No DB hit for JWT requests."""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx
import jwt

from govkit.auth import JwksCache, Principal, TokenVerifier, mint_token
from govkit.db import utcnow
from govkit.errors import Problem

from .apikeys import repository as api_keys
from .apikeys.service import KEY_PREFIX

CACHE_MAX = 20_000


def _unauthorized(detail: str) -> Problem:
    return Problem(401, detail, headers={"WWW-Authenticate": 'Bearer, ApiKey header="X-API-Key"'})


class Identity:
    """The authenticated caller plus what to send upstream instead of its credential."""

    __slots__ = ("principal", "upstream_auth", "key")

    def __init__(self, principal: Principal, upstream_auth: str | None, key: str):
        self.principal, self.upstream_auth, self.key = principal, upstream_auth, key


class DiscoveredJwks(JwksCache):
    """The OpenID provider's signing keys at the `jwks_uri` of its discovery document
    (`{issuer}/.well-known/openid-configuration`), looked up on the first fetch."""

    def __init__(self, issuer: str, **kw):
        super().__init__("", **kw)
        self.issuer = issuer.rstrip("/")

    async def _fetch(self) -> None:
        if not self.url:
            async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
                resp = await client.get(f"{self.issuer}/.well-known/openid-configuration")
                resp.raise_for_status()
                meta = resp.json()
            if meta.get("issuer", "").rstrip("/") != self.issuer:
                raise ValueError(f"discovery names issuer {meta.get('issuer')!r}, not {self.issuer!r}")
            self.url = meta["jwks_uri"]
        await super()._fetch()


def verifier_for(settings) -> TokenVerifier:
    """HS256 with the shared secret, or the identity provider's keys (OIDC discovery or GOVPM_JWKS_URL)."""
    if settings.oidc_issuer and settings.oidc_client_id:
        verifier = TokenVerifier(
            settings.jwt_secret,
            "RS256",
            settings.jwks_url or "discovered",
            settings.oidc_audience or settings.jwt_audience,
            settings.jwt_issuer or settings.oidc_issuer,
        )
        if not settings.jwks_url:
            verifier.jwks = DiscoveredJwks(settings.oidc_issuer)
        return verifier
    return TokenVerifier(
        settings.jwt_secret, settings.jwt_algorithm, settings.jwks_url, settings.jwt_audience, settings.jwt_issuer
    )


class Authenticator:
    def __init__(self, settings, sessionmaker_getter):
        self.settings = settings
        self.verifier = verifier_for(settings)
        self.pepper = (settings.api_key_pepper or settings.jwt_secret).encode()
        self._sessionmaker = sessionmaker_getter
        self._jwt: dict[str, tuple[float, Identity]] = {}
        self._keys: dict[str, tuple[float, Identity | None]] = {}
        self._internal: dict[str, tuple[float, str]] = {}

    def hash_key(self, key: str) -> str:
        return hmac.new(self.pepper, key.encode(), hashlib.sha256).hexdigest()

    # -- JWT ----------------------------------------------------------------------------------
    async def from_jwt(self, token: str) -> Identity:
        now = time.time()
        hit = self._jwt.get(token)
        if hit is not None and hit[0] > now:
            return hit[1]
        principal = await self.verifier.averify(token)  # JWKS keys are fetched asynchronously
        exp = jwt.decode(token, options={"verify_signature": False}).get("exp", now)
        identity = Identity(principal, None, f"sub:{principal.sub}")
        if self.verifier.jwks is not None:  # the provider's token stays here; upstream gets ours
            # what is left of the provider's token now (the verification above may have waited on its keys)
            identity.upstream_auth = self._upstream_token(principal, float(exp) - time.time())
        if len(self._jwt) > CACHE_MAX:
            self._jwt.clear()
        self._jwt[token] = (min(float(exp), now + self.settings.jwt_cache_s), identity)
        return identity

    # -- API keys -----------------------------------------------------------------------------
    async def from_api_key(self, key: str) -> Identity:
        if not key.startswith(KEY_PREFIX) or len(key) > 200:
            raise _unauthorized("API key 无效")
        digest = self.hash_key(key)
        now = time.time()
        hit = self._keys.get(digest)
        if hit is None or hit[0] <= now:
            identity = await self._lookup(digest)
            if len(self._keys) > CACHE_MAX:
                self._keys.clear()
            self._keys[digest] = (now + self.settings.api_key_cache_s, identity)
        else:
            identity = hit[1]
        if identity is None:
            raise _unauthorized("API key 无效、已吊销或已过期")
        identity.upstream_auth = self._internal_token(identity)
        return identity

    async def _lookup(self, digest: str) -> Identity | None:
        async with self._sessionmaker()() as session:
            row = await api_keys.by_hash(session, digest)
        if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= utcnow()):
            return None
        principal = Principal(sub=f"apikey:{row.id}", name=row.name, org=row.org, roles=frozenset(row.roles))
        return Identity(principal, None, f"key:{row.id}")

    def _internal_token(self, identity: Identity) -> str:
        now = time.time()
        hit = self._internal.get(identity.key)
        if hit is not None and hit[0] - 60 > now:
            return hit[1]
        p = identity.principal
        ttl = self.settings.internal_token_ttl_s
        token = mint_token(
            self.settings.jwt_secret,
            sub=p.sub,
            org=p.org,
            roles=p.roles,
            name=p.name,
            ttl_s=ttl,
            extra={"via": "api-key"},
        )
        if len(self._internal) > CACHE_MAX:
            self._internal.clear()
        self._internal[identity.key] = (now + ttl, f"Bearer {token}")
        return self._internal[identity.key][1]

    def _upstream_token(self, p: Principal, remaining_s: float) -> str:
        """An internal JWT of an identity provider's principal, never outliving the provider's token."""
        ttl = max(1, min(self.settings.internal_token_ttl_s, int(remaining_s)))
        extra = {"via": "oidc", "jurisdiction": p.jurisdiction}
        token = mint_token(
            self.settings.jwt_secret, sub=p.sub, org=p.org, roles=p.roles, name=p.name, ttl_s=ttl, extra=extra
        )
        return f"Bearer {token}"

    def forget_key(self, key_hash: str | None = None) -> None:
        """Drop cached API-key lookups (after a revocation on this instance)."""
        if key_hash is None:
            self._keys.clear()
        else:
            self._keys.pop(key_hash, None)

    # -- either -------------------------------------------------------------------------------
    async def authenticate(self, authorization: str | None, api_key: str | None) -> Identity:
        if api_key:
            return await self.from_api_key(api_key.strip())
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return await self.from_jwt(token.strip())
        raise _unauthorized("缺少凭证：需要 Authorization: Bearer <token> 或 X-API-Key")
