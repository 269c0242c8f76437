"""App factory of the approval service: `uvicorn --factory approval.main:create_app`."""

from pathlib import Path

from govkit.app import ServiceSpec, create_service_app

from . import models  # noqa: F401
from .adjustments.endpoints import router as adjustments_router
from .applications.endpoints import router as applications_router
from .applications.preview import router as overlaps_check_router
from .config import Settings
from .documents import router as documents_router
from .generated.endpoints import router as generated_router
from .handlers import HANDLERS
from .imports.endpoints import router as imports_router
from .provincial.endpoints import router as provincial_router
from .provincial.service import run_dispatcher
from .registry.endpoints import router as registry_router

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None):
    settings = settings or Settings()
    # The provincial code requests go out in the background (approval never waits for them).
    background = (
        {"provincial": lambda app: run_dispatcher(app.state.sessionmaker, settings)} if settings.provincial_url else {}
    )
    spec = ServiceSpec(
        name="approval",
        root=SERVICE_ROOT,
        routers=[
            overlaps_check_router,
            applications_router,
            adjustments_router,
            registry_router,
            provincial_router,
            documents_router,
            generated_router,
            imports_router,
        ],
        handlers=HANDLERS,
        background=background,
        title="GovPM 审批服务 Approval",
    )
    return create_service_app(spec, settings)
