"""Settings base: one env prefix per service, shared GOVPM_* values, no default secrets outside dev."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-insecure-secret-change-me-0123456789"
DEV_CALLBACK_SECRET = "dev-provincial-callback-secret"
# Values shipped as examples (.env.example, deploy/k8s/base): never accepted outside dev/test.
PLACEHOLDER_MARKERS = ("change-me", "changeme", "replace-me", "example-secret")
KNOWN_PLACEHOLDERS = frozenset(
    {
        DEV_SECRET,
        DEV_CALLBACK_SECRET,
        "change-me-to-64-random-characters-0123456789abcdef0123456789abcdef",
        "change-me-provincial-platform-hmac-secret",
    }
)
MIN_HS_SECRET_BYTES = 32
SECRET_FIELD = re.compile(r"(secret|token|pepper|password|database_url)$")
SERVICES = ("reserve", "approval", "budget", "oversight", "acceptance")
DEFAULT_PORTS = {
    "gateway": 8000,
    "reserve": 8101,
    "approval": 8102,
    "budget": 8103,
    "oversight": 8104,
    "acceptance": 8105,
}


def _shared(name: str, default, **kw):
    return Field(default, validation_alias=AliasChoices(name), **kw)


class ServiceSettings(BaseSettings):
    """Base for every service. Subclasses set `model_config = service_config("reserve")`."""

    model_config = SettingsConfigDict(env_prefix="GOVPM_SVC_", extra="ignore", populate_by_name=True)
    service_name: str = "service"

    env: str = _shared("GOVPM_ENV", "dev")  # dev | test | prod
    data_dir: Path = _shared("GOVPM_DATA_DIR", Path(".data"))
    database_url: str | None = None  # GOVPM_<SVC>_DATABASE_URL; default SQLite in data_dir
    # A fixed pool: beyond it requests queue for a connection (503 after the pool timeout). Overflow
    # connections are closed as soon as the queue is momentarily full, so under sustained load they
    # are opened and closed per request (a new PostgreSQL backend each time): keep overflow at 0.
    db_pool_size: int = _shared("GOVPM_DB_POOL_SIZE", 10)
    db_max_overflow: int = _shared("GOVPM_DB_MAX_OVERFLOW", 0)
    # A ping costs three round trips per checkout (BEGIN, ";", ROLLBACK on asyncpg). Off by default: a
    # connection a database restart broke fails one request with 503 and the pool is invalidated;
    # turn it on behind PgBouncer or a failover proxy that drops idle connections silently.
    db_pre_ping: bool = _shared("GOVPM_DB_PRE_PING", False)
    jwt_secret: str = _shared("GOVPM_JWT_SECRET", DEV_SECRET)
    jwt_algorithm: str = _shared("GOVPM_JWT_ALGORITHM", "HS256")
    jwks_url: str | None = _shared("GOVPM_JWKS_URL", None)
    jwt_audience: str | None = _shared("GOVPM_JWT_AUDIENCE", None)
    jwt_issuer: str | None = _shared("GOVPM_JWT_ISSUER", None)  # checked (and required) when set
    # Audit anchoring: the head hash of the hash-chained outbox signed with Ed25519 every
    # `audit_anchor_interval_s` (0: only on demand). The private key lives outside the database
    # (a mounted Secret file); `audit-verify` checks anchors with the public key derived from it or
    # GOVPM_AUDIT_VERIFY_KEY_FILE.
    audit_signing_key_file: Path | None = _shared("GOVPM_AUDIT_SIGNING_KEY_FILE", None)
    audit_anchor_interval_s: float = _shared("GOVPM_AUDIT_ANCHOR_INTERVAL_S", 300.0)
    kafka_bootstrap: str = _shared("GOVPM_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    kafka_enabled: bool = _shared("GOVPM_KAFKA_ENABLED", True)
    kafka_idempotent_producer: bool = _shared("GOVPM_KAFKA_IDEMPOTENT", False)
    # Topics created by ensure_topics: a 3-broker cluster wants replication 3 and min ISR 2 (the
    # producer publishes with acks=all); the single local broker 1/1.
    kafka_partitions: int = _shared("GOVPM_KAFKA_PARTITIONS", 3)
    kafka_replication_factor: int = _shared("GOVPM_KAFKA_REPLICATION_FACTOR", 1)
    kafka_min_insync_replicas: int = _shared("GOVPM_KAFKA_MIN_INSYNC_REPLICAS", 1)
    fetch_max_wait_ms: int = _shared("GOVPM_FETCH_MAX_WAIT_MS", 10)  # while events flow
    idle_fetch_max_wait_ms: int = _shared("GOVPM_IDLE_FETCH_MAX_WAIT_MS", 200)  # after 2 s without one
    catchup_interval_s: float = _shared("GOVPM_CATCHUP_INTERVAL_S", 3.0)  # Kafka consumer down
    catchup_healthy_interval_s: float = _shared("GOVPM_CATCHUP_HEALTHY_INTERVAL_S", 30.0)  # connected
    park_retry_interval_s: float = _shared("GOVPM_PARK_RETRY_INTERVAL_S", 5.0)  # sweep of parked events
    relay_poll_s: float = _shared("GOVPM_RELAY_POLL_S", 0.5)
    # How often a service reloads its local policy versions (R-31.1; replicas that did not consume the event).
    policy_refresh_interval_s: float = _shared("GOVPM_POLICY_REFRESH_INTERVAL_S", 5.0)
    migrate_on_start: bool = _shared("GOVPM_MIGRATE_ON_START", True)
    log_level: str = _shared("GOVPM_LOG_LEVEL", "INFO")
    reserve_url: str = _shared("GOVPM_RESERVE_URL", "http://127.0.0.1:8101")
    approval_url: str = _shared("GOVPM_APPROVAL_URL", "http://127.0.0.1:8102")
    budget_url: str = _shared("GOVPM_BUDGET_URL", "http://127.0.0.1:8103")
    oversight_url: str = _shared("GOVPM_OVERSIGHT_URL", "http://127.0.0.1:8104")
    acceptance_url: str = _shared("GOVPM_ACCEPTANCE_URL", "http://127.0.0.1:8105")
    # Document storage (govkit.storage): "local" (files under GOVPM_DATA_DIR/blobs) or "s3".
    storage: str = _shared("GOVPM_STORAGE", "local")
    s3_endpoint: str | None = _shared("GOVPM_S3_ENDPOINT", None)  # e.g. http://minio:9000
    s3_bucket: str = _shared("GOVPM_S3_BUCKET", "govpm-documents")
    s3_access_key: str | None = _shared("GOVPM_S3_ACCESS_KEY", None)
    s3_secret_key: str | None = _shared("GOVPM_S3_SECRET_KEY", None)
    s3_region: str = _shared("GOVPM_S3_REGION", "us-east-1")

    @model_validator(mode="after")
    def _refuse_default_secrets(self):
        """Outside dev/test: no placeholder from .env.example or deploy/k8s, no development secret,
        no HS256 secret shorter than 32 bytes. The error names the setting and why."""
        if self.env in ("dev", "test"):
            return self
        problems = []
        for name in type(self).model_fields:
            value = getattr(self, name, None)
            if not isinstance(value, str) or not SECRET_FIELD.search(name):
                continue
            why = placeholder_reason(value)
            if why:
                problems.append(f"{env_name(type(self), name)} {why}")
        if (
            self.jwks_url is None
            and len(self.jwt_secret.encode()) < MIN_HS_SECRET_BYTES
            and self.jwt_algorithm.startswith("HS")
        ):
            problems.append(
                f"{env_name(type(self), 'jwt_secret')} is shorter than {MIN_HS_SECRET_BYTES} "
                f"bytes (HS256 needs at least {MIN_HS_SECRET_BYTES} random bytes)"
            )
        if problems:
            raise ValueError(f"refusing to start with GOVPM_ENV={self.env}: " + "; ".join(dict.fromkeys(problems)))
        return self

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{self.service_name}.db').resolve()}"

    def service_url(self, name: str) -> str:
        return getattr(self, f"{name}_url")


def placeholder_reason(value: str) -> str | None:
    if value in (DEV_SECRET, DEV_CALLBACK_SECRET):
        return "is the development default"
    if value in KNOWN_PLACEHOLDERS or any(m in value.lower() for m in PLACEHOLDER_MARKERS):
        return "is a placeholder from .env.example / deploy/k8s (set a real secret)"
    return None


def env_name(cls, field: str) -> str:
    """The environment variable that sets `field` of settings class `cls`."""
    info = cls.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices) and alias.choices and isinstance(alias.choices[0], str):
        return alias.choices[0]
    if isinstance(alias, str):
        return alias
    return f"{cls.model_config.get('env_prefix', '')}{field}".upper()


def service_config(name: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=f"GOVPM_{name.upper()}_", extra="ignore", populate_by_name=True)
