"""How a webhook delivery is signed: the Standard Webhooks way (https://www.standardwebhooks.com,
verifiable with its off-the-shelf libraries) — `webhook-id: <event id>`, `webhook-timestamp: <unix
seconds>`, `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>` where the
key is the subscription secret's UTF-8 bytes (for those libraries: `"whsec_" + base64(secret)`) — and,
for existing receivers, `X-Event-Id`, `X-Timestamp` and
`X-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Timestamp>.<raw body>")>`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def standard_signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """Standard Webhooks `webhook-signature` (v1, HMAC-SHA256, base64)."""
    mac = hmac.new(secret.encode(), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signed_headers(secret: str, event_id: str, body: bytes, now: float | None = None) -> dict[str, str]:
    ts = str(int(time.time() if now is None else now))
    return {
        "content-type": "application/cloudevents+json",
        "webhook-id": event_id,
        "webhook-timestamp": ts,
        "webhook-signature": standard_signature(secret, event_id, ts, body),
        "x-event-id": event_id,
        "x-timestamp": ts,
        "x-signature": sign(secret, ts, body),
        "user-agent": "GovPM-Webhooks/1.0",
    }
