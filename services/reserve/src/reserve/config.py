from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_RESERVE_ (e.g. GOVPM_RESERVE_DATABASE_URL); shared values GOVPM_*."""

    model_config = service_config("reserve")
    service_name: str = "reserve"
