"""Gateway settings: env prefix GOVPM_GATEWAY_ (shared values GOVPM_*)."""

from pydantic import AliasChoices, Field

from govkit.settings import ServiceSettings, service_config


class Settings(ServiceSettings):
    """Env prefix GOVPM_GATEWAY_; shared values GOVPM_*.

    The gateway's own database (API keys, webhook subscriptions and deliveries, portal state, its
    audit chain, the inbox of consumed events) is SQLite in GOVPM_DATA_DIR/gateway.db unless
    GOVPM_GATEWAY_DATABASE_URL names a PostgreSQL database."""

    model_config = service_config("gateway")
    service_name: str = "gateway"
    port: int = Field(8000, validation_alias=AliasChoices("GOVPM_GATEWAY_PORT"))
    upstream_timeout_s: float = 30.0
    upstream_pool_size: int = 512

    # -- identities --------------------------------------------------------------------------
    jwt_cache_s: float = 30.0  # a verified JWT is trusted this long (never past its exp)
    api_key_pepper: str | None = None  # HMAC key of stored API-key hashes (default: the JWT secret)
    api_key_cache_s: float = 10.0  # an API-key lookup (hit or miss) is trusted this long
    internal_token_ttl_s: int = 300  # the JWT minted for upstream on behalf of an API key

    # -- protection --------------------------------------------------------------------------
    rate_limit_per_s: float = 100.0  # token bucket refill per principal (0 disables)
    rate_limit_burst: int = 200  # bucket size
    # Shared store for the limits of every gateway replica, e.g. redis://redis:6379/0 (the `limits`
    # library); unset: an in-process bucket per replica (`make run`). /healthz says which.
    rate_limit_storage_url: str | None = None
    max_body_bytes: int = 2 * 1024 * 1024
    # Document uploads (POST …/documents) stream through; the largest kind is 100 MB (govkit.documents.kinds).
    max_upload_bytes: int = 101 * 1024 * 1024
    cors_origins: list[str] = []  # e.g. ["https://console.govpm.example"]; ["*"] in dev only
    hsts_max_age_s: int = 0  # >0 adds Strict-Transport-Security (behind TLS)

    # -- webhooks ----------------------------------------------------------------------------
    webhooks_enabled: bool = True
    webhook_timeout_s: float = 5.0
    webhook_max_attempts: int = 6  # then dead-lettered
    webhook_backoff_s: float = 2.0  # first retry delay; doubles each attempt
    webhook_backoff_max_s: float = 3600.0
    webhook_poll_s: float = 1.0
    # Private, loopback, link-local, CGNAT and metadata addresses: allowed in dev/test only unless
    # set explicitly; `webhook_allowed_hosts` admits named departmental hosts or networks
    # (e.g. ["oa.jw.yancheng.gov.cn", "10.20.0.0/16"]) whatever the address (see egress.py).
    webhook_allow_private: bool | None = None
    webhook_allowed_hosts: list[str] = []

    # -- portals (off when the base URL is unset) --------------------------------------------
    yanzhengtong_url: str | None = None  # 盐政通 to-do API base URL
    yanzhengtong_token: str | None = None
    susufuban_url: str | None = None  # 苏服办 project status API base URL
    susufuban_token: str | None = None
    console_url: str = "https://govpm.yancheng.gov.cn/console"

    # -- the console (web/dist) and its sign-in ------------------------------------------------
    console_dir: str | None = None  # built console; default <repo>/web/dist
    oidc_issuer: str | None = Field(None, validation_alias=AliasChoices("GOVPM_OIDC_ISSUER"))
    oidc_client_id: str | None = Field(None, validation_alias=AliasChoices("GOVPM_OIDC_CLIENT_ID"))
    oidc_scope: str = Field("openid profile", validation_alias=AliasChoices("GOVPM_OIDC_SCOPE"))
    # The `aud` the provider's access tokens must carry (its resource indicator / API identifier); unset: not checked.
    oidc_audience: str | None = Field(None, validation_alias=AliasChoices("GOVPM_OIDC_AUDIENCE"))
