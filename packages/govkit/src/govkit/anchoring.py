"""Anchoring the hash-chained audit log (the outbox): a database superuser could edit a row and
recompute every later hash, and the chain alone would still verify. So the chain's head is signed
with Ed25519 — periodically by every service (`GOVPM_AUDIT_ANCHOR_INTERVAL_S`) and on demand
(`python -m govkit.cli audit-anchor --service X`, or `POST /internal/audit/anchor`) — with a
private key that lives outside the database (`GOVPM_AUDIT_SIGNING_KEY_FILE`, a mounted Secret).
Each anchor is also logged (`audit_anchored`, with its signature), so the log shipper keeps a copy
outside the database as well. `audit-verify` checks every anchor's signature and that the chain
still has the signed hash at the signed position."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from datetime import datetime
from pathlib import Path

import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import utcnow
from .kernel_models import AuditAnchor, OutboxEvent

log = structlog.get_logger()
GENESIS = "0" * 64


def generate_key() -> tuple[bytes, bytes]:
    """(private PEM, public PEM) of a new Ed25519 key."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 private key")
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    data = Path(path).read_bytes()
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public_key()
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path}: not an Ed25519 public key")
    return key


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def message(service: str, head_seq: int, head_hash: str, signed_at: datetime) -> bytes:
    return f"govpm-audit-anchor:v1:{service}:{head_seq}:{head_hash}:{signed_at.isoformat()}".encode()


async def anchor(session: AsyncSession, service: str, key: Ed25519PrivateKey) -> AuditAnchor:
    """Sign the current head of the chain and store the anchor (the caller commits)."""
    head = (
        await session.execute(select(OutboxEvent.seq, OutboxEvent.hash).order_by(OutboxEvent.seq.desc()).limit(1))
    ).first()
    head_seq, head_hash = (head[0], head[1]) if head else (0, GENESIS)
    signed_at = utcnow()
    signature = base64.b64encode(key.sign(message(service, head_seq, head_hash, signed_at))).decode()
    row = AuditAnchor(
        head_seq=head_seq,
        head_hash=head_hash,
        signed_at=signed_at,
        key_id=key_id(key.public_key()),
        signature=signature,
    )
    session.add(row)
    await session.flush()
    log.info(
        "audit_anchored",
        service=service,
        head_seq=head_seq,
        head_hash=head_hash,
        signed_at=signed_at.isoformat(),
        key_id=row.key_id,
        signature=signature,
    )
    return row


async def verify_anchors(session: AsyncSession, service: str, public: Ed25519PublicKey) -> tuple[list[dict], dict]:
    """(problems, summary). A problem: a signature that does not verify, an anchor by another key,
    or a chain that no longer has the signed hash at the signed position."""
    problems: list[dict] = []
    anchors = (await session.scalars(select(AuditAnchor).order_by(AuditAnchor.id))).all()
    kid = key_id(public)
    hashes: dict[int, str] = {}
    seqs = {a.head_seq for a in anchors if a.head_seq}
    if seqs:
        rows = (await session.execute(select(OutboxEvent.seq, OutboxEvent.hash).where(OutboxEvent.seq.in_(seqs)))).all()
        hashes = {seq: h for seq, h in rows}
    for a in anchors:
        if a.key_id != kid:
            problems.append({"anchor": a.id, "problem": f"signed by another key ({a.key_id})"})
            continue
        try:
            public.verify(base64.b64decode(a.signature), message(service, a.head_seq, a.head_hash, a.signed_at))
        except Exception:  # noqa: BLE001 - InvalidSignature or a mangled value
            problems.append({"anchor": a.id, "problem": "signature does not verify"})
            continue
        current = hashes.get(a.head_seq) if a.head_seq else GENESIS
        if current != a.head_hash:
            problems.append(
                {
                    "anchor": a.id,
                    "problem": f"chain at seq {a.head_seq} no longer has the signed hash"
                    if current
                    else f"seq {a.head_seq} is gone from the chain",
                }
            )
    last = anchors[-1] if anchors else None
    head_seq = await session.scalar(select(OutboxEvent.seq).order_by(OutboxEvent.seq.desc()).limit(1)) or 0
    summary = {
        "anchors": len(anchors),
        "last_anchor_seq": last.head_seq if last else None,
        "last_anchor_at": last.signed_at.isoformat() if last else None,
        "unanchored_rows": head_seq - (last.head_seq if last else 0),
    }
    return problems, summary


async def anchor_loop(sessionmaker, service: str, settings) -> None:
    """Anchor every `audit_anchor_interval_s` (first right after start)."""
    key = load_private_key(settings.audit_signing_key_file)
    while True:
        try:
            async with sessionmaker() as session:
                await anchor(session, service, key)
                await session.commit()
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the database may be away: try at the next tick
            log.exception("audit_anchor_failed", service=service)
        await asyncio.sleep(settings.audit_anchor_interval_s)
