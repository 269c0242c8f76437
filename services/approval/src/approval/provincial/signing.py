"""HMAC-SHA256 signatures of the provincial platform's callbacks (pure functions)."""

from __future__ import annotations

import hashlib
import hmac
import re

# year-region(3209xx)-industry-type-serial, e.g. 2026-320900-65-01-000123
PROJECT_CODE = re.compile(r"^\d{4}-3209\d{2}-\d{2}-\d{2}-\d{6}$", re.ASCII)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={mac}"


def signature_valid(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body).encode(), (header or "").strip().encode())


def timestamp_fresh(timestamp: str, now: float, window_s: int) -> bool:
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    return abs(now - ts) <= window_s


def code_well_formed(code: str) -> bool:
    return bool(PROJECT_CODE.fullmatch(code or ""))
