"""GovPM oversight service."""

from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_OVERSIGHT_ (e.g. GOVPM_OVERSIGHT_DATABASE_URL); shared values GOVPM_*."""

    model_config = service_config("oversight")
    service_name: str = "oversight"
    # The periodic overdue-report scan. None: run it whenever the service is
    # connected to the broker (not in the in-process API tests, which call the scan endpoint).
    overdue_scan_enabled: bool | None = None
    overdue_scan_interval_s: float = 3600.0
    overdue_scan_first_delay_s: float = 10.0

    @property
    def scan_enabled(self) -> bool:
        return self.kafka_enabled if self.overdue_scan_enabled is None else self.overdue_scan_enabled
