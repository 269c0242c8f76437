"""`/api/v1/webhooks`: subscriptions (admin | bdb, a bdb sees its own unit's) and their deliveries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Request, Response

from govkit.auth import allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery

from .. import egress
from . import service
from .schemas import DeliveryPage, DeliveryRead, DeliveryStatus, SubscriptionCreate, SubscriptionPage, SubscriptionRead

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
Manager = allow("admin", "bdb")
SubId = Annotated[str, Path(max_length=36)]
DeliveryId = Annotated[int, Path(ge=1, le=2**62)]


@router.post("/subscriptions", status_code=201, response_model=SubscriptionRead, summary="订阅事件（admin | bdb）")
async def create_subscription(body: SubscriptionCreate, principal: Manager, session: SessionDep, request: Request):
    policy = egress.Policy.from_settings(request.app.state.settings)
    return await service.create_subscription(session, body, principal, policy)


@router.get("/subscriptions", response_model=SubscriptionPage, summary="订阅列表（admin 全部；bdb 本单位）")
async def list_subscriptions(
    principal: Manager, session: SessionDep, limit: LimitQuery = 50, cursor: CursorQuery = None
):
    return await service.list_subscriptions(session, principal, limit=limit, cursor=cursor)


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionRead, summary="订阅详情")
async def get_subscription(subscription_id: SubId, principal: Manager, session: SessionDep):
    return await service.get_subscription(session, subscription_id, principal)


@router.delete("/subscriptions/{subscription_id}", status_code=204, summary="取消订阅（待投递的将不再投递）")
async def delete_subscription(subscription_id: SubId, principal: Manager, session: SessionDep):
    await service.delete_subscription(session, subscription_id, principal)
    return Response(status_code=204)


@router.get("/subscriptions/{subscription_id}/deliveries", response_model=DeliveryPage, summary="投递历史")
async def list_deliveries(
    subscription_id: SubId,
    principal: Manager,
    session: SessionDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    status: DeliveryStatus | None = None,
):
    return await service.list_deliveries(session, subscription_id, principal, limit=limit, cursor=cursor, status=status)


@router.get("/deliveries/{delivery_id}", response_model=DeliveryRead, summary="投递详情")
async def get_delivery(delivery_id: DeliveryId, principal: Manager, session: SessionDep):
    return await service.get_delivery(session, delivery_id, principal)


@router.post(
    "/deliveries/{delivery_id}/redeliver",
    status_code=202,
    response_model=DeliveryRead,
    summary="重新投递（新建一条投递，原记录保留）",
)
async def redeliver(
    delivery_id: DeliveryId, principal: Manager, session: SessionDep, request: Request, background: BackgroundTasks
):
    delivery = await service.redeliver(session, delivery_id, principal)
    dispatcher = getattr(request.app.state, "dispatcher", None)
    if dispatcher is not None:
        background.add_task(dispatcher.wake)  # after the commit
    return delivery
