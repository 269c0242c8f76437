"""App factory of the acceptance service: `uvicorn --factory acceptance.main:create_app`."""
from pathlib import Path

from govkit.app import ServiceSpec, create_service_app

from . import models  # noqa: F401
from .config import Settings
from .archives.endpoints import router as archives_router
from .documents import router as documents_router
from .evaluations.endpoints import router as evaluations_router
from .extensions.endpoints import router as extensions_router
from .generated.endpoints import router as generated_router
from .handlers import HANDLERS
from .prerequisites.endpoints import router as prerequisites_router
from .projects.endpoints import router as projects_router

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None):
    spec = ServiceSpec(name="acceptance", root=SERVICE_ROOT, routers=[projects_router, prerequisites_router, extensions_router, evaluations_router,
                                                                        documents_router, archives_router, generated_router],
                       handlers=HANDLERS,
                       title="GovPM 验收服务 Acceptance")
    return create_service_app(spec, settings or Settings())
