"""The small pieces of text every page shares: prices, ratings, stars."""

from __future__ import annotations

from peerlearn.config import get_settings
from peerlearn.money import format_money
from peerlearn.origins import journey_link


def price_text(price_minor: int, currency: str, due_minor: int | None = None) -> str:
    """'Free' for a free session, else the money (what is due, when that differs from the list price)."""
    if price_minor == 0:
        return "Free"
    return format_money(price_minor if due_minor is None else due_minor, currency)


def rating_text(average: float, count: int) -> str:
    """'4.5', or 'New' for someone nobody has rated yet."""
    return f"{average:.1f}" if count else "New"


def stars(rating: int) -> str:
    return "★" * rating


def money_text(values: dict[str, int | float]) -> str:
    """Amounts in several currencies on one line ('$10.00 · €5.00'), '—' when there are none."""
    return " · ".join(format_money(int(v), c) for c, v in sorted(values.items())) or "—"


def on_this_site(url: str | None) -> str:
    """A checkout or return link as a path when it is one of the app's own pages (see `origins.journey_link`)."""
    return journey_link(url or "", get_settings())
