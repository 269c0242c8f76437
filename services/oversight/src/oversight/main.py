"""App factory of the oversight service: `uvicorn --factory oversight.main:create_app`."""

import asyncio
from pathlib import Path

import structlog

from govkit.app import ServiceSpec, create_service_app

from . import models  # noqa: F401
from .clocks.endpoints import router as clocks_router
from .clocks.service import run_scan as run_clock_scan
from .config import Settings
from .construction.endpoints import router as construction_router
from .documents import router as documents_router
from .exports.endpoints import router as exports_router
from .findings.endpoints import router as findings_router
from .generated.endpoints import router as generated_router
from .handlers import HANDLERS, WILDCARD
from .incidents.endpoints import router as incidents_router
from .projects.endpoints import router as projects_router
from .projects.sources import http_source
from .rebuilds.endpoints import router as rebuilds_router
from .rebuilds.service import run_loop as rebuild_loop
from .rectifications.endpoints import router as rectifications_router
from .reports.endpoints import router as reports_router
from .reports.service import run_scan
from .sanctions.endpoints import overdue_router as overdue_rectifications_router
from .sanctions.endpoints import router as sanctions_router
from .stats.endpoints import router as stats_router

SERVICE_ROOT = Path(__file__).resolve().parents[2]
log = structlog.get_logger()


async def overdue_scan_loop(app, settings: Settings) -> None:
    """X-30.1: publish ProgressReportOverdue once per missed quarter, and the clocks' reminders
    (SupervisionDeadline), periodically."""
    await asyncio.sleep(settings.overdue_scan_first_delay_s)
    while True:
        try:
            await run_scan(app.state.sessionmaker, on_commit=app.state.relay.wake)
            await run_clock_scan(app.state.sessionmaker, on_commit=app.state.relay.wake)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - try again next period
            log.exception("overdue_scan_failed")
        await asyncio.sleep(settings.overdue_scan_interval_s)


def create_app(settings: Settings | None = None):
    settings = settings or Settings()
    background = (
        {"overdue-scan": lambda app: overdue_scan_loop(app, settings)}
        if settings.scan_enabled and settings.overdue_scan_interval_s > 0
        else {}
    )
    background["rebuilds"] = lambda app: rebuild_loop(
        app.state.sessionmaker, lambda: app.state.rebuild_source, app.state.rebuild_wake
    )
    spec = ServiceSpec(
        name="oversight",
        root=SERVICE_ROOT,
        routers=[
            documents_router,
            projects_router,
            construction_router,
            reports_router,
            incidents_router,
            rectifications_router,
            overdue_rectifications_router,
            sanctions_router,
            findings_router,
            exports_router,
            generated_router,
            rebuilds_router,
            clocks_router,
            stats_router,
        ],
        handlers=HANDLERS,
        wildcard=WILDCARD,
        background=background,
        title="GovPM 监管服务 Oversight",
    )
    app = create_service_app(spec, settings)
    app.state.rebuild_source = http_source(settings)
    app.state.rebuild_wake = asyncio.Event()
    return app
