"""GovPM budget service."""

from functools import lru_cache

from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_BUDGET_ (e.g. GOVPM_BUDGET_DATABASE_URL); shared values GOVPM_*."""

    model_config = service_config("budget")
    service_name: str = "budget"
    # finance's estimate review is due this many calendar days after review starts
    # (≈ 20 working days). GOVPM_BUDGET_ESTIMATE_REVIEW_DUE_DAYS.
    estimate_review_due_days: int = 30
    # the periodic scan that closes the books once a warranty has ended. None: run it
    # whenever the service is connected to the broker (not in the in-process API tests).
    settlement_scan_enabled: bool | None = None
    settlement_scan_interval_s: float = 3600.0
    settlement_scan_first_delay_s: float = 30.0

    @property
    def scan_enabled(self) -> bool:
        return self.kafka_enabled if self.settlement_scan_enabled is None else self.settlement_scan_enabled


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for code below the endpoints (handlers and services have no app at hand)."""
    return Settings()
