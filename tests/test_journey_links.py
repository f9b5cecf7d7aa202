"""A journey in the browser stays on the host the person uses: the app's own links become paths."""

from peerlearn.config import get_settings, reset_settings_cache
from peerlearn.origins import journey_link


def test_the_apps_own_checkout_link_becomes_a_path_on_any_of_its_hosts(monkeypatch):
    monkeypatch.setenv("PORT", "3917")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    reset_settings_cache()
    settings = get_settings()
    for host in ("localhost", "127.0.0.1"):
        assert journey_link(f"http://{host}:3917/pay/simulated/sim_cs_1?x=1", settings) == "/pay/simulated/sim_cs_1?x=1"
    assert journey_link("/bookings/3?paid=1", settings) == "/bookings/3?paid=1"


def test_another_sites_link_is_left_alone(monkeypatch):
    monkeypatch.setenv("PORT", "3917")
    reset_settings_cache()
    settings = get_settings()
    stripe = "https://checkout.stripe.com/c/pay/cs_test_1#fidkdWxOYHwnPyd1blpxYHZxWjA0"
    assert journey_link(stripe, settings) == stripe
    assert journey_link("http://localhost:9999/pay/simulated/x", settings) == "http://localhost:9999/pay/simulated/x"
    assert journey_link("//evil.example/pay", settings) == "//evil.example/pay"
    assert journey_link("", settings) == ""
