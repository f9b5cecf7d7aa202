"""The media server refuses bad requests before it changes anything: tokens only from the
Authorization header, forged or other-session tokens, oversized or malformed SDP, foreign origins."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from peerlearn.config import Settings
from peerlearn.origins import allowed_origins
from tests.media.conftest import APP_ORIGIN, publish, run_async, subscribe, token

SDP = {"Content-Type": "application/sdp"}
FORGED = token(5, 11)[:-3] + "abc"
BAD_TOKENS = [pytest.param(FORGED, 401, id="forged"), pytest.param(token(6, 11), 403, id="other_session")]


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def room_snapshot(registry, session_id: int) -> dict:
    """What a refused request must leave as it was."""
    room = registry.rooms.get(session_id)
    return {
        "rooms": sorted(registry.rooms),
        "connections": len(registry.connections),
        "publications": sorted(room.publications) if room else None,
        "subscriptions": sorted(room.subscriptions) if room else None,
        "recording": room.recording if room else None,
    }


def test_a_token_in_the_query_string_is_not_accepted(media_server):
    url = media_server["url"]
    good = token(5, 11)
    assert httpx.get(f"{url}/media/rooms/5", params={"token": good}).status_code == 401
    assert httpx.post(f"{url}/media/whip/5", params={"token": good}, content="v=0\r\n", headers=SDP).status_code == 401
    assert httpx.get(f"{url}/media/rooms/5", headers=bearer(good)).status_code == 200
    assert media_server["registry"].rooms == {}, "reading a room's state does not create it"


@pytest.mark.parametrize("bad, status", BAD_TOKENS)
def test_a_bad_token_cannot_start_a_recording(media_server, bad, status):
    url = media_server["url"]
    registry = media_server["registry"]
    before = room_snapshot(registry, 5)
    response = httpx.post(f"{url}/media/rooms/5/recording/start", headers=bearer(bad))
    assert response.status_code == status
    assert response.json()["error"]["code"] == {401: "unauthenticated", 403: "forbidden"}[status]
    assert room_snapshot(registry, 5) == before
    assert not (media_server["recordings"] / "5").exists(), "no take was begun"


@pytest.mark.parametrize("bad, status", BAD_TOKENS)
def test_a_bad_token_cannot_publish_play_or_end_anything(media_server, bad, status):
    url = media_server["url"]
    registry = media_server["registry"]

    async def scenario():
        publisher, location = await publish(url, 5, 11, value=120)
        viewer, _ = await subscribe(url, 5, 11, viewer_id=12)
        await asyncio.sleep(0.5)
        room = registry.rooms[5]
        (player_location,) = [f"/media/whep/5/11/{rid}" for rid in room.subscriptions]
        before = room_snapshot(registry, 5)
        offer = publisher.localDescription.sdp
        async with httpx.AsyncClient(base_url=url) as client:
            answers = [
                await client.post("/media/whip/5", content=offer, headers={**SDP, **bearer(bad)}),
                await client.post("/media/whep/5/11", content=offer, headers={**SDP, **bearer(bad)}),
                await client.delete(location, headers=bearer(bad)),
                await client.delete(player_location, headers=bearer(bad)),
                await client.post("/media/rooms/5/recording/start", headers=bearer(bad)),
            ]
            # Right session, wrong person: still refused, still nothing changed.
            answers += [
                await client.delete(location, headers=bearer(token(5, 12))),
                await client.delete(player_location, headers=bearer(token(5, 11))),
            ]
        after = room_snapshot(registry, 5)
        await viewer.close()
        await publisher.close()
        return [a.status_code for a in answers], before, after

    statuses, before, after = run_async(scenario())
    assert statuses == [status] * 5 + [403, 403]
    assert after == before
    assert before["publications"] and before["subscriptions"] and before["recording"] is False


def test_an_oversized_offer_is_refused_before_it_is_read(media_server):
    url = media_server["url"]
    registry = media_server["registry"]
    huge = "v=0\r\n" + "a=x-padding:" + "x" * (64 * 1024) + "\r\n"
    response = httpx.post(f"{url}/media/whip/5", content=huge, headers={**SDP, **bearer(token(5, 11))})
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"

    def chunks():  # no Content-Length: the limit applies while the body streams in
        for _ in range(20):
            yield b"a=x-padding:" + b"x" * 8000 + b"\r\n"

    streamed = httpx.post(f"{url}/media/whip/5", content=chunks(), headers={**SDP, **bearer(token(5, 11))})
    assert streamed.status_code == 413
    assert registry.rooms == {} and not registry.connections


@pytest.mark.parametrize("body", ["", "not an sdp", "v=0\r\nm=audio x\r\n", b"\xff\xfe"])
def test_a_malformed_offer_is_a_400_that_leaves_no_connection(media_server, body):
    registry = media_server["registry"]
    response = httpx.post(f"{media_server['url']}/media/whip/5", content=body, headers={**SDP, **bearer(token(5, 11))})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
    assert registry.rooms == {} and not registry.connections


def test_only_the_apps_own_origin_gets_cors_headers(media_server):
    url = f"{media_server['url']}/media/rooms/5"
    own = httpx.get(url, headers={"Origin": APP_ORIGIN, **bearer(token(5, 11))})
    evil = httpx.get(url, headers={"Origin": "https://evil.example", **bearer(token(5, 11))})
    assert own.headers.get("access-control-allow-origin") == APP_ORIGIN
    assert "access-control-allow-origin" not in evil.headers
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    whip = f"{media_server['url']}/media/whip/5"
    own_pre = httpx.options(whip, headers={"Origin": APP_ORIGIN, **preflight})
    evil_pre = httpx.options(whip, headers={"Origin": "https://evil.example", **preflight})
    assert own_pre.status_code == 200 and own_pre.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "authorization" in own_pre.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-origin" not in evil_pre.headers


def test_the_allowed_origins_come_from_the_apps_public_url():
    assert allowed_origins(Settings(public_base_url="https://learn.example.com/")) == ["https://learn.example.com"]
    assert allowed_origins(Settings(public_base_url="https://learn.example.com:8443/app")) == [
        "https://learn.example.com:8443"
    ]
    local = allowed_origins(Settings(port=3000, public_base_url=""))
    assert local == ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]
    production = Settings(public_base_url="http://localhost:3000", peerlearn_env="production", secret_key="k" * 40)
    assert allowed_origins(production) == ["http://localhost:3000"], "production trusts exactly its own origin"
