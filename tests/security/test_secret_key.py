"""Without SECRET_KEY, nothing signed with the old source placeholder is accepted, and the key PeerLearn
generates instead is private and survives a restart, so links and webhooks keep working."""

from __future__ import annotations

import json
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from peerlearn.accounts.security import sign
from peerlearn.billing.payments import handle_webhook
from peerlearn.config import get_settings, reset_settings_cache
from peerlearn.live.room import record_recording, recording_by_link, recording_link
from peerlearn.media.tokens import MediaTokenError, issue_media_token, verify_media_token
from peerlearn.models.types import utcnow
from peerlearn.payments import simulated
from peerlearn.payments.base import SignatureError
from peerlearn.payments.registry import clear_gateway_cache
from peerlearn.platform.errors import AuthenticationError
from peerlearn.secret_store import load_or_create_secret, secret_file
from tests.factories import make_session, make_user

OLD_PLACEHOLDER = "dev-insecure-secret-key"


@pytest.fixture
def no_secret(database_url, monkeypatch) -> Path:
    """A development start with SECRET_KEY unset and an empty data directory."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PEERLEARN_ENV", "development")
    reset_settings_cache()
    clear_gateway_cache()
    data_dir = get_settings().peerlearn_data_dir
    yield data_dir
    clear_gateway_cache()
    reset_settings_cache()


def _restart() -> str:
    reset_settings_cache()
    clear_gateway_cache()
    return get_settings().secret_key


def test_generated_key_is_strong_private_and_survives_a_restart(no_secret):
    key = get_settings().secret_key
    assert key != OLD_PLACEHOLDER and len(key) >= 60  # token_urlsafe(48) is 64 characters
    path = secret_file(no_secret)
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _restart() == key


@pytest.mark.parametrize("placeholder", [OLD_PLACEHOLDER, "changethis", " Secret "])
def test_a_placeholder_secret_key_is_ignored_outside_production(no_secret, monkeypatch, placeholder):
    monkeypatch.setenv("SECRET_KEY", placeholder)
    assert _restart() == secret_file(no_secret).read_text().strip()


def test_workers_starting_together_agree_on_one_key(tmp_path):
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: load_or_create_secret(tmp_path / "shared"), range(16)))
    assert len(keys) == 1
    assert not [p for p in (tmp_path / "shared").iterdir() if p.name != "secret_key"]  # no temporary files left


def _simulated_delivery(secret: str, provider_ref: str) -> tuple[bytes, dict[str, str]]:
    event = {
        "id": "evt_sim_forged",
        "type": "payment.succeeded",
        "created": int(time.time()),
        "data": {"provider_ref": provider_ref, "amount_minor": 2500, "currency": "USD", "payment_id": "sim_pay_x"},
    }
    body = json.dumps(event).encode()
    return body, {simulated.SIGNATURE_HEADER: simulated.sign(body, secret, int(time.time()))}


def test_webhook_signed_with_the_old_placeholder_is_refused(no_secret, db):
    ref = "sim_cs_" + "0" * 32
    for forged_secret in (OLD_PLACEHOLDER, f"simulated:{OLD_PLACEHOLDER}"):
        with pytest.raises(SignatureError):
            handle_webhook("simulated", *_simulated_delivery(forged_secret, ref), db=db)
    # The real key still works after a restart: a genuine delivery is verified (and ignored: unknown checkout).
    genuine = _simulated_delivery(f"simulated:{_restart()}", ref)
    assert handle_webhook("simulated", *genuine, db=db) == "applied"


def test_media_token_signed_with_the_old_placeholder_is_refused(no_secret):
    now = utcnow()
    forged = issue_media_token(OLD_PLACEHOLDER, 7, 3, "mentor", now - timedelta(minutes=1), now + timedelta(hours=1))
    with pytest.raises(MediaTokenError) as refused:
        verify_media_token(get_settings().secret_key, forged, 7, now)
    assert refused.value.status == 401
    genuine = issue_media_token(get_settings().secret_key, 7, 3, "mentor", now, now + timedelta(hours=1))
    assert verify_media_token(_restart(), genuine, 7, now).user_id == 3


def test_recording_link_signed_with_the_old_placeholder_is_refused(no_secret, db, tmp_path):
    mentor = make_user(db, mentor=True)
    session_id = make_session(db, mentor, start_in=timedelta(minutes=5), min_notice_minutes=0)
    video = tmp_path / "take.mp4"
    video.write_bytes(b"mp4")
    recording = record_recording(session_id, str(video), utcnow(), utcnow(), 3, db=db)
    db.commit()
    expires = int((utcnow() + timedelta(hours=1)).timestamp())
    forged = sign(OLD_PLACEHOLDER, f"recording:{recording.id}:{mentor.id}:{expires}")
    with pytest.raises(AuthenticationError, match="not valid"):
        recording_by_link(session_id, recording.id, mentor.id, expires, forged, db=db)

    link = recording_link(mentor, recording)
    _restart()
    params = dict(part.split("=") for part in link.split("?")[1].split("&"))
    found = recording_by_link(
        session_id, recording.id, int(params["user"]), int(params["expires"]), params["signature"], db=db
    )
    assert found.id == recording.id


@pytest.mark.parametrize("secret", ["", OLD_PLACEHOLDER, "CHANGEME", "too-short-but-real"])
def test_production_refuses_to_start_without_a_real_key(no_secret, monkeypatch, secret):
    load_or_create_secret(no_secret)  # a development key on disk is never used in production
    monkeypatch.setenv("PEERLEARN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", secret)
    reset_settings_cache()
    with pytest.raises(ValueError, match="SECRET_KEY"):
        get_settings()
