"""All PeerLearn settings, read once from the environment.

Embedded defaults let a fresh checkout run with no services and no keys:
SQLite under the data directory, Reflex's in-process state, the simulated
payment gateway and local media. Without `SECRET_KEY`, development and tests
sign with a random key kept in the data directory (`peerlearn/secret_store.py`);
production refuses to start.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from peerlearn.money import SUPPORTED_CURRENCIES, format_money, to_minor
from peerlearn.secret_store import MIN_SECRET_LENGTH, load_or_create_secret

# Values seen in templates and old versions of this project: never accepted as a signing key.
PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "changethis",
        "changeme",
        "change-me",
        "change_me",
        "secret",
        "secret-key",
        "secretkey",
        "your-secret-key",
        "dev-insecure-secret-key",
        "insecure",
        "development",
        "test",
        "password",
    }
)


# Sanity ceilings for the learner fee: anything above is a typo (e.g. percent given as a fraction, major units
# given as minor), refused at start-up rather than charged.
MAX_LEARNER_FEE_BASIS_POINTS = 3000  # 30 %
MAX_LEARNER_FEE_FIXED_MAJOR = {"USD": "50", "EUR": "50", "GBP": "50", "INR": "4000", "JPY": "7500"}


def is_placeholder_secret(value: str) -> bool:
    return value.strip().lower() in PLACEHOLDER_SECRETS


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    peerlearn_env: str = Field("development", description="development, test or production")
    database_url: str = Field("", description="SQLAlchemy URL; SQLite under the data dir when empty")
    redis_url: str = Field("", description="Enables the Redis state manager, shared throttling and caches")
    secret_key: str = Field("", description="Signs media tokens, recording links, simulated webhooks", repr=False)
    port: int = 3000
    public_base_url: str = Field("", description="Absolute URL people reach the app at")
    peerlearn_data_dir: Path = Path("data")
    peerlearn_seed_demo: bool = False
    peerlearn_admin_email: str = ""
    peerlearn_admin_password: str = ""
    api_max_body_bytes: int = Field(1_000_000, ge=1024, description="Largest request body /api reads")

    commission_rate: float = 0.12
    # The learner's service fee, on top of the price after coupons (off unless set; free sessions never carry it).
    learner_fee_basis_points: int = Field(
        0, description="Percent part of the learner fee in basis points of the price after coupons (250 = 2.5 %)"
    )
    learner_fee_fixed_minor: dict[str, int] = Field(
        default_factory=dict,
        description='Fixed part of the learner fee per currency, in minor units, as JSON: {"USD": 50, "INR": 1000}',
    )
    login_token_ttl_hours: int = Field(
        24 * 14,
        # SESSION_TOKEN_TTL_HOURS, its name before "session" meant only a learning session, is still read.
        validation_alias=AliasChoices("login_token_ttl_hours", "session_token_ttl_hours"),
        description="Lifetime of a login token",
    )
    booking_hold_minutes: int = 10
    payout_delay_hours: int = 48
    login_max_failures: int = Field(5, ge=1, description="Failures per (account, client) before that pair is locked")
    login_window_seconds: int = Field(900, ge=1)
    login_client_max_failures: int = Field(20, ge=1, description="Failures per client, all accounts, before a lock")
    login_account_slowdown_after: int = Field(
        10, ge=1, description="Failures per account, all clients, after which unknown clients must wait"
    )
    login_account_max_delay_seconds: int = Field(30, ge=1, description="Longest wait between attempts on an account")
    password_reset_ttl_minutes: int = Field(30, ge=1, le=24 * 60)

    stripe_secret_key: str = ""
    stripe_webhook_secret: str = ""
    stripe_api_base: str = ""
    razorpay_key_id: str = ""
    razorpay_key_secret: str = ""
    razorpay_webhook_secret: str = ""
    razorpay_base_url: str = ""

    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "PeerLearn <no-reply@peerlearn.local>"

    media_public_url: str = Field("", description="Base URL of the media server")
    media_port: int = 3100
    media_nodes: str = Field(
        "", description="Comma-separated base URLs of several media nodes (rooms placed via Redis)"
    )
    ice_servers: str = Field("", description="Comma-separated STUN/TURN URLs")
    media_forward_encoded: bool = Field(True, description="Forward VP8 video as received instead of re-encoding it")
    media_ice_timeout_seconds: float = Field(
        15.0, ge=2, le=60, description="A peer that stops answering ICE checks is dropped after about this long"
    )

    db_pool_size: int = Field(10, ge=1, description="PostgreSQL connections each worker keeps open")
    db_pool_overflow: int = Field(10, ge=0, description="extra PostgreSQL connections a worker may open under load")
    search_cache_seconds: int = Field(30, ge=0, description="how long identical searches are answered from cache")
    scheduler_interval_seconds: float = Field(30.0, gt=0, description="seconds between background job runs")
    loop_stall_warn_ms: int = Field(250, ge=0, description="log what blocks the event loop for longer (0: off)")

    @field_validator("commission_rate")
    @classmethod
    def _rate_in_range(cls, value: float) -> float:
        if not 0 <= value < 1:
            raise ValueError("COMMISSION_RATE must be between 0 and 1")
        return value

    @field_validator("learner_fee_basis_points")
    @classmethod
    def _fee_percent_in_range(cls, value: int) -> int:
        if not 0 <= value <= MAX_LEARNER_FEE_BASIS_POINTS:
            raise ValueError(
                f"LEARNER_FEE_BASIS_POINTS must be between 0 and {MAX_LEARNER_FEE_BASIS_POINTS} "
                f"(basis points: 250 means 2.5 %), got {value}"
            )
        return value

    @field_validator("learner_fee_fixed_minor")
    @classmethod
    def _fee_fixed_in_range(cls, value: dict[str, int]) -> dict[str, int]:
        fixed: dict[str, int] = {}
        for raw_code, amount in value.items():
            code = raw_code.strip().upper()
            if code not in SUPPORTED_CURRENCIES:
                raise ValueError(
                    f"LEARNER_FEE_FIXED_MINOR names {raw_code!r}; use currencies from {', '.join(SUPPORTED_CURRENCIES)}"
                )
            ceiling = to_minor(MAX_LEARNER_FEE_FIXED_MAJOR[code], code)
            if not 0 <= amount <= ceiling:
                raise ValueError(
                    f"LEARNER_FEE_FIXED_MINOR[{code}] must be between 0 and {ceiling} minor units "
                    f"({format_money(ceiling, code)}), got {amount}"
                )
            fixed[code] = amount
        return fixed

    @model_validator(mode="after")
    def _refuse_placeholder_secret_in_production(self) -> Settings:
        if self.is_production and (is_placeholder_secret(self.secret_key) or len(self.secret_key) < MIN_SECRET_LENGTH):
            raise ValueError(
                f"SECRET_KEY must be set to a real secret of at least {MIN_SECRET_LENGTH} characters when "
                "PEERLEARN_ENV=production (e.g. `openssl rand -hex 32`)"
            )
        return self

    @property
    def has_own_secret(self) -> bool:
        """True when SECRET_KEY was given and is not a known placeholder."""
        return not is_placeholder_secret(self.secret_key)

    @property
    def is_production(self) -> bool:
        return self.peerlearn_env == "production"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://") or url.startswith("postgres://"):
                url = "postgresql+psycopg://" + url.split("://", 1)[1]
            return url
        return f"sqlite:///{(self.peerlearn_data_dir / 'peerlearn.db').resolve()}"

    @property
    def is_postgres(self) -> bool:
        return self.sqlalchemy_url.startswith("postgresql")

    @property
    def base_url(self) -> str:
        return (self.public_base_url or f"http://localhost:{self.port}").rstrip("/")

    @property
    def media_base_url(self) -> str:
        return (self.media_public_url or f"http://localhost:{self.media_port}").rstrip("/")

    @property
    def media_node_urls(self) -> list[str]:
        return [url.strip().rstrip("/") for url in self.media_nodes.split(",") if url.strip()] or [self.media_base_url]

    @property
    def ice_server_urls(self) -> list[str]:
        return [url.strip() for url in self.ice_servers.split(",") if url.strip()]


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    if not settings.has_own_secret:
        if settings.secret_key.strip():
            logging.getLogger(__name__).warning("SECRET_KEY is a known placeholder; ignoring it")
        # Development and tests only (production refused above): never sign with a value from the source.
        settings.secret_key = load_or_create_secret(settings.peerlearn_data_dir)
    return settings


def reset_settings_cache() -> None:
    """Forget cached settings (tests change the environment)."""
    get_settings.cache_clear()
