"""GovPM approval service."""

from pydantic import AliasChoices, Field, model_validator

from govkit.settings import DEV_CALLBACK_SECRET, ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_APPROVAL_ (e.g. GOVPM_APPROVAL_DATABASE_URL); shared values GOVPM_*."""

    model_config = service_config("approval")
    service_name: str = "approval"

    # The provincial online approval platform. Unset: code requests stay pending.
    provincial_url: str | None = None  # GOVPM_APPROVAL_PROVINCIAL_URL
    provincial_timeout_s: float = 5.0
    provincial_poll_s: float = 1.0  # how often pending code requests are (re)sent
    # Shared with the gateway/platform: the callback's HMAC secret.
    provincial_callback_secret: str = Field(
        DEV_CALLBACK_SECRET,
        validation_alias=AliasChoices("GOVPM_PROVINCIAL_CALLBACK_SECRET", "provincial_callback_secret"),
    )
    callback_window_s: int = 300  # X-Timestamp may be at most 5 minutes off

    @model_validator(mode="after")
    def _refuse_default_callback_secret(self):
        if self.env not in ("dev", "test") and self.provincial_callback_secret == DEV_CALLBACK_SECRET:
            raise ValueError("GOVPM_PROVINCIAL_CALLBACK_SECRET must be set outside development")
        return self
