"""Audit anchoring (issue 15): a superuser who edits a row and recomputes every later hash leaves
a chain that still links — but the Ed25519-signed anchors of its head no longer match."""

import asyncio
import os
import subprocess
import sys

from sqlalchemy import select, update

from govkit.anchoring import anchor, generate_key, load_private_key, load_public_key, verify_anchors
from govkit.dev.testing import auth, eventually, token
from govkit.kernel_models import AuditAnchor, OutboxEvent
from govkit.outbox import GENESIS, chain_hash, verify_chain

BODY = {"name": "n", "amount": "5.00", "kind": "a"}


def keypair(tmp_path):
    private, public = generate_key()
    (tmp_path / "anchor.pem").write_bytes(private)
    (tmp_path / "anchor.pub").write_bytes(public)
    return tmp_path / "anchor.pem", tmp_path / "anchor.pub"


def cli(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govkit.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **env},
    )


async def recompute_chain(kt) -> None:
    """What a database superuser can do: rewrite every hash after an edit."""
    async with kt.sessionmaker() as s:
        prev = GENESIS
        for row in (await s.scalars(select(OutboxEvent).order_by(OutboxEvent.seq))).all():
            row.prev_hash = prev
            row.hash = chain_hash(prev, row)
            prev = row.hash
        await s.commit()


async def test_a_recomputed_chain_is_caught_by_the_signed_anchor(client, kt, kt_url, tmp_path):
    private, public = keypair(tmp_path)
    for i in range(3):
        assert (
            await client.post("/things", json={**BODY, "name": f"a{i}"}, headers=auth("unit", "ORG-AN"))
        ).status_code == 201
    async with kt.sessionmaker() as s:
        row = await anchor(s, "kt", load_private_key(private))
        await s.commit()
    assert row.head_seq == 3
    ok = await asyncio.to_thread(
        cli, "audit-verify", "--service", "kt", "--database-url", kt_url, "--verify-key", str(public)
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "anchored" in ok.stdout and "anchors: 1" in ok.stdout
    # the superuser edits seq 2 and recomputes the chain: the links verify again …
    async with kt.sessionmaker() as s:
        await s.execute(update(OutboxEvent).where(OutboxEvent.seq == 2).values(actor="someone-else"))
        await s.commit()
    await recompute_chain(kt)
    async with kt.sessionmaker() as s:
        assert await verify_chain(s) == []
        problems, _ = await verify_anchors(s, "kt", load_public_key(public))
    assert problems and "seq 3" in problems[0]["problem"]
    bad = await asyncio.to_thread(
        cli, "audit-verify", "--service", "kt", "--database-url", kt_url, "--verify-key", str(public)
    )
    assert bad.returncode == 1 and "BROKEN anchor=" in bad.stdout, bad.stdout


async def test_a_forged_anchor_or_another_key_does_not_verify(client, kt, tmp_path):
    private, public = keypair(tmp_path)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other_private, _ = keypair(other_dir)
    await client.post("/things", json=BODY, headers=auth("unit", "ORG-AN"))
    async with kt.sessionmaker() as s:
        await anchor(s, "kt", load_private_key(private))
        await anchor(s, "kt", load_private_key(other_private))  # an attacker's own key
        await s.commit()
        problems, summary = await verify_anchors(s, "kt", load_public_key(public))
    assert [p["problem"].split(" (")[0] for p in problems] == ["signed by another key"]
    async with kt.sessionmaker() as s:  # the attacker rewrites a genuine anchor's head hash
        first = await s.scalar(select(AuditAnchor).order_by(AuditAnchor.id))
        first.head_hash = "f" * 64
        await s.commit()
        problems, _ = await verify_anchors(s, "kt", load_public_key(public))
    assert "signature does not verify" in [p["problem"] for p in problems]


async def test_anchor_on_demand_by_cli_and_endpoint_and_periodically(tmp_path):
    import httpx

    from .conftest import drop_database, new_database

    kt_url = await new_database("anchor")
    try:
        await _on_demand_and_periodic(kt_url, tmp_path, httpx)
    finally:
        await drop_database(kt_url)


async def _on_demand_and_periodic(kt_url, tmp_path, httpx):
    from govkit.dev.testing import ServiceHarness

    from .conftest import kt_settings
    from .ktapp import publisher_app

    private, public = keypair(tmp_path)
    out = await asyncio.to_thread(
        cli, "audit-anchor", "--service", "kt", "--database-url", kt_url, "--key", str(private)
    )
    assert out.returncode == 0, out.stderr
    app = publisher_app(kt_settings(kt_url, audit_signing_key_file=private, audit_anchor_interval_s=0.05))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c,
    ):
        h = ServiceHarness(app, c)
        r = await c.post("/internal/audit/anchor", headers={"Authorization": f"Bearer {token('service', 'govpm')}"})
        assert r.status_code == 200 and r.json()["key_id"]
        assert (await c.post("/internal/audit/anchor", headers=auth("unit"))).status_code == 403

        async def count():
            async with h.sessionmaker() as s:
                return len((await s.scalars(select(AuditAnchor))).all())

        async def four_anchors():
            return await count() >= 4

        await eventually(four_anchors, timeout=10)  # the periodic task adds anchors by itself
    ok = await asyncio.to_thread(
        cli,
        "audit-verify",
        "--service",
        "kt",
        "--database-url",
        kt_url,
        "--require-anchor",
        GOVPM_AUDIT_VERIFY_KEY_FILE=str(public),
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
