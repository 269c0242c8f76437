"""App factory of the reserve service: `uvicorn --factory reserve.main:create_app`."""
from pathlib import Path

from govkit.app import ServiceSpec, create_service_app

from . import models  # noqa: F401
from .config import Settings
from .handlers import HANDLERS

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None):
    spec = ServiceSpec(name="reserve", root=SERVICE_ROOT, routers=[], handlers=HANDLERS,
                       title="GovPM 储备库服务 Reserve")
    return create_service_app(spec, settings or Settings())
