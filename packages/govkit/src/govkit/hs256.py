"""Compact HS256 JSON Web Tokens (RFC 7519) with the standard library: the tokens every service
verifies (the gateway's and the services' own, one shared secret). PyJWT stays for the identity
provider's RS256/ES256 tokens (`govkit.auth`, imported only then): importing it loads `cryptography`
(≈ 10 MB in each of six processes) for nothing when every token is HS256.

The checks are PyJWT's, with its error names (a 401 reports the name): the algorithm allowed by the
verifier (never `none`), the signature (constant-time), a JSON object for header and payload, no `crit`
or `b64` header (we issue neither), `exp` (required by the caller), `nbf` and `iat` not in the future,
`iss`/`aud` when the verifier is configured with them, `sub` and `jti` strings. Base64url is decoded
strictly (no padding, no foreign characters)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from collections.abc import Iterable
from typing import Any

import orjson

ALGORITHM = "HS256"
_HEADER = base64.urlsafe_b64encode(orjson.dumps({"alg": ALGORITHM, "typ": "JWT"})).rstrip(b"=")
_SEGMENT = re.compile(rb"[A-Za-z0-9_-]*")


class TokenError(Exception):
    """A token that does not verify. Subclasses carry PyJWT's names."""


class DecodeError(TokenError):
    pass


class InvalidSignatureError(DecodeError):
    pass


class InvalidTokenError(TokenError):
    pass


class InvalidAlgorithmError(InvalidTokenError):
    pass


class ExpiredSignatureError(InvalidTokenError):
    pass


class ImmatureSignatureError(InvalidTokenError):
    pass


class MissingRequiredClaimError(InvalidTokenError):
    pass


class InvalidIssuerError(InvalidTokenError):
    pass


class InvalidAudienceError(InvalidTokenError):
    pass


class InvalidSubjectError(InvalidTokenError):
    pass


class InvalidIssuedAtError(InvalidTokenError):
    pass


class InvalidJTIError(InvalidTokenError):
    pass


def _b64encode(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _b64decode(segment: bytes, what: str) -> bytes:
    if not _SEGMENT.fullmatch(segment) or len(segment) % 4 == 1:
        raise DecodeError(f"Invalid {what} padding")
    try:
        return base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise DecodeError(f"Invalid {what} padding") from None


def _mac(secret: str | bytes, signing_input: bytes) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, signing_input, hashlib.sha256).digest()


def encode(claims: dict[str, Any], secret: str | bytes) -> str:
    signing_input = _HEADER + b"." + _b64encode(orjson.dumps(claims))
    return (signing_input + b"." + _b64encode(_mac(secret, signing_input))).decode()


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise DecodeError(f"Invalid {what} string") from None
    if not isinstance(value, dict):
        raise DecodeError(f"Invalid {what} string: must be a json object")
    return value


def _integer(payload: dict, claim: str, error: type[TokenError]) -> int:
    try:
        return int(payload[claim])
    except (ValueError, TypeError, OverflowError):
        raise error(f"{claim} must be an integer") from None


def decode(
    token: str,
    secret: str | bytes,
    *,
    require: Iterable[str] = (),
    audience: str | None = None,
    issuer: str | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """The verified claims of `token`, or a `TokenError`."""
    raw = token.encode("utf-8") if isinstance(token, str) else token
    try:
        signing_input, signature_segment = raw.rsplit(b".", 1)
        header_segment, payload_segment = signing_input.split(b".", 1)
    except ValueError:
        raise DecodeError("Not enough segments") from None
    header = _json_object(_b64decode(header_segment, "header"), "header")
    if "crit" in header or "b64" in header:
        raise InvalidTokenError("Unsupported critical extension")
    if "kid" in header and not isinstance(header["kid"], str):
        raise InvalidTokenError("Key ID header parameter must be a string")
    if "alg" not in header:
        raise InvalidAlgorithmError("Algorithm not specified")
    if header["alg"] != ALGORITHM:
        raise InvalidAlgorithmError("The specified alg value is not allowed")
    payload_bytes = _b64decode(payload_segment, "payload")
    signature = _b64decode(signature_segment, "crypto")
    if not hmac.compare_digest(signature, _mac(secret, signing_input)):
        raise InvalidSignatureError("Signature verification failed")
    payload = _json_object(payload_bytes, "payload")
    required = [*require, *(["iss"] if issuer is not None else []), *(["aud"] if audience is not None else [])]
    for claim in required:
        if payload.get(claim) is None:
            raise MissingRequiredClaimError(f'Token is missing the "{claim}" claim')
    now = time.time() if now is None else now
    if "iat" in payload and _integer(payload, "iat", InvalidIssuedAtError) > now:
        raise ImmatureSignatureError("The token is not yet valid (iat)")
    if "nbf" in payload and _integer(payload, "nbf", DecodeError) > now:
        raise ImmatureSignatureError("The token is not yet valid (nbf)")
    if "exp" in payload and _integer(payload, "exp", DecodeError) <= now:
        raise ExpiredSignatureError("Signature has expired")
    if issuer is not None and payload["iss"] != issuer:
        raise InvalidIssuerError("Invalid issuer")
    if audience is not None:
        aud = payload["aud"]
        aud = [aud] if isinstance(aud, str) else aud
        if not isinstance(aud, list) or not all(isinstance(a, str) for a in aud):
            raise InvalidAudienceError("Invalid claim format in token")
        if audience not in aud:
            raise InvalidAudienceError("Audience doesn't match")
    if "sub" in payload and not isinstance(payload["sub"], str):
        raise InvalidSubjectError("Subject must be a string")
    if "jti" in payload and not isinstance(payload["jti"], str):
        raise InvalidJTIError("JWT ID must be a string")
    return payload
