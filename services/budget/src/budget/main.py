"""App factory of the budget service: `uvicorn --factory budget.main:create_app`."""

import asyncio
from pathlib import Path

import structlog

from govkit import clock
from govkit.app import ServiceSpec, create_service_app

from . import models  # noqa: F401
from .config import Settings
from .contracts.endpoints import router as contracts_router
from .disbursements.endpoints import router as disbursements_router
from .documents import router as documents_router
from .estimate_reviews.endpoints import router as reviews_router
from .exports.endpoints import router as exports_router
from .funding.endpoints import router as funding_router
from .funding_plans.endpoints import router as funding_plans_router
from .funding_requests.endpoints import router as funding_requests_router
from .gate.endpoints import router as projects_router
from .generated.endpoints import router as generated_router
from .handlers import HANDLERS
from .surplus.endpoints import router as surplus_router
from .surplus.service import settle_expired

SERVICE_ROOT = Path(__file__).resolve().parents[2]
log = structlog.get_logger()


def create_app(settings: Settings | None = None):
    settings = settings or Settings()
    routers = [
        projects_router,
        reviews_router,
        contracts_router,
        disbursements_router,
        surplus_router,
        funding_router,
        exports_router,
        documents_router,
        funding_plans_router,
        funding_requests_router,
        generated_router,
    ]
    background = (
        {"settlement-scan": lambda app: settlement_scan_loop(app, settings)}
        if settings.scan_enabled and settings.settlement_scan_interval_s > 0
        else {}
    )
    spec = ServiceSpec(
        name="budget",
        root=SERVICE_ROOT,
        routers=routers,
        handlers=HANDLERS,
        background=background,
        title="GovPM 资金服务 Budget",
    )
    return create_service_app(spec, settings)


async def settlement_scan_loop(app, settings: Settings) -> None:
    """R-27.1: close the books of finally accepted projects whose warranty has ended, periodically."""
    await asyncio.sleep(settings.settlement_scan_first_delay_s)
    while True:
        try:
            async with app.state.sessionmaker() as session:
                closed = await settle_expired(session, clock.today())
                await session.commit()
            if closed:
                app.state.relay.wake()
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - try again next period
            log.exception("settlement_scan_failed")
        await asyncio.sleep(settings.settlement_scan_interval_s)
