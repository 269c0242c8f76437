from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_RESERVE_ (e.g. GOVPM_RESERVE_DATABASE_URL); shared values GOVPM_*."""

    model_config = service_config("reserve")
    service_name: str = "reserve"
    # days the three bureaus have to answer a special-addition request; our practice.
    special_addition_consultation_days: int = 15
    # windows closing within this many days are listed by GET /clocks.
    window_warning_days: int = 7
