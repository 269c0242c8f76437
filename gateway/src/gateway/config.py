from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_GATEWAY_; shared values GOVPM_*."""

    model_config = service_config("gateway")
    service_name: str = "gateway"
    port: int = Field(8000, validation_alias=AliasChoices("GOVPM_GATEWAY_PORT"))
    upstream_timeout_s: float = 30.0
    upstream_pool_size: int = 512
