"""App factory of the approval service: `uvicorn --factory approval.main:create_app`."""
from pathlib import Path

from govkit.app import ServiceSpec, create_service_app

from . import models  # noqa: F401
from .config import Settings
from .handlers import HANDLERS

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None):
    spec = ServiceSpec(name="approval", root=SERVICE_ROOT, routers=[], handlers=HANDLERS,
                       title="GovPM 审批服务 Approval")
    return create_service_app(spec, settings or Settings())
