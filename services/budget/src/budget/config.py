from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_BUDGET_ (e.g. GOVPM_BUDGET_DATABASE_URL); shared values GOVPM_*."""

    model_config = service_config("budget")
    service_name: str = "budget"
