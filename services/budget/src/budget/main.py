"""App factory of the budget service: `uvicorn --factory budget.main:create_app`."""
from pathlib import Path

from govkit.app import ServiceSpec, create_service_app

from . import models  # noqa: F401
from .config import Settings
from .documents import router as documents_router
from .contracts.endpoints import router as contracts_router
from .disbursements.endpoints import router as disbursements_router
from .estimate_reviews.endpoints import router as reviews_router
from .exports.endpoints import router as exports_router
from .funding.endpoints import router as funding_router
from .handlers import HANDLERS
from .projects.endpoints import router as projects_router
from .surplus.endpoints import router as surplus_router

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None):
    routers = [projects_router, reviews_router, contracts_router, disbursements_router, surplus_router,
               funding_router, exports_router, documents_router]
    spec = ServiceSpec(name="budget", root=SERVICE_ROOT, routers=routers, handlers=HANDLERS,
                       title="GovPM 资金服务 Budget")
    return create_service_app(spec, settings or Settings())
