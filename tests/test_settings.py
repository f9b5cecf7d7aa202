import pytest
from pydantic import ValidationError

from peerlearn.config import Settings


def test_defaults_need_no_services(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "REDIS_URL", "STRIPE_SECRET_KEY", "RAZORPAY_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(peerlearn_data_dir=tmp_path)
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path.resolve()}/peerlearn.db"
    assert settings.redis_url == ""
    assert settings.commission_rate == 0.12
    assert settings.port == 3000


def test_postgres_url_gets_the_psycopg3_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/peerlearn")
    assert Settings().sqlalchemy_url == "postgresql+psycopg://u@db:5432/peerlearn"
    assert Settings().is_postgres


@pytest.mark.parametrize("secret", ["", "changethis", "dev-insecure-secret-key", "SECRET"])
def test_production_refuses_placeholder_secret(monkeypatch, secret):
    monkeypatch.setenv("PEERLEARN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings()


def test_production_accepts_a_real_secret(monkeypatch):
    monkeypatch.setenv("PEERLEARN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s3cr3t-" + "x" * 40)
    assert Settings().is_production


def test_commission_rate_is_validated(monkeypatch):
    monkeypatch.setenv("COMMISSION_RATE", "1.5")
    with pytest.raises(ValidationError, match="COMMISSION_RATE"):
        Settings()


def test_settings_read_from_environment(monkeypatch):
    monkeypatch.setenv("PORT", "4100")
    monkeypatch.setenv("COMMISSION_RATE", "0.2")
    monkeypatch.setenv("ICE_SERVERS", "stun:stun.example.org:3478, turn:turn.example.org")
    settings = Settings()
    assert settings.port == 4100
    assert settings.commission_rate == 0.2
    assert settings.ice_server_urls == ["stun:stun.example.org:3478", "turn:turn.example.org"]
