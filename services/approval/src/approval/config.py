from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_APPROVAL_ (e.g. GOVPM_APPROVAL_DATABASE_URL); shared values GOVPM_*."""

    model_config = service_config("approval")
    service_name: str = "approval"
