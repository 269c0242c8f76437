"""Project codes (R-13.1, X-13.1): requests sent in the background with retries; the signed
callback assigns the code."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta

import orjson
import structlog
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from govkit.db import utcnow
from govkit.errors import Problem
from govkit.events.approval import ProjectCodeAssigned
from govkit.kafka import backoff_delay
from govkit.money import from_fen
from govkit.outbox import emit

from ..applications import repository as app_repo
from . import repository
from .adapter import ProvincialPlatform
from .schemas import ProjectCodeCallback
from .signing import code_well_formed, signature_valid, timestamp_fresh

log = structlog.get_logger()
PLATFORM = "provincial-platform"


def code_request(app) -> dict:
    return {
        "project_id": app.project_id,
        "declaration_no": app.declaration_no,
        "title": app.title,
        "org": app.org,
        "estimated_investment": str(from_fen(app.estimated_fen)),
        "declared_on": app.declared_on.isoformat(),
        "category": app.category,
    }


CLAIM_LEASE = timedelta(seconds=60)  # longer than a request's timeout: a claimed row is not sent twice


async def dispatch_due(sessionmaker: async_sessionmaker, platform: ProvincialPlatform, limit: int = 20) -> int:
    """Send every due code request once; failures are retried later with backoff. Returns sent.

    No transaction stays open while the platform is called (on SQLite it would block every write of the
    service): the due rows are claimed with a lease and committed, each call is made, and each result is
    recorded in a short transaction of its own — as the gateway's webhook dispatcher does."""
    async with sessionmaker() as session:
        apps = await app_repo.due_code_requests(session, utcnow(), limit)
        claimed = [(app.project_id, code_request(app)) for app in apps]
        for app in apps:
            app.code_next_attempt_at = utcnow() + CLAIM_LEASE
        await session.commit()
    sent = 0
    for project_id, request in claimed:
        try:
            await platform.request_code(request)
            error = None
        except Exception as exc:  # noqa: BLE001 - the platform may be down: try again later
            error = (str(exc) or type(exc).__name__)[:500]
        async with sessionmaker() as session:
            app = await app_repo.get(session, project_id, for_update=True)
            app.code_attempts += 1
            app.code_last_error = error
            if error is None:
                sent += 1
                if app.code_status == "pending":  # the callback may already have assigned the code
                    app.code_status = "requested"
                app.code_next_attempt_at = None
            else:
                delay = backoff_delay(app.code_attempts, initial=1.0, cap=60.0)
                app.code_next_attempt_at = utcnow() + timedelta(seconds=delay)
                log.info("project_code_request_failed", project_id=project_id, attempts=app.code_attempts, error=error)
            await session.commit()
    return sent


async def run_dispatcher(sessionmaker: async_sessionmaker, settings) -> None:
    platform = ProvincialPlatform(settings.provincial_url, settings.provincial_timeout_s)
    try:
        while True:
            try:
                await dispatch_due(sessionmaker, platform)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                log.warning("project_code_dispatch_failed", error=str(exc) or type(exc).__name__)
            await asyncio.sleep(settings.provincial_poll_s)
    finally:
        await platform.aclose()


async def receive_code(
    session: AsyncSession, settings, body: bytes, timestamp: str | None, signature: str | None
) -> dict:
    """The platform's callback: signature, freshness and replay first (401), then shape (422)."""
    if not timestamp or not signature:
        raise Problem(401, "缺少 X-Timestamp 或 X-Signature 签名头", rule="R-13.1")
    if not signature_valid(settings.provincial_callback_secret, timestamp, body, signature):
        raise Problem(401, "回调签名无效", rule="R-13.1")
    if not timestamp_fresh(timestamp, time.time(), settings.callback_window_s):
        raise Problem(401, "回调时间戳超出5分钟有效期", rule="R-13.1")
    digest = signature.strip().removeprefix("sha256=").lower()
    if await repository.signature_seen(session, digest):
        raise Problem(401, "重复的回调请求（重放）已拒绝", rule="R-13.1")
    try:
        data = ProjectCodeCallback.model_validate(orjson.loads(body))
    except (orjson.JSONDecodeError, ValidationError) as exc:
        fields = []
        if isinstance(exc, ValidationError):
            fields = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        raise Problem(
            422, "回调内容不合规", violations=fields or [{"field": "body", "message": "invalid JSON"}]
        ) from None
    code = data.project_code.strip()
    if not code_well_formed(code):
        raise Problem(
            422,
            f"项目代码“{code}”不符合全国投资项目代码格式（年份-3209xx-行业-类型-流水号）",
            rule="X-13.1",
            violations=[
                {
                    "field": "project_code",
                    "rule": "X-13.1",
                    "message": "expected ^\\d{4}-3209\\d{2}-\\d{2}-\\d{2}-\\d{6}$",
                }
            ],
        )
    app = await app_repo.get(session, str(data.project_id), for_update=True)
    if app is None:
        raise Problem(404, "审批申请不存在")
    if not await repository.record_signature(session, digest, app.project_id):
        raise Problem(401, "重复的回调请求（重放）已拒绝", rule="R-13.1")
    if app.project_code is not None:
        if app.project_code == code:
            return {"project_id": app.project_id, "project_code": code, "status": "already_assigned"}
        raise Problem(409, f"该项目已赋码 {app.project_code}，不能改为 {code}", rule="R-13.1")
    app.project_code = code
    app.code_status = "assigned"
    app.updated_at = utcnow()
    await emit(
        session,
        ProjectCodeAssigned(project_id=uuid.UUID(app.project_id), project_code=code),
        actor=PLATFORM,
        rule="R-13.1",
    )
    return {"project_id": app.project_id, "project_code": code, "status": "assigned"}
