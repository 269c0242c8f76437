"""App factory of the acceptance service: `uvicorn --factory acceptance.main:create_app`."""

import asyncio
from pathlib import Path

import structlog

from govkit.app import ServiceSpec, create_service_app

from . import models  # noqa: F401
from .archives.endpoints import router as archives_router
from .clocks.endpoints import router as clocks_router
from .clocks.service import run_scan
from .config import Settings
from .corrections.endpoints import router as corrections_router
from .documents import router as documents_router
from .evaluations.endpoints import router as evaluations_router
from .extensions.endpoints import router as extensions_router
from .generated.endpoints import router as generated_router
from .handlers import HANDLERS
from .prerequisites.endpoints import router as prerequisites_router
from .stages.endpoints import router as projects_router

SERVICE_ROOT = Path(__file__).resolve().parents[2]
log = structlog.get_logger()


async def clock_scan_loop(app, settings: Settings) -> None:
    """X-30.1: push the acceptance clocks (approaching, overdue) once each, periodically."""
    await asyncio.sleep(settings.clock_scan_first_delay_s)
    while True:
        try:
            await run_scan(app.state.sessionmaker, on_commit=app.state.relay.wake)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - try again next period
            log.exception("clock_scan_failed")
        await asyncio.sleep(settings.clock_scan_interval_s)


def create_app(settings: Settings | None = None):
    settings = settings or Settings()
    background = (
        {"clock-scan": lambda app: clock_scan_loop(app, settings)}
        if settings.scan_enabled and settings.clock_scan_interval_s > 0
        else {}
    )
    spec = ServiceSpec(
        name="acceptance",
        root=SERVICE_ROOT,
        routers=[
            projects_router,
            prerequisites_router,
            extensions_router,
            evaluations_router,
            documents_router,
            archives_router,
            generated_router,
            clocks_router,
            corrections_router,
        ],
        handlers=HANDLERS,
        background=background,
        title="GovPM 验收服务 Acceptance",
    )
    return create_service_app(spec, settings)
