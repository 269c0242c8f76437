from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_ACCEPTANCE_ (e.g. GOVPM_ACCEPTANCE_DATABASE_URL); shared values GOVPM_*."""

    model_config = service_config("acceptance")
    service_name: str = "acceptance"
    # The periodic clock scan. None: run it whenever the service is connected to the broker
    # (not in the in-process API tests, which call the scan endpoint).
    clock_scan_enabled: bool | None = None
    clock_scan_interval_s: float = 3600.0
    clock_scan_first_delay_s: float = 10.0

    @property
    def scan_enabled(self) -> bool:
        return self.kafka_enabled if self.clock_scan_enabled is None else self.clock_scan_enabled
