from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_OVERSIGHT_ (e.g. GOVPM_OVERSIGHT_DATABASE_URL); shared values GOVPM_*."""

    model_config = service_config("oversight")
    service_name: str = "oversight"
