"""The gateway's state changes go into the same hash chain as every service's outbox; the verify
command reports any broken link."""

import asyncio
import sys

from sqlalchemy import select, update

from govkit.dev.testing import auth
from govkit.kernel_models import OutboxEvent
from govkit.outbox import verify_chain


async def run(cmd):
    """The CLI as a process, without blocking this loop (the gateway keeps running meanwhile)."""
    proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    return proc.returncode, out.decode()


async def test_chain_verifies_and_tampering_is_detected(make_gateway):
    async with make_gateway() as gw:
        admin = auth("admin", "ORG-ADM", sub="root")
        k = (
            await gw.post(
                "/api/v1/admin/api-keys", json={"name": "a", "org": "ORG-A", "roles": ["unit"]}, headers=admin
            )
        ).json()
        await gw.delete(f"/api/v1/admin/api-keys/{k['id']}", headers=admin)
        await gw.post(
            "/api/v1/webhooks/subscriptions",
            json={"url": "http://127.0.0.1:9/h", "event_types": ["*"], "secret": "0123456789abcdef"},
            headers=admin,
        )
        sm = gw.app.state.sessionmaker
        async with sm() as s:
            rows = (await s.scalars(select(OutboxEvent).order_by(OutboxEvent.seq))).all()
            assert [r.type for r in rows] == ["ApiKeyCreated", "ApiKeyRevoked", "WebhookSubscriptionCreated"]
            assert rows[0].actor == "root" and rows[0].actor_org == "ORG-ADM" and rows[0].request_id
            assert await verify_chain(s) == []
        url = gw.app.state.settings.db_url
        cli = [sys.executable, "-m", "govkit.cli", "audit-verify", "--service", "gateway", "--database-url", url]
        async with sm() as s:  # someone edits one row
            await s.execute(
                update(OutboxEvent)
                .where(OutboxEvent.seq == rows[1].seq)
                .values(data={**rows[1].data, "api_key_id": "another"})
            )
            await s.commit()
            assert [b["seq"] for b in await verify_chain(s)] == [rows[1].seq]
        code, out = await run(cli)
        assert code == 1 and f"BROKEN seq={rows[1].seq}" in out
