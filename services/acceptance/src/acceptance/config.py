from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_ACCEPTANCE_ (e.g. GOVPM_ACCEPTANCE_DATABASE_URL); shared values GOVPM_*."""

    model_config = service_config("acceptance")
    service_name: str = "acceptance"
