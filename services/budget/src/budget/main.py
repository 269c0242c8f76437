"""App factory of the budget service: `uvicorn --factory budget.main:create_app`."""
from pathlib import Path

from govkit.app import ServiceSpec, create_service_app

from . import models  # noqa: F401
from .config import Settings
from .handlers import HANDLERS

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None):
    spec = ServiceSpec(name="budget", root=SERVICE_ROOT, routers=[], handlers=HANDLERS,
                       title="GovPM 资金服务 Budget")
    return create_service_app(spec, settings or Settings())
