"""App factory of the reserve service: `uvicorn --factory reserve.main:create_app`."""

from pathlib import Path

from govkit.app import ServiceSpec, create_service_app

from . import models  # noqa: F401
from .clocks.endpoints import router as clocks_router
from .config import Settings
from .declarations.endpoints import router as declarations_router
from .declarations.preview import router as declaration_check_router
from .documents import router as documents_router
from .handlers import HANDLERS
from .libraries.endpoints import router as libraries_router
from .orgs.endpoints import router as orgs_router
from .plans.endpoints import router as plans_router
from .policies.endpoints import router as policies_router
from .windows.endpoints import router as windows_router

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None):
    spec = ServiceSpec(
        name="reserve",
        root=SERVICE_ROOT,
        handlers=HANDLERS,
        title="GovPM 储备库服务 Reserve",
        routers=[
            windows_router,
            declaration_check_router,
            declarations_router,
            libraries_router,
            clocks_router,
            documents_router,
            policies_router,
            plans_router,
            orgs_router,
        ],
    )
    return create_service_app(spec, settings or Settings())
